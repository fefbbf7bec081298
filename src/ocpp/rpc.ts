import { EventEmitter } from 'node:events';
import { WebSocket } from 'ws';
import { newUuid } from '../shared/ids.ts';
import { InvalidInput, Timeout, UpstreamFailed } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { withLogContext } from '../shared/log-context.ts';
import { OcppError, rpcCodeFor, toCallError, type OcppProtocol } from './errors.ts';
import type { OcppValidator } from './validate.ts';
import { TokenBucket } from './token-bucket.ts';

// OCPP-J message type ids (OCPP-J 1.6 §4.1.3).
const CALL = 2;
const CALLRESULT = 3;
const CALLERROR = 4;

/** Handles one inbound CALL; returns the CALLRESULT payload or throws (mapped to a CALLERROR). */
export type InboundDispatch = (action: string, payload: unknown) => Promise<unknown>;

interface PendingCall {
  id: string;
  action: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  startedAt: number;
}

/** Told of every answered call and settled command (metrics); one object shared by all connections. */
export interface RpcObserver {
  /** An inbound call was answered; `error` is the CALLERROR code sent, absent on success. */
  ocppCallHandled(action: string, seconds: number, error?: string): void;
  /** A command ended: ok, the charger's CALLERROR code, InvalidResponse, Timeout or Disconnected. */
  commandSettled(action: string, outcome: string, seconds: number): void;
}

interface QueuedCall {
  action: string;
  payload: unknown;
  timeoutMs: number;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export interface RpcOptions {
  identity: string;
  protocol: OcppProtocol;
  /** This socket's id (charge_points.connection_id while it is the charger's current connection). */
  connectionId: string;
  /** False for a charger admitted without credentials (onboarding): it never acts as Accepted. */
  hasCredential: boolean;
  validator: OcppValidator;
  dispatch: InboundDispatch;
  callTimeoutMs: number;
  /** Inbound calls that may wait behind the one being handled; more are refused at once. */
  maxQueuedInbound: number;
  /** Token bucket over inbound calls (calls per second, burst); undefined = no limit. */
  rateLimit?: { perSec: number; burst: number };
  /** Milliseconds since the epoch, from the injected clock (rate limit). */
  now(): number;
  logger: Logger;
  observer?: RpcObserver;
}

/** How a command ended, for metrics. */
function commandOutcome(error: Error | undefined): string {
  if (!error) return 'ok';
  if (error instanceof OcppError) return error.rpcCode;
  if (error instanceof Timeout) return 'Timeout';
  if (error instanceof UpstreamFailed) return 'Disconnected';
  return 'InvalidResponse'; // the answer failed schema validation
}

/**
 * One charger's OCPP-J connection: framing, validation of every payload in both directions, and the
 * two independent call directions. At most one call from us is outstanding at a time (OCPP-J §4.1.1);
 * further commands queue. Inbound CALLs are handled one after the other, so that what a charger sends
 * is persisted in the order it was sent (this matters for an offline queue replayed on reconnect).
 */
export class RpcConnection extends EventEmitter {
  readonly identity: string;
  readonly protocol: OcppProtocol;
  readonly connectionId: string;
  readonly hasCredential: boolean;
  private readonly opts: RpcOptions;
  private outbound: PendingCall | undefined;
  private readonly queue: QueuedCall[] = [];
  private inboundChain: Promise<void> = Promise.resolve();
  private readonly inboundIds = new Set<string>();
  private readonly bucket: TokenBucket | undefined;
  private closed = false;
  private isTakingCalls = true;

  constructor(
    private readonly ws: WebSocket,
    opts: RpcOptions,
  ) {
    super();
    this.opts = opts;
    this.identity = opts.identity;
    this.protocol = opts.protocol;
    this.connectionId = opts.connectionId;
    this.hasCredential = opts.hasCredential;
    this.bucket = opts.rateLimit ? new TokenBucket(opts.rateLimit.perSec, opts.rateLimit.burst, opts.now()) : undefined;
    ws.on('message', (data, isBinary) => this.onFrame(data.toString(), isBinary));
    ws.on('close', (code, reason) => this.onClose(code, reason.toString()));
    ws.on('error', (err) => opts.logger.warn('websocket error', { err: err.message }));
  }

