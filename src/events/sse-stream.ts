import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import type { Logger } from '../shared/logger.ts';
import { formatSse } from './event-filter.ts';
import { replayAfter, type EventHub } from './event-hub.ts';
import type { EventFilter, LiveEvent } from './event.types.ts';

const REPLAY_PAGE = 500;
/** A client this far behind (bytes not yet taken by its socket) is dropped; it resumes with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface StreamOptions {
  db: Knex;
  hub: EventHub;
  logger: Logger;
  heartbeatMs: number;
  filter: EventFilter;
  lastEventId: number | undefined;
}

/** The SSE response headers (HTML Living Standard §9.2): no caching, no proxy buffering or transforms. */
function openStream(req: Request, res: Response): void {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  req.socket.setNoDelay(true);
  req.socket.setTimeout(0);
  res.write('retry: 3000\n\n');
}

/**
 * Streams the events passing `filter` to one client: with a Last-Event-ID, first the stored events after it
 * (page by page), then the live ones. Live events arriving during the replay wait in a buffer; ids already
 * sent are skipped, so the client gets every event once, in id order. A closed connection unsubscribes.
 */
export async function streamEvents(req: Request, res: Response, o: StreamOptions): Promise<void> {
  openStream(req, res);
  let lastSent = o.lastEventId ?? 0;
  let pending: LiveEvent[] | undefined = [];
  let closed = false;
  let unsubscribe: (() => void) | undefined;
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), o.heartbeatMs);
  const cleanup = (): void => {
    closed = true;
    clearInterval(heartbeat);
    unsubscribe?.();
  };
  res.on('close', cleanup);
  const send = (e: LiveEvent): void => {
    if (closed || e.id <= lastSent) return;
    lastSent = e.id;
    res.write(formatSse(e));
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
  };
  try {
    unsubscribe = await o.hub.subscribe({ filter: o.filter, deliver: (e) => (pending ? pending.push(e) : send(e)) });
    if (closed) unsubscribe();
    if (o.lastEventId !== undefined) await replay(o, () => lastSent, send, () => closed);
    const buffered = pending;
    pending = undefined;
    for (const e of buffered) send(e);
  } catch (err) {
    o.logger.warn('event stream failed', { err: err instanceof Error ? err.message : err });
    res.destroy();
  }
}

async function replay(o: StreamOptions, after: () => number, send: (e: LiveEvent) => void, isClosed: () => boolean): Promise<void> {
  for (;;) {
    const page = await replayAfter(o.db, after(), o.filter, REPLAY_PAGE);
    for (const e of page) send(e);
    if (page.length < REPLAY_PAGE || isClosed()) return;
  }
}
