// Plays the charger: ocpp-rpc's RPCClient in strict mode (an independent OCPP 1.6-J implementation),
// and a raw `ws` socket for checking exact CALLERROR frames.
import { once } from 'node:events';
import { RPCClient } from 'ocpp-rpc';
import { WebSocket } from 'ws';
import type { TestApp } from './app.ts';
import { trackOpen } from './leak-guard.ts';

export type ChargerClient = InstanceType<typeof RPCClient>;

export interface ChargerOptions {
  /** Basic-auth password: a string, or the bytes of an AuthorizationKey (OCPP 1.6 security whitepaper). */
  password?: string | Buffer | null;
  protocols?: string[];
  callTimeoutMs?: number;
}

/** A strict OCPP 1.6 client for `identity`; not yet connected. Closed by the leak guard if forgotten. */
export function aChargerClient(t: Pick<TestApp, 'ocppUrl'>, identity: string, o: ChargerOptions = {}): ChargerClient {
  const client = new RPCClient({
    endpoint: t.ocppUrl,
    identity,
    password: o.password ?? null,
    protocols: o.protocols ?? ['ocpp1.6'],
    strictMode: true,
    reconnect: false,
    callTimeoutMs: o.callTimeoutMs ?? 10_000,
  } as ConstructorParameters<typeof RPCClient>[0]);
  trackOpen({ name: `charger ${identity}`, isOpen: () => client.state !== RPCClient.CLOSED, forceClose: async () => void (await client.close({ force: true })) });
  return client;
}

/** Connects a strict OCPP 1.6 client; resolves once the socket is open. */
export async function connectCharger(t: Pick<TestApp, 'ocppUrl'>, identity: string, o: ChargerOptions = {}): Promise<ChargerClient> {
  const client = aChargerClient(t, identity, o);
  await client.connect();
  return client;
}

/** A raw OCPP-J socket: send any frame and read the server's frames one by one. */
export interface RawSocket {
  ws: WebSocket;
  send(frame: unknown): void;
  /** The next frame from the server (parsed). */
  next(): Promise<any>;
  /** The next frame answering message id `id` (other frames are kept for `next`). */
  reply(id: string): Promise<any>;
  /** Frames received but not yet read. */
  readonly buffered: any[];
  close(): Promise<void>;
}

/** `autoPong: false` plays a charger that never answers the server's pings (a half-open connection). */
export async function connectRaw(t: Pick<TestApp, 'ocppUrl'>, identity: string, o: { password?: string | Buffer; protocol?: string; autoPong?: boolean } = {}): Promise<RawSocket> {
  const headers: Record<string, string> = {};
  if (o.password) headers.authorization = basicAuth(identity, o.password);
  const ws = new WebSocket(`${t.ocppUrl}/${encodeURIComponent(identity)}`, [o.protocol ?? 'ocpp1.6'], { headers, autoPong: o.autoPong ?? true });
  trackOpen({ name: `raw socket ${identity}`, isOpen: () => ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING, forceClose: () => ws.terminate() });
  const buffered: any[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    buffered.push(JSON.parse(data.toString()));
    for (const w of waiters.splice(0)) w();
  });
  await once(ws, 'open');
  const take = async (match: (f: any) => boolean): Promise<any> => {
    for (;;) {
      const i = buffered.findIndex(match);
      if (i >= 0) return buffered.splice(i, 1)[0];
      if (ws.readyState !== WebSocket.OPEN) throw new Error(`socket of ${identity} closed while waiting for a frame`);
      await new Promise<void>((resolve) => {
        const done = () => {
          ws.off('close', done);
          resolve();
        };
        waiters.push(done);
        ws.once('close', done);
      });
    }
  };
  return {
    ws,
    buffered,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next: () => take(() => true),
    reply: (id) => take((f) => Array.isArray(f) && f[1] === id && (f[0] === 3 || f[0] === 4)),
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      const closed = once(ws, 'close');
      ws.close();
      await closed;
    },
  };
}

/** Sends a CALL on a raw socket and returns the server's CALLRESULT/CALLERROR frame. */
export async function rawCall(sock: RawSocket, action: string, payload: unknown, id = `m-${Math.random().toString(36).slice(2, 10)}`): Promise<any> {
  sock.send([2, id, action, payload]);
  return sock.reply(id);
}

/** The Basic authorization header of `identity` with `password` (bytes are sent as they are). */
export const basicAuth = (identity: string, password: string | Buffer): string =>
  `Basic ${Buffer.concat([Buffer.from(`${identity}:`), Buffer.isBuffer(password) ? password : Buffer.from(password)]).toString('base64')}`;

/**
 * Attempts a WebSocket handshake and reports the HTTP status (with body and headers) of a refusal, or 101
 * when a socket opened (it is closed at once).
 */
export async function handshakeStatus(t: Pick<TestApp, 'ocppUrl'>, identity: string, o: { password?: string | Buffer; protocols?: string[]; authorization?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const headers: Record<string, string> = {};
  if (o.authorization) headers.authorization = o.authorization;
  else if (o.password) headers.authorization = basicAuth(identity, o.password);
  const ws = new WebSocket(`${t.ocppUrl}/${encodeURIComponent(identity)}`, o.protocols ?? ['ocpp1.6'], { headers });
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    ws.once('open', () => {
      ws.terminate();
      resolve({ status: 101, body: '', headers: {} });
    });
    ws.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}
