// A charger's connection to the server, whatever the OCPP version: connects and reconnects with backoff,
// sends its queued messages one call at a time, keeps transaction messages across a lost connection and
// replays them in order (OCPP 1.6 §4.10), and retries a failed transaction message a few times
// (TransactionMessageAttempts / TransactionMessageRetryInterval, OCPP 1.6 §9.1).
import { performance } from 'node:perf_hooks';
import { CallError, Disconnected, resultCode } from './errors.ts';
import { OutboundQueue, type OutboundItem } from './model/outbound-queue.ts';
import { OcppJSocket, type ClientCertificate } from './ocpp-j/socket.ts';
import type { Random } from './random.ts';
import type { SimulationStats } from './stats.ts';
import { Timers } from './timers.ts';

export type Outcome = { ok: true; payload: unknown } | { ok: false; error: Error };

interface Message {
  /**
   * builds the payload at send time (a transaction id may have come meanwhile); undefined = drop it.
   * `replay`: it was kept while offline (OCPP 2.0.1 E12 marks such a TransactionEvent `offline`).
   */
  build(o: { replay: boolean }): unknown;
  /** called synchronously with the outcome, before the next message is built */
  done(outcome: Outcome): void;
  /** kept while the charger was offline: sending it is a replay */
  keptOffline: boolean;
}

export interface ConnectionOptions {
  url: string;
  identity: string;
  protocol: string;
  /** read at every connection attempt: the password may change (AuthorizationKey) */
  password(): string | Buffer | undefined;
  ca?: string | Buffer;
  clientCert?: ClientCertificate;
  callTimeoutMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  random: Random;
  stats: SimulationStats;
  /** OCPP 1.6 TransactionMessageAttempts / TransactionMessageRetryInterval, read when needed */
  transactionAttempts(): number;
  transactionRetryMs(): number;
}

export interface ConnectionHandlers {
  /** The socket is open; the queue does not flow until `resume()` (e.g. after an accepted boot). */
  opened(): void;
  closed(): void;
  call(action: string, payload: unknown): Promise<unknown>;
}

export class ChargerConnection {
  private readonly queue = new OutboundQueue<Message>();
  private readonly timers = new Timers();
  private socket: OcppJSocket | undefined;
  private flowing = false;
  private pumping = false;
  private stopped = false;
  private failures = 0;
  private everOpened = false;
  private drainWaiters: Array<() => void> = [];

  constructor(
    private readonly o: ConnectionOptions,
    private readonly h: ConnectionHandlers,
  ) {}

  get isOpen(): boolean {
    return this.socket?.isOpen === true;
  }

  /** Messages waiting to be sent (transaction messages kept while offline included). */
  get queued(): number {
    return this.queue.length;
  }

  start(): void {
    void this.connect();
  }

