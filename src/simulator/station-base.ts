// What every simulated charger does whatever its OCPP version: connects and reconnects (./connection.ts),
// boots until accepted, heartbeats at the interval it was given, reports each status once, waits for and
// stops its connection and answers the server's requests. An adapter (ocpp16/, ocpp201/) supplies only the
// messages of its version.
import { ChargerConnection, type ConnectionOptions } from './connection.ts';
import { CallError } from './errors.ts';
import type { SimCharger } from './model/charger.ts';
import type { MeterSample, StopReason, Transaction } from './model/types.ts';
import type { IdTagInfo } from './model/authorization.ts';
import type { Station } from './station.ts';
import { Timers } from './timers.ts';

export interface StationBaseOptions extends Omit<ConnectionOptions, 'identity' | 'protocol' | 'password' | 'transactionAttempts' | 'transactionRetryMs'> {
  /** until the server gives one in its BootNotification answer */
  heartbeatIntervalSec: number;
  /** how long a reset keeps the charger off the network */
  rebootDelayMs: number;
}

type SendOptions = Parameters<ChargerConnection['send']>[2];
type Build = (o: { replay: boolean }) => unknown;
export const ignore = () => undefined;

export abstract class StationBase<O extends StationBaseOptions> implements Station {
  protected readonly conn: ChargerConnection;
  protected readonly timers = new Timers();
  protected accepted = false;
  protected needsBoot = true;
  /** the status last queued per connector (or EVSE); forgotten when it could not be sent */
  protected readonly reported = new Map<number, string>();
  private cancelHeartbeat: (() => void) | undefined;
  private onlineWaiters: Array<() => void> = [];

  constructor(
    readonly model: SimCharger,
    protected readonly o: O,
    protocol: 'ocpp1.6' | 'ocpp2.0.1',
  ) {
    const conn: ConnectionOptions = {
      ...o,
      identity: model.spec.id,
      protocol,
      password: () => this.password(),
      transactionAttempts: () => Math.max(1, this.transactionAttempts()),
      transactionRetryMs: () => this.transactionRetrySec() * 1000,
    };
    this.conn = new ChargerConnection(conn, { opened: () => this.opened(), closed: () => this.closed(), call: (a, p) => this.handle(a, p) });
    model.link = this;
  }

  // The version's messages and settings ------------------------------------------------------------------

  /** The Basic-auth password, read at every connection attempt. */
  protected abstract password(): string | Buffer | undefined;
  protected abstract transactionAttempts(): number;
  protected abstract transactionRetrySec(): number;
  protected abstract bootRequest(): unknown;
  /** Keeps the heartbeat interval of an accepted or pending boot answer as the charger's setting. */
  protected abstract keepHeartbeatInterval(sec: number): void;
  /** The heartbeat interval setting (0: none yet). */
  protected abstract heartbeatSetting(): number;
  /** The connectors (or EVSEs) reported when the charger comes online. */
  protected abstract statusIds(): number[];
  protected abstract statusOf(id: number): string;
  protected abstract statusNotification(id: number, status: string): unknown;
  /** A MeterValues request outside transactions. */
  protected abstract meterValuesRequest(connectorId: number, sample: MeterSample): unknown;
  /** The handler of a request of the server (undefined: NotImplemented), its payload schema-checked first. */
  protected abstract requestHandler(action: string): ((payload: unknown) => unknown) | undefined;
  protected abstract checkRequest(action: string, payload: unknown): void;
  /** What the station's messages call the station in a NotImplemented answer. */
  protected abstract readonly kind: string;

  abstract connectorChanged(connectorId: number): void;
  abstract authorize(idTag: string): Promise<IdTagInfo | undefined>;
  abstract transactionStarted(tx: Transaction, sample: MeterSample): void;
  abstract meterValues(connectorId: number, tx: Transaction | undefined, sample: MeterSample): void;
  abstract transactionStopped(tx: Transaction, sample: MeterSample, reason: StopReason, idTag?: string): void;
  abstract transactionId(ref: string): number | string | undefined;

  /** Called once a boot was accepted, before the charger comes online. */
  protected bootAccepted(): void {}
  /** Checks an answer to the server before it is sent. */
  protected checkAnswer(_action: string, _answer: unknown): void {}

  /** Sends a message of ours through the connection's queue. */
  protected send(action: string, build: Build, o: SendOptions = {}): Promise<unknown> {
    return this.conn.send(action, build, o);
  }

  // Station --------------------------------------------------------------------------------------------

  get identity(): string {
    return this.model.spec.id;
  }

  get isOnline(): boolean {
    return this.accepted && this.conn.isOpen;
  }

  get queued(): number {
    return this.conn.queued;
  }

