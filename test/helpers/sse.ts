// A real HTTP client reading a server-sent-events stream (HTML Living Standard §9.2.6 parsing, enough of
// it: id, event, data lines and comments), for GET /api/v1/events.
import { request, type IncomingMessage } from 'node:http';
import { trackOpen } from './leak-guard.ts';

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: any;
}

export interface SseClient {
  status: number;
  headers: IncomingMessage['headers'];
  /** Every event received so far, in order. */
  events: SseEvent[];
  /** Comment lines received so far (heartbeats), without the colon. */
  comments: string[];
  /** Resolves with the first received event (already or later) that matches. */
  next(matches: (e: SseEvent) => boolean, what: string, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves when a comment line arrives (already or later). */
  nextComment(timeoutMs?: number): Promise<string>;
  close(): void;
}

/** Opens `url` with the headers given; resolves once the response headers arrived. */
export function openSse(url: string, headers: Record<string, string>): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          parseBlock(buffer.slice(0, cut), events, comments);
          buffer = buffer.slice(cut + 2);
        }
        for (const w of waiters) w();
      });
      res.on('error', () => undefined);
      let closed = false;
      const close = () => {
        closed = true;
        req.destroy();
      };
      trackOpen({ name: `SSE client ${url}`, isOpen: () => !closed, forceClose: async () => close() });
      const waitFor = <T>(probe: () => T | undefined, what: string, timeoutMs: number) =>
        new Promise<T>((ok, fail) => {
          const check = () => {
            const found = probe();
            if (found === undefined) return;
            clearTimeout(timer);
            waiters.delete(check);
            ok(found);
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            fail(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => `${e.id} ${e.event}`))}`));
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        comments,
        next: (matches, what, timeoutMs = 5_000) => waitFor(() => events.find(matches), what, timeoutMs),
        nextComment: (timeoutMs = 5_000) => waitFor(() => comments[0], 'comment', timeoutMs),
        close,
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function parseBlock(block: string, events: SseEvent[], comments: string[]): void {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comments.push(line.slice(1).trim());
    else if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length) events.push({ id, event, data: JSON.parse(data.join('\n')) });
}