  /**
   * Queues a message. A transaction message waits for the connection; any other is refused at once
   * (Disconnected) while offline, and dropped if the connection is lost before it is sent.
   */
  send(action: string, build: (o: { replay: boolean }) => unknown, o: { transactional?: boolean; done?: (outcome: Outcome) => void } = {}): Promise<unknown> {
    const transactional = o.transactional === true;
    if (!transactional && (!this.isOpen || this.stopped)) {
      const error = new Disconnected();
      o.done?.({ ok: false, error });
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const done = (outcome: Outcome) => {
        o.done?.(outcome);
        if (outcome.ok) resolve(outcome.payload);
        else reject(outcome.error);
      };
      this.queue.push({ action, transactional, attempts: 0, data: { build, done, keptOffline: !this.isOpen } });
      void this.pump();
    });
  }

  /** A call outside the queue, while it does not flow (the boot handshake). */
  async callDirect(action: string, payload: unknown): Promise<unknown> {
    if (!this.socket?.isOpen) throw new Disconnected();
    return this.timedCall(this.socket, action, payload);
  }

  /** Lets the queue flow (the server accepted the charger). */
  resume(): void {
    this.flowing = true;
    void this.pump();
  }

  /** Resolves once nothing is queued (or the connection is gone). */
  whenDrained(): Promise<void> {
    if (this.queue.length === 0 || !this.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Closes the socket and connects again after `afterMs` (a reboot). */
  async reconnect(afterMs: number): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    this.flowing = false;
    await socket?.close();
    this.timers.after(afterMs, () => void this.connect());
  }

  /** Drops the connection without a goodbye (network failure); it reconnects with backoff. */
  drop(): void {
    this.socket?.terminate();
  }

  /** Closes for good; what is still queued is failed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clear(true);
    const socket = this.socket;
    this.socket = undefined;
    await socket?.close();
    for (const item of this.queue.toArray()) {
      if (item.transactional) this.o.stats.error(`${this.o.identity}: ${item.action} not sent before the end of the run`);
      item.data.done({ ok: false, error: new Disconnected('simulation stopped') });
    }
    while (this.queue.shift());
    this.notifyDrained();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const socket = new OcppJSocket({
      url: this.o.url,
      identity: this.o.identity,
      protocol: this.o.protocol,
      password: this.o.password(),
      ca: this.o.ca,
      clientCert: this.o.clientCert,
      callTimeoutMs: this.o.callTimeoutMs,
      onCall: (action, payload) => this.h.call(action, payload),
      onClose: (reason) => this.onClosed(socket, reason),
      onBadFrame: (d) => this.o.stats.error(`${this.o.identity}: received ${d}`),
    });
    this.socket = socket;
    try {
      await socket.open();
    } catch (err) {
      if (this.socket === socket) this.socket = undefined;
      if (this.stopped) return; // given up by stop(): not a failure
      this.o.stats.error(`${this.o.identity}: cannot connect: ${(err as Error).message}`);
      this.scheduleReconnect();
      return;
    }
    if (this.stopped || this.socket !== socket) return void socket.terminate();
    this.failures = 0;
    this.o.stats.connected(this.o.identity);
    if (this.everOpened) this.o.stats.reconnects++;
    this.everOpened = true;
    this.h.opened();
  }

  private onClosed(socket: OcppJSocket, reason: string): void {
    // A socket closed on purpose (reboot, stop) is no longer the current one: its reconnect is planned already.
    const lost = this.socket === socket;
    if (lost) this.socket = undefined;
    this.flowing = false;
    for (const item of this.queue.dropVolatile()) item.data.done({ ok: false, error: new Disconnected(`connection ${reason}`) });
    for (const item of this.queue.toArray()) item.data.keptOffline = true;
    this.notifyDrained();
    this.h.closed();
    if (lost) this.scheduleReconnect();
  }

  /** Exponential backoff with jitter, so that a fleet does not reconnect in one burst. */
  private scheduleReconnect(): void {
    if (this.stopped) return;
    const base = Math.min(this.o.reconnectMaxMs, this.o.reconnectMinMs * 2 ** Math.min(this.failures, 16));
    this.failures++;
    this.timers.after(base * (0.5 + this.o.random() / 2), () => void this.connect());
  }

  private async timedCall(socket: OcppJSocket, action: string, payload: unknown): Promise<unknown> {
    this.o.stats.callSent(action);
    const t0 = performance.now();
    try {
      const answer = await socket.call(action, payload);
      this.o.stats.callAnswered(action, 'ok', performance.now() - t0);
      return answer;
    } catch (err) {
      this.o.stats.callAnswered(action, resultCode(err), err instanceof CallError ? performance.now() - t0 : undefined);
      throw err;
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let item = this.queue.head(); item && this.flowing && this.socket?.isOpen; item = this.queue.head()) {
        await this.sendHead(this.socket, item);
      }
    } finally {
      this.pumping = false;
      if (this.queue.length === 0) this.notifyDrained();
    }
  }

  private async sendHead(socket: OcppJSocket, item: OutboundItem<Message>): Promise<void> {
    const replay = item.data.keptOffline;
    const payload = item.data.build({ replay });
    if (payload === undefined) {
      this.queue.shift();
      item.data.done({ ok: false, error: new Error(`${item.action} dropped: its transaction never started`) });
      return;
    }
    if (replay) this.o.stats.replayed++;
    item.data.keptOffline = false;
    try {
      const answer = await this.timedCall(socket, item.action, payload);
      this.queue.shift();
      item.data.done({ ok: true, payload: answer });
    } catch (err) {
      if (err instanceof Disconnected) return; // kept for the replay (or already dropped with the connection)
      if (item.transactional && ++item.attempts < this.o.transactionAttempts()) {
        await new Promise<void>((resolve) => this.timers.after(this.o.transactionRetryMs() * item.attempts, resolve));
        return;
      }
      this.queue.shift();
      this.o.stats.error(`${this.o.identity}: ${item.action} failed: ${(err as Error).message}`);
      item.data.done({ ok: false, error: err as Error });
    }
  }

  private notifyDrained(): void {
    for (const w of this.drainWaiters.splice(0)) w();
  }
}
