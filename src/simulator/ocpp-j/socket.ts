// A light OCPP-J client connection on `ws` (not ocpp-rpc: a benchmark holds 20,000 of these in one
// process). Framing per OCPP-J 1.6 §4 (CALL = 2, CALLRESULT = 3, CALLERROR = 4), one outstanding call of
// ours at a time (§4.1.1; the caller queues), a timeout per call, HTTP Basic auth (security profile 1,
// OCPP-J 1.6 Security §3) and optional TLS trusting a given CA (profile 2), with a client certificate (profile 3).
import { WebSocket, type RawData } from 'ws';
import { CallError, CallTimeout, Disconnected, HandshakeRefused } from '../errors.ts';

const CALL = 2;
const CALLRESULT = 3;
const CALLERROR = 4;

/** OCPP 1.6 security profile 3: the charger's certificate (subject CN = its identity) and private key, PEM. */
export interface ClientCertificate {
  cert: string | Buffer;
  key: string | Buffer;
}

export interface SocketOptions {
  /** the OCPP endpoint without the identity, e.g. ws://host:8080/ocpp */
  url: string;
  identity: string;
  /** WebSocket subprotocol, e.g. ocpp1.6 */
  protocol: string;
  /** Basic-auth password (user = identity); none: no Authorization header */
  password?: string | Buffer;
  /** CA certificate(s) to trust for wss:// */
  ca?: string | Buffer;
  /** TLS client certificate presented on wss:// (security profile 3) */
  clientCert?: ClientCertificate;
  callTimeoutMs: number;
  /** Handles a CALL from the server; its value is the CALLRESULT, a thrown CallError the CALLERROR. */
  onCall(action: string, payload: unknown): Promise<unknown>;
  /** The connection closed (by either side, or lost). Not called when open() failed. */
  onClose(reason: string): void;
  /** A frame that could not be understood (counted as an error). */
  onBadFrame(description: string): void;
}

interface Pending {
  id: string;
  action: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class OcppJSocket {
  private ws: WebSocket | undefined;
  private pending: Pending | undefined;
  private nextId = 1;

  constructor(private readonly o: SocketOptions) {}

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Opens the connection; rejects with HandshakeRefused (HTTP status) or the network error. */
  open(): Promise<void> {
    const headers: Record<string, string> = {};
    if (this.o.password !== undefined) headers.authorization = `Basic ${Buffer.concat([Buffer.from(`${this.o.identity}:`), Buffer.from(this.o.password)]).toString('base64')}`;
    const ws = new WebSocket(`${this.o.url.replace(/\/$/, '')}/${encodeURIComponent(this.o.identity)}`, [this.o.protocol], {
      headers,
      perMessageDeflate: false, // per-socket zlib state would cost more memory than the frames save
      handshakeTimeout: this.o.callTimeoutMs,
      ...(this.o.ca ? { ca: this.o.ca } : {}),
      ...(this.o.clientCert ? { cert: this.o.clientCert.cert, key: this.o.clientCert.key } : {}),
    });
    this.ws = ws;
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => {
        reject(new HandshakeRefused(res.statusCode ?? 0, `handshake refused: HTTP ${res.statusCode}`));
        ws.terminate();
      });
      ws.on('error', () => undefined); // one listener always: an unhandled 'error' would end the process
      ws.once('error', (err) => reject(err));
      ws.once('open', () => {
        if (ws.protocol !== this.o.protocol) {
          ws.terminate();
          reject(new HandshakeRefused(0, `server chose subprotocol '${ws.protocol}', not ${this.o.protocol}`));
          return;
        }
        ws.on('message', (data) => this.onMessage(data));
        ws.once('close', (code, reason) => this.onClosed(`closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`));
        resolve();
      });
    });
  }

  /** Sends a CALL and resolves with the CALLRESULT payload; one at a time. */
  call(action: string, payload: unknown): Promise<unknown> {
    if (this.pending) return Promise.reject(new Error(`${action} while ${this.pending.action} is outstanding: one call at a time`));
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Disconnected());
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending?.id !== id) return;
        this.pending = undefined;
        reject(new CallTimeout(action, this.o.callTimeoutMs));
      }, this.o.callTimeoutMs);
      this.pending = { id, action, resolve, reject, timer };
      ws.send(JSON.stringify([CALL, id, action, payload]));
    });
  }

  /** Closes gracefully (resolves once closed). */
  async close(): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(1000);
    await closed;
  }

  /** Drops the connection at once (a network failure, or a power cut). */
  terminate(): void {
    this.ws?.terminate();
  }

  private onClosed(reason: string): void {
    const p = this.pending;
    this.pending = undefined;
    if (p) {
      clearTimeout(p.timer);
      p.reject(new Disconnected(`connection ${reason} while waiting for ${p.action}`));
    }
    this.o.onClose(reason);
  }

  private onMessage(data: RawData): void {
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      this.o.onBadFrame('a frame that is not JSON');
      return;
    }
    if (!Array.isArray(frame) || typeof frame[1] !== 'string') {
      this.o.onBadFrame('a frame that is not an OCPP-J message array');
      return;
    }
    if (frame[0] === CALL) void this.answer(frame[1], frame[2], frame[3]);
    else if (frame[0] === CALLRESULT || frame[0] === CALLERROR) this.settle(frame);
    else this.o.onBadFrame(`a frame of unknown message type ${String(frame[0])}`);
  }

  private settle(frame: unknown[]): void {
    const p = this.pending;
    if (!p || p.id !== frame[1]) return; // the answer to a call that timed out: too late
    this.pending = undefined;
    clearTimeout(p.timer);
    if (frame[0] === CALLRESULT) p.resolve(frame[2]);
    else p.reject(new CallError(String(frame[2]), String(frame[3] ?? ''), (frame[4] ?? {}) as Record<string, unknown>));
  }

  // Must not throw: the server waits for exactly one answer per CALL.
  private async answer(id: string, action: unknown, payload: unknown): Promise<void> {
    let reply: unknown[];
    try {
      // OCPP-J 1.6 spells it FormationViolation, 2.0.1 FormatViolation
      if (typeof action !== 'string') throw new CallError(this.o.protocol === 'ocpp1.6' ? 'FormationViolation' : 'FormatViolation', 'the action is not a string');
      reply = [CALLRESULT, id, await this.o.onCall(action, payload)];
    } catch (err) {
      const e = err instanceof CallError ? err : new CallError('InternalError', (err as Error).message);
      reply = [CALLERROR, id, e.code, e.message, e.details];
    }
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(reply));
  }
}
