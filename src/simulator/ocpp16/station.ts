// The OCPP 1.6-J adapter of a simulated charger: boots (§4.2), heartbeats at the interval the server gives
// (§4.6), reports status changes (§4.9), sends the model's transactions (§4.8, §4.10, §4.7 MeterValues) with
// the transactionId the server assigned, and answers the server's commands (./commands.ts).
import type { BootNotificationRequest, BootNotificationResponse, StartTransactionResponse } from '../../ocpp/v16/types.ts';
import { ChargerConnection, type ConnectionOptions } from '../connection.ts';
import { CallError } from '../errors.ts';
import type { IdTagInfo } from '../model/authorization.ts';
import type { SimCharger } from '../model/charger.ts';
import type { ChargerLink, MeterSample, StopReason, Transaction } from '../model/types.ts';
import { Timers } from '../timers.ts';
import { OCPP16_HANDLERS, type CommandContext, type TriggerableMessage } from './commands.ts';
import { Ocpp16Configuration } from './configuration.ts';
import { connectorStatus, meterValue, toIdTagInfo } from './messages.ts';
import { checkRequest } from './validate.ts';

export interface StationOptions extends Omit<ConnectionOptions, 'identity' | 'protocol' | 'password' | 'transactionAttempts' | 'transactionRetryMs'> {
  boot: BootNotificationRequest;
  /** until the server gives one in its BootNotification answer */
  heartbeatIntervalSec: number;
  /** how long a reset keeps the charger off the network */
  rebootDelayMs: number;
  /** the pause between two firmware / diagnostics status notifications */
  firmwareStepMs: number;
  /** configuration keys (strings, as OCPP 1.6 keeps them), shared by the fleet; AuthorizationKey = the password */
  configuration: Readonly<Record<string, string>>;
  /** this charger's own values (its AuthorizationKey) */
  ownConfiguration: Record<string, string>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const ignore = () => undefined;

export class Ocpp16Station implements ChargerLink, CommandContext {
  readonly config: Ocpp16Configuration;
  private readonly conn: ChargerConnection;
  private readonly timers = new Timers();
  private accepted = false;
  private needsBoot = true;
  private readonly txIds = new Map<string, number | null>();
  private readonly refs = new Map<number, string>();
  /** the status last queued per connector; forgotten when it could not be sent */
  private readonly reported = new Map<number, string>();
  private cancelHeartbeat: (() => void) | undefined;
  private onlineWaiters: Array<() => void> = [];
  /** An AuthorizationKey the server set (hex): its bytes are the password (OCPP 1.6 security whitepaper). */
  private keyBytes: Buffer | undefined;

  constructor(
    readonly model: SimCharger,
    private readonly o: StationOptions,
  ) {
    this.config = new Ocpp16Configuration(o.configuration, o.ownConfiguration);
    const conn: ConnectionOptions = {
      ...o,
      identity: model.spec.id,
      protocol: 'ocpp1.6',
      // OCPP 1.6 security profile 1: the Basic-auth password is the AuthorizationKey (ChangeConfiguration may set it)
      password: () => this.keyBytes ?? (this.config.value('AuthorizationKey') || undefined),
      transactionAttempts: () => Math.max(1, this.config.number('TransactionMessageAttempts')),
      transactionRetryMs: () => this.config.number('TransactionMessageRetryInterval') * 1000,
    };
    this.conn = new ChargerConnection(conn, { opened: () => this.opened(), closed: () => this.closed(), call: (a, p) => this.handle(a, p) });
    model.link = this;
  }

  get identity(): string {
    return this.model.spec.id;
  }

  get isOnline(): boolean {
    return this.accepted && this.conn.isOpen;
  }

  /** Messages waiting to be sent, transaction messages kept while offline included. */
  get queued(): number {
    return this.conn.queued;
  }

  /** The transactionId the server gave the model's transaction `ref`, once it answered. */
  transactionId(ref: string): number | undefined {
    return this.txIds.get(ref) ?? undefined;
  }

  start(): void {
    this.conn.start();
  }

  /** Resolves once the charger is connected and accepted. */
  whenOnline(): Promise<void> {
    if (this.isOnline) return Promise.resolve();
    return new Promise((resolve) => this.onlineWaiters.push(resolve));
  }

