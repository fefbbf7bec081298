// A local HTTP server playing an outside PKI service (OCSP responder, contract certificate pool): it keeps
// each request and answers from a queue (the last answer repeats); `hang` leaves the request unanswered.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PkiAnswer {
  status?: number;
  body?: Buffer | string;
  contentType?: string;
  hang?: boolean;
}

export interface PkiServer {
  url: string;
  received: Array<{ method: string; path: string; headers: IncomingHttpHeaders; body: Buffer }>;
  answers: PkiAnswer[];
  close(): Promise<void>;
}

export async function aPkiServer(answers: PkiAnswer[] = [{ status: 200, body: '' }]): Promise<PkiServer> {
  const received: PkiServer['received'] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const answer = (answers.length > 1 ? answers.shift() : answers[0]) ?? {};
      if (answer.hang) return void hanging.push(res);
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/octet-stream' });
      res.end(answer.body ?? '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return { url: `http://127.0.0.1:${port}`, received, answers, close };
}