  start(): void {
    this.conn.start();
  }

  whenOnline(): Promise<void> {
    if (this.isOnline) return Promise.resolve();
    return new Promise((resolve) => this.onlineWaiters.push(resolve));
  }

  async stop(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.conn.whenDrained(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    this.timers.clear(true);
    await this.conn.stop();
    for (const w of this.onlineWaiters.splice(0)) w();
  }

  /**
   * The benchmarks' closed loop: MeterValues of connector 1 back to back, one outstanding call, while
   * `running()`; waits while offline. Not transaction messages: a lost one is not replayed.
   */
  async flood(running: () => boolean): Promise<void> {
    while (running()) {
      if (!this.isOnline) {
        await this.whenOnline();
        continue;
      }
      const sample = this.model.sample(1, 'Sample.Periodic');
      await this.conn.send('MeterValues', () => this.meterValuesRequest(1, sample)).catch(ignore);
    }
  }

  dropConnection(): void {
    this.conn.drop();
  }

  later(fn: () => void, ms = 0): void {
    this.timers.after(ms, fn);
  }

  // Connection lifecycle ---------------------------------------------------------------------------------

  private opened(): void {
    if (this.needsBoot) void this.boot();
    else this.online();
  }

  private closed(): void {
    this.cancelHeartbeat?.();
    this.cancelHeartbeat = undefined;
  }

  /** BootNotification until Accepted, again after the interval of a Pending/Rejected answer. */
  private async boot(): Promise<void> {
    this.reported.clear(); // a booted charger reports every connector afresh
    let res: { status: string; interval: number };
    try {
      res = (await this.conn.callDirect('BootNotification', this.bootRequest())) as typeof res;
    } catch {
      return; // the connection is gone: the next one boots again
    }
    if (res.interval > 0) this.keepHeartbeatInterval(res.interval);
    if (res.status !== 'Accepted') {
      this.timers.after((res.interval || 10) * 1000, () => this.conn.isOpen && void this.boot());
      return;
    }
    this.accepted = true;
    this.needsBoot = false;
    this.bootAccepted();
    this.o.stats.accepted(this.identity);
    this.online();
  }

  private online(): void {
    for (const id of this.statusIds()) this.sendStatus(id);
    this.conn.resume();
    this.scheduleHeartbeat();
    for (const w of this.onlineWaiters.splice(0)) w();
  }

  private scheduleHeartbeat(): void {
    this.cancelHeartbeat?.();
    const sec = this.heartbeatSetting() || this.o.heartbeatIntervalSec;
    this.cancelHeartbeat = this.timers.after(sec * 1000, () => {
      this.cancelHeartbeat = undefined;
      if (!this.conn.isOpen) return;
      this.send('Heartbeat', () => ({})).catch(ignore);
      this.scheduleHeartbeat();
    });
  }

  /** A changed heartbeat interval applies from now on (while online). */
  protected heartbeatChanged(): void {
    if (this.cancelHeartbeat) this.scheduleHeartbeat();
  }

  /** Goes off the network for the reboot delay and boots again. */
  protected async restart(): Promise<void> {
    this.accepted = false;
    this.needsBoot = true;
    await this.conn.reconnect(this.o.rebootDelayMs);
  }

  /** Reconnects at once with a password the server just set. */
  protected reconnectWithNewPassword(setting: string): void {
    this.conn.reconnect(0).catch((err: Error) => this.o.stats.error(`${this.identity}: reconnecting with the new ${setting} failed: ${err.message}`));
  }

  /** A StatusNotification for connector (or EVSE) `id` when its status changed since the last one (`force`: in any case). */
  protected sendStatus(id: number, force = false): void {
    const status = this.statusOf(id);
    if (!force && this.reported.get(id) === status) return;
    this.reported.set(id, status);
    this.send('StatusNotification', () => this.statusNotification(id, status), { done: (o) => !o.ok && this.reported.get(id) === status && this.reported.delete(id) }).catch(ignore);
  }

  /** `ask()` while online; undefined offline or without an answer (the charger then decides locally). */
  protected async askOnline<T>(ask: () => Promise<T>): Promise<T | undefined> {
    if (!this.isOnline) return undefined;
    try {
      return await ask();
    } catch {
      return undefined;
    }
  }

  private async handle(action: string, payload: unknown): Promise<unknown> {
    this.o.stats.commandReceived(action);
    const handler = this.requestHandler(action);
    if (!handler) throw new CallError('NotImplemented', `${action} is not implemented by this ${this.kind}`);
    this.checkRequest(action, payload);
    const answer = handler(payload);
    this.checkAnswer(action, answer);
    return answer;
  }
}