  /** Lets the queue empty (bounded by `timeoutMs`), then closes for good. */
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
      await this.conn.send('MeterValues', () => ({ connectorId: 1, meterValue: [meterValue(sample, this.config.list('MeterValuesSampledData'))] })).catch(ignore);
    }
  }

  /** A network failure: the socket drops without a close handshake; the charger reconnects with backoff. */
  dropConnection(): void {
    this.conn.drop();
  }

  // ChargerLink ------------------------------------------------------------------------------------------

  connectorChanged(connectorId: number): void {
    if (this.accepted) this.sendStatus(connectorId);
  }

  async authorize(idTag: string): Promise<IdTagInfo | undefined> {
    if (!this.isOnline) return undefined;
    try {
      const res = (await this.conn.send('Authorize', () => ({ idTag }))) as { idTagInfo: Parameters<typeof toIdTagInfo>[0] };
      return toIdTagInfo(res.idTagInfo);
    } catch {
      return undefined; // no answer: the charger decides locally (§3.5)
    }
  }

  transactionStarted(tx: Transaction): void {
    const build = () => ({ connectorId: tx.connectorId, idTag: tx.idTag, meterStart: tx.meterStartWh, timestamp: iso(tx.startedAt), ...(tx.reservationId === undefined ? {} : { reservationId: tx.reservationId }) });
    this.conn.send('StartTransaction', build, {
      transactional: true,
      done: (outcome) => {
        if (!outcome.ok) return void this.txIds.set(tx.ref, null); // its meter values and stop cannot be sent
        const res = outcome.payload as StartTransactionResponse;
        this.txIds.set(tx.ref, res.transactionId);
        this.refs.set(res.transactionId, tx.ref);
        if (res.idTagInfo.status === 'Accepted') this.o.stats.sessionsStarted++;
        this.model.startAnswered(tx.ref, toIdTagInfo(res.idTagInfo));
      },
    }).catch(ignore);
  }

  meterValues(connectorId: number, tx: Transaction | undefined, sample: MeterSample): void {
    const build = () => {
      const transactionId = tx && this.txIds.get(tx.ref);
      if (tx && (transactionId === undefined || transactionId === null)) return undefined;
      return { connectorId, ...(transactionId ? { transactionId } : {}), meterValue: [meterValue(sample, this.config.list('MeterValuesSampledData'))] };
    };
    // §4.7 / §4.10: meter values of a transaction are transaction messages; others are not kept offline.
    this.conn.send('MeterValues', build, { transactional: tx !== undefined }).catch(ignore);
  }

  transactionStopped(tx: Transaction, sample: MeterSample, reason: StopReason, idTag?: string): void {
    const build = () => {
      const transactionId = this.txIds.get(tx.ref);
      if (transactionId === undefined || transactionId === null) return undefined;
      const transactionData = [meterValue(sample, this.config.list('StopTxnSampledData'))];
      return { transactionId, meterStop: sample.energyWh, timestamp: iso(sample.at), reason, ...(idTag ? { idTag } : {}), transactionData };
    };
    this.conn.send('StopTransaction', build, {
      transactional: true,
      done: (outcome) => {
        if (outcome.ok) this.o.stats.sessionsStopped++;
        const id = this.txIds.get(tx.ref);
        this.txIds.delete(tx.ref);
        if (id) this.refs.delete(id);
      },
    }).catch(ignore);
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

  /** §4.2: BootNotification until Accepted, retried after the interval the server gives while Pending/Rejected. */
  private async boot(): Promise<void> {
    this.reported.clear(); // a booted charger reports every connector afresh
    let res: BootNotificationResponse;
    try {
      res = (await this.conn.callDirect('BootNotification', this.o.boot)) as BootNotificationResponse;
    } catch {
      return; // the connection is gone: the next one boots again
    }
    if (res.interval > 0) this.config.change('HeartbeatInterval', String(res.interval));
    if (res.status !== 'Accepted') {
      this.timers.after((res.interval || 10) * 1000, () => this.conn.isOpen && void this.boot());
      return;
    }
    this.accepted = true;
    this.needsBoot = false;
    this.o.stats.accepted(this.model.spec.id);
    this.online();
  }

  private online(): void {
    for (let id = 0; id <= this.model.spec.connectors; id++) this.sendStatus(id);
    this.conn.resume();
    this.scheduleHeartbeat();
    for (const w of this.onlineWaiters.splice(0)) w();
  }

  private scheduleHeartbeat(): void {
    this.cancelHeartbeat?.();
    const sec = this.config.number('HeartbeatInterval') || this.o.heartbeatIntervalSec;
    this.cancelHeartbeat = this.timers.after(sec * 1000, () => {
      this.cancelHeartbeat = undefined;
      if (!this.conn.isOpen) return;
      this.conn.send('Heartbeat', () => ({})).catch(ignore);
      this.scheduleHeartbeat();
    });
  }

  /** Reset (§5.14): transactions stop (Soft: their StopTransactions are sent first), then the charger reboots. */
  async reboot(kind: 'Hard' | 'Soft'): Promise<void> {
    this.model.stopAll(kind === 'Hard' ? 'HardReset' : 'SoftReset');
    if (kind === 'Soft') await this.conn.whenDrained();
    this.accepted = false;
    this.needsBoot = true;
    await this.conn.reconnect(this.o.rebootDelayMs);
  }

  private sendStatus(connectorId: number, force = false): void {
    const status = connectorId === 0 ? (this.model.availability.chargerOperative ? 'Available' : 'Unavailable') : connectorStatus(this.model.view(connectorId));
    if (!force && this.reported.get(connectorId) === status) return;
    this.reported.set(connectorId, status);
    const build = () => ({ connectorId, errorCode: 'NoError', status, timestamp: iso(this.model.now()) });
    this.conn.send('StatusNotification', build, { done: (o) => !o.ok && this.reported.get(connectorId) === status && this.reported.delete(connectorId) }).catch(ignore);
  }

  // Commands (the station is their CommandContext) ---------------------------------------------------

  refOf(transactionId: number): string | undefined {
    return this.refs.get(transactionId);
  }

  later(fn: () => void, ms = 0): void {
    this.timers.after(ms, fn);
  }

  private async handle(action: string, payload: unknown): Promise<unknown> {
    this.o.stats.commandReceived(action);
    const handler = OCPP16_HANDLERS[action];
    if (!handler) throw new CallError('NotImplemented', `${action} is not implemented by this charger`);
    checkRequest(action, payload);
    return handler(this, payload as never);
  }

  /** §5.17 TriggerMessage: sends the requested message now. */
  trigger(message: TriggerableMessage, connectorId: number | undefined): boolean {
    const connectors = connectorId ? [connectorId] : Array.from({ length: this.model.spec.connectors }, (_, i) => i + 1);
    if (message === 'BootNotification') this.conn.send('BootNotification', () => this.o.boot).catch(ignore);
    if (message === 'Heartbeat') this.conn.send('Heartbeat', () => ({})).catch(ignore);
    if (message === 'StatusNotification') for (const id of connectorId === undefined ? [0, ...connectors] : [connectorId]) this.sendStatus(id, true);
    if (message === 'MeterValues') for (const id of connectors) this.meterValues(id, undefined, this.model.sample(id, 'Trigger'));
    if (message === 'FirmwareStatusNotification') this.conn.send(message, () => ({ status: 'Idle' })).catch(ignore);
    if (message === 'DiagnosticsStatusNotification') this.conn.send(message, () => ({ status: 'Idle' })).catch(ignore);
    return true;
  }

  /** Applies a configuration key the server changed (ChangeConfiguration Accepted). */
  configurationChanged(key: string): void {
    if (key === 'HeartbeatInterval' && this.cancelHeartbeat) this.scheduleHeartbeat();
    if (key === 'MeterValueSampleInterval') this.model.setMeterInterval(this.config.number(key));
    if (key === 'ConnectionTimeOut') this.model.settings.connectionTimeoutSec = this.config.number(key);
    if (key === 'StopTransactionOnInvalidId') this.model.settings.stopTxOnInvalidId = this.config.bool(key);
    if (key === 'AuthorizeRemoteTxRequests') this.model.settings.authorizeRemoteTx = this.config.bool(key);
    if (key === 'LocalAuthorizeOffline') this.model.settings.localAuthorizeOffline = this.config.bool(key);
    if (key === 'AllowOfflineTxForUnknownId') this.model.settings.allowOfflineTxForUnknownId = this.config.bool(key);
    // OCPP 1.6 security whitepaper, "Update Charge Point Password": a key of 16-20 bytes as hex; the charger
    // reconnects with its bytes as the password at once (the server keeps the old one valid until then).
    if (key === 'AuthorizationKey') {
      const hex = this.config.value(key) ?? '';
      if (/^(?:[0-9a-fA-F]{2}){16,20}$/.test(hex)) {
        this.keyBytes = Buffer.from(hex, 'hex');
        this.conn.reconnect(0).catch((err: Error) => this.o.stats.error(`${this.identity}: reconnecting with the new AuthorizationKey failed: ${err.message}`));
      }
    }
  }

  /** UpdateFirmware (§5.19) and GetDiagnostics (§5.9): one status notification per step, from `startAt` on. */
  firmwareSteps(action: 'FirmwareStatusNotification' | 'DiagnosticsStatusNotification', statuses: string[], startAt: number): void {
    const first = Math.max(0, startAt - this.model.now());
    statuses.forEach((status, i) => {
      this.timers.after(first + (i + 1) * this.o.firmwareStepMs, () => this.conn.send(action, () => ({ status })).catch(ignore));
    });
  }
}