  /** The socket has closed (the 'close' event was emitted). */
  get isClosed(): boolean {
    return this.closed;
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a CALL and resolves with the validated CALLRESULT payload. */
  call(action: string, payload: unknown, timeoutMs = this.opts.callTimeoutMs): Promise<unknown> {
    // Our own payload is checked first: a bad command from the admin API must never reach the charger.
    try {
      this.opts.validator.check(action, 'req', payload);
    } catch (err) {
      return Promise.reject(new InvalidInput(`${action} payload: ${(err as Error).message}`));
    }
    if (!this.isOpen) return Promise.reject(new UpstreamFailed(`charger ${this.identity} is not connected`));
    return new Promise((resolve, reject) => {
      this.queue.push({ action, payload, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  close(code = 1000, reason = ''): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }

  /** Forcibly drops the socket (used when the same charger reconnects on another socket). */
  terminate(): void {
    this.ws.terminate();
  }

  /**
   * Shutdown: inbound CALLs not yet being handled are dropped unanswered (the charger sends them again
   * after it reconnects, OCPP-J 1.6 §4.1.1), new ones are ignored; resolves when the one being handled
   * has been answered.
   */
  stopTakingCalls(): Promise<void> {
    this.isTakingCalls = false;
    return this.inboundChain;
  }

  private pump(): void {
    if (this.outbound || this.queue.length === 0 || !this.isOpen) return;
    const next = this.queue.shift()!;
    const id = newUuid();
    const timer = setTimeout(() => this.settleOutbound(id, new Timeout(`${next.action} to ${this.identity}: no answer within ${next.timeoutMs} ms`)), next.timeoutMs);
    this.outbound = { id, action: next.action, resolve: next.resolve, reject: next.reject, timer, startedAt: performance.now() };
    this.send([CALL, id, next.action, next.payload]);
  }

  private settleOutbound(id: string, error: Error | undefined, result?: unknown): void {
    const pending = this.outbound;
    if (!pending || pending.id !== id) return;
    clearTimeout(pending.timer);
    this.outbound = undefined;
    this.opts.observer?.commandSettled(pending.action, commandOutcome(error), (performance.now() - pending.startedAt) / 1000);
    if (error) pending.reject(error);
    else pending.resolve(result);
    this.pump();
  }

  private send(frame: unknown[]): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private sendError(id: string, err: OcppError): void {
    this.send([CALLERROR, id, err.rpcCode, err.message.slice(0, 255), err.details]);
  }

  private onFrame(text: string, isBinary: boolean): void {
    // Some chargers send empty keep-alive frames; they carry nothing to answer.
    if (text.length === 0) return;
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return this.badFrame('-1', 'FrameworkError', 'message is not valid JSON');
    }
    if (isBinary || !Array.isArray(frame) || typeof frame[0] !== 'number') return this.badFrame('-1', 'FrameworkError', 'message must be a JSON array starting with a message type');
    const [type, id] = frame as [number, unknown];
    if (typeof id !== 'string' || id.length === 0 || id.length > 36) return this.badFrame('-1', 'FrameworkError', 'message id must be a string of at most 36 characters');
    if (type === CALL) return this.onCall(id, frame);
    if (type === CALLRESULT) return this.onResult(id, frame[2]);
    if (type === CALLERROR) return this.onError(id, frame);
    return this.badFrame(id, 'MessageTypeNotSupported', `unknown message type ${type}`);
  }

  private badFrame(id: string, code: 'FrameworkError' | 'MessageTypeNotSupported', message: string): void {
    this.opts.logger.warn('bad OCPP frame', { reason: message });
    this.sendError(id, new OcppError(rpcCodeFor(this.protocol, code), message));
  }

  private onCall(id: string, frame: unknown[]): void {
    const [, , action, payload] = frame;
    if (!this.isTakingCalls) return;
    if (typeof action !== 'string' || frame.length !== 4) return this.badFrame(id, 'FrameworkError', 'CALL must be [2, id, action, payload]');
    if (this.inboundIds.has(id)) return this.badFrame(id, 'FrameworkError', `a call with message id ${id} is already being processed`);
    // OCPP-J 1.6 §4.1.1 allows one outstanding CALL; a few more wait, the rest are refused unhandled.
    if (this.inboundIds.size > this.opts.maxQueuedInbound) {
      return this.refuseCall(id, action, `too many calls in progress: at most ${this.opts.maxQueuedInbound + 1} at a time (OCPP-J allows one outstanding CALL)`);
    }
    if (this.bucket && !this.bucket.take(this.opts.now())) {
      const { perSec, burst } = this.opts.rateLimit!;
      return this.refuseCall(id, action, `rate limit exceeded: at most ${perSec} calls per second (bursts of ${burst})`);
    }
    this.inboundIds.add(id);
    // Must not throw: every inbound CALL gets exactly one reply.
    this.inboundChain = this.inboundChain.then(() => withLogContext({ chargePointId: this.identity }, () => this.handleCall(id, action, payload))).finally(() => this.inboundIds.delete(id));
  }

  private refuseCall(id: string, action: string, message: string): void {
    this.opts.logger.warn('inbound call refused', { action, reason: message });
    this.sendError(id, new OcppError('GenericError', message));
    this.emit('handled', { action, ms: 0, error: 'GenericError' });
    this.opts.observer?.ocppCallHandled(action, 0, 'GenericError');
  }

  private async handleCall(id: string, action: string, payload: unknown): Promise<void> {
    if (!this.isTakingCalls) return;
    const started = Date.now();
    const startedAt = performance.now();
    try {
      if (!this.opts.validator.actions.has(action)) throw new OcppError('NotImplemented', `action '${action}' is not implemented`);
      this.opts.validator.check(action, 'req', payload);
      const result = await this.opts.dispatch(action, payload);
      try {
        this.opts.validator.check(action, 'conf', result);
      } catch (err) {
        this.opts.logger.error('handler returned an invalid response', { action, err: (err as Error).message });
        throw new OcppError('InternalError', 'An internal error occurred');
      }
      this.send([CALLRESULT, id, result]);
      this.emit('handled', { action, ms: Date.now() - started });
      this.opts.observer?.ocppCallHandled(action, (performance.now() - startedAt) / 1000);
    } catch (err) {
      const callError = toCallError(this.protocol, err);
      if (callError.rpcCode === 'InternalError' && !(err instanceof OcppError)) {
        this.opts.logger.error('handler failed', { action, err: err instanceof Error ? { message: err.message, stack: err.stack } : err });
      }
      this.sendError(id, callError);
      this.emit('handled', { action, ms: Date.now() - started, error: callError.rpcCode });
      this.opts.observer?.ocppCallHandled(action, (performance.now() - startedAt) / 1000, callError.rpcCode);
    }
  }

  private onResult(id: string, payload: unknown): void {
    const pending = this.outbound;
    if (!pending || pending.id !== id) return void this.opts.logger.warn('CALLRESULT for an unknown message id', { id });
    try {
      this.opts.validator.check(pending.action, 'conf', payload);
    } catch (err) {
      return this.settleOutbound(id, err as Error);
    }
    this.settleOutbound(id, undefined, payload);
  }

  private onError(id: string, frame: unknown[]): void {
    const [, , code, description, details] = frame;
    const err = new OcppError(String(code), `charger answered ${String(code)}: ${String(description ?? '')}`, typeof details === 'object' && details ? (details as Record<string, unknown>) : {});
    this.settleOutbound(id, err);
  }

  private onClose(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const gone = new UpstreamFailed(`charger ${this.identity} disconnected`);
    const pending = this.outbound;
    if (pending) this.settleOutbound(pending.id, gone);
    for (const queued of this.queue.splice(0)) queued.reject(gone);
    this.emit('close', { code, reason });
  }
}
