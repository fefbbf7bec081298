// The OCPP 2.0.1 adapter of a simulated charging station over the same neutral model as 1.6: boots (B01-B04,
// reason PowerUp, Pending retried after the interval), heartbeats (G02), reports connector status per EVSE
// (G01), authorizes (C01), runs transactions as TransactionEvents (./transactions.ts) and answers the CSMS's
// requests (./commands.ts). Its own frames are checked against the schemas.
import type * as T from '../../ocpp/v201/types.ts';
import { ChargerConnection, type ConnectionOptions } from '../connection.ts';
import { CallError } from '../errors.ts';
import type { IdTagInfo } from '../model/authorization.ts';
import type { SimCharger } from '../model/charger.ts';
import type { ChargingProfile } from '../model/charging-profiles.ts';
import type { MeterSample, StopReason, Transaction } from '../model/types.ts';
import type { Station } from '../station.ts';
import { Timers } from '../timers.ts';
import { OCPP201_HANDLERS, type CommandContext201, type Triggerable } from './commands.ts';
import { DeviceModel } from './device-model.ts';
import { connectorStatus201, fromProfile201, meterValue201, toIdTagInfo201 } from './messages.ts';
import { Ocpp201Transactions } from './transactions.ts';
import { ocpp201Schemas } from './validate.ts';

export interface Station201Options extends Omit<ConnectionOptions, 'identity' | 'protocol' | 'password' | 'transactionAttempts' | 'transactionRetryMs'> {
  chargingStation: T.ChargingStationType;
  /** until the CSMS gives one in its BootNotification answer */
  heartbeatIntervalSec: number;
  /** how long a reset keeps the station off the network */
  rebootDelayMs: number;
  /** device model variables (`Component/Variable[/instance]` → value), shared by the fleet */
  variables: Readonly<Record<string, string>>;
  /** this station's own values (its BasicAuthPassword) */
  ownVariables: Record<string, string>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const ignore = () => undefined;
const V = { heartbeat: 'OCPPCommCtrlr/HeartbeatInterval', password: 'SecurityCtrlr/BasicAuthPassword', updated: 'SampledDataCtrlr/TxUpdatedMeasurands' };

export class Ocpp201Station implements Station, CommandContext201 {
  readonly variables: DeviceModel;
  private readonly conn: ChargerConnection;
  private readonly timers = new Timers();
  private accepted = false;
  private needsBoot = true;
  private bootReason: T.BootReasonEnumType = 'PowerUp';
  private readonly transactions: Ocpp201Transactions;
  private readonly reported = new Map<number, string>();
  private resetWhenIdle = false;
  private cancelHeartbeat: (() => void) | undefined;
  private onlineWaiters: Array<() => void> = [];

  constructor(
    readonly model: SimCharger,
    private readonly o: Station201Options,
  ) {
    this.variables = new DeviceModel(o.variables, o.ownVariables);
    const conn: ConnectionOptions = {
      ...o,
      identity: model.spec.id,
      protocol: 'ocpp2.0.1',
      // OCPP 2.0.1 security profile 1: the Basic-auth password is SecurityCtrlr.BasicAuthPassword (A01 sets it)
      password: () => this.variables.value(V.password) || undefined,
      transactionAttempts: () => Math.max(1, this.variables.number('OCPPCommCtrlr/MessageAttempts/TransactionEvent')),
      transactionRetryMs: () => this.variables.number('OCPPCommCtrlr/MessageAttemptInterval/TransactionEvent') * 1000,
    };
    this.transactions = new Ocpp201Transactions(model, this.variables, o.stats, (action, build, opts) => this.send(action, build, opts));
    this.conn = new ChargerConnection(conn, { opened: () => this.opened(), closed: () => this.closed(), call: (a, p) => this.handle(a, p) });
    model.link = this;
    // H01 FR.16 / H04: the CSMS hears of a reservation that expired.
    model.reservationExpired = (id) => void this.send('ReservationStatusUpdate', () => ({ reservationId: id, reservationUpdateStatus: 'Expired' })).catch(ignore);
  }

  get identity(): string {
    return this.model.spec.id;
  }

  get isOnline(): boolean {
    return this.accepted && this.conn.isOpen;
  }

  get queued(): number {
    return this.conn.queued;
  }

  transactionId(ref: string): string | undefined {
    return this.transactions.transactionId(ref);
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

  async flood(running: () => boolean): Promise<void> {
    while (running()) {
      if (!this.isOnline) {
        await this.whenOnline();
        continue;
      }
      const sample = this.model.sample(1, 'Sample.Periodic');
      await this.conn.send('MeterValues', () => ({ evseId: 1, meterValue: [meterValue201(sample, this.variables.list(V.updated))] })).catch(ignore);
    }
  }

  dropConnection(): void {
    this.conn.drop();
  }

  // ChargerLink ------------------------------------------------------------------------------------------

  connectorChanged(connectorId: number): void {
    if (!this.accepted) return;
    this.sendStatus(connectorId);
    this.transactions.connectorChanged(connectorId);
  }

  async authorize(idTag: string): Promise<IdTagInfo | undefined> {
    if (!this.isOnline) return undefined;
    try {
      const res = (await this.send('Authorize', () => ({ idToken: { idToken: idTag, type: 'ISO14443' } }))) as T.AuthorizeResponse;
      return toIdTagInfo201(res.idTokenInfo);
    } catch {
      return undefined; // no answer: the station decides locally (C12, LocalAuthorizeOffline)
    }
  }

  transactionStarted(tx: Transaction, sample: MeterSample): void {
    this.transactions.started(tx, sample);
  }

  meterValues(connectorId: number, tx: Transaction | undefined, sample: MeterSample): void {
    // E01: the meter values of a transaction are Updated events (transaction messages, kept offline); others MeterValues.
    if (tx && this.transactions.has(tx.ref)) this.transactions.meterValues(tx, sample);
    else this.send('MeterValues', () => ({ evseId: connectorId, meterValue: [meterValue201(sample, this.variables.list(V.updated))] })).catch(ignore);
  }

  transactionStopped(tx: Transaction, sample: MeterSample, reason: StopReason, idTag?: string): void {
    this.transactions.stopped(tx, sample, reason, idTag);
    if (this.resetWhenIdle && !this.model.connectors.some((c) => c.tx)) {
      this.resetWhenIdle = false;
      this.later(() => void this.reboot());
    }
  }

  /** Sends a message of ours, checked against its schema first (a violation is counted as an error, and sent anyway). */
  private send(action: string, build: (o: { replay: boolean }) => unknown, o: Parameters<ChargerConnection['send']>[2] = {}): Promise<unknown> {
    const checked = (b: { replay: boolean }) => {
      const payload = build(b);
      const wrong = payload === undefined ? undefined : ocpp201Schemas.violation(action, 'req', payload);
      if (wrong) this.o.stats.error(`${this.identity}: sends an invalid ${wrong}`);
      return payload;
    };
    return this.conn.send(action, checked, o);
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

  /** B01-B03: BootNotification until Accepted, again after the interval of a Pending/Rejected answer. */
  private async boot(): Promise<void> {
    this.reported.clear();
    let res: T.BootNotificationResponse;
    try {
      res = (await this.conn.callDirect('BootNotification', { reason: this.bootReason, chargingStation: this.o.chargingStation })) as T.BootNotificationResponse;
    } catch {
      return; // the connection is gone: the next one boots again
    }
    if (res.interval > 0) this.variables.set({ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: String(res.interval) });
    if (res.status !== 'Accepted') {
      this.timers.after((res.interval || 10) * 1000, () => this.conn.isOpen && void this.boot());
      return;
    }
    this.accepted = true;
    this.needsBoot = false;
    this.bootReason = 'PowerUp';
    this.o.stats.accepted(this.identity);
    this.online();
  }

  private online(): void {
    for (let id = 1; id <= this.model.spec.connectors; id++) this.sendStatus(id);
    this.conn.resume();
    this.scheduleHeartbeat();
    for (const w of this.onlineWaiters.splice(0)) w();
  }

  private scheduleHeartbeat(): void {
    this.cancelHeartbeat?.();
    const sec = this.variables.number(V.heartbeat) || this.o.heartbeatIntervalSec;
    this.cancelHeartbeat = this.timers.after(sec * 1000, () => {
      this.cancelHeartbeat = undefined;
      if (!this.conn.isOpen) return;
      this.send('Heartbeat', () => ({})).catch(ignore);
      this.scheduleHeartbeat();
    });
  }

  /** G01: one StatusNotification per EVSE (connector 1) whose status changed (`force`: in any case). */
  private sendStatus(evseId: number, force = false): void {
    const status = connectorStatus201(this.model.view(evseId));
    if (!force && this.reported.get(evseId) === status) return;
    this.reported.set(evseId, status);
    const build = () => ({ timestamp: iso(this.model.now()), connectorStatus: status, evseId, connectorId: 1 });
    this.send('StatusNotification', build, { done: (o) => !o.ok && this.reported.get(evseId) === status && this.reported.delete(evseId) }).catch(ignore);
  }

  // Requests of the CSMS (the station is their CommandContext201) ---------------------------------------

  private async handle(action: string, payload: unknown): Promise<unknown> {
    this.o.stats.commandReceived(action);
    const handler = OCPP201_HANDLERS[action];
    if (!handler) throw new CallError('NotImplemented', `${action} is not implemented by this station`);
    ocpp201Schemas.checkRequest(action, payload);
    const answer = handler(this, payload as never);
    const wrong = ocpp201Schemas.violation(action, 'conf', answer);
    if (wrong) this.o.stats.error(`${this.identity}: answers an invalid ${wrong}`);
    return answer;
  }

  refOf(transactionId: string): string | undefined {
    return this.transactions.refOf(transactionId);
  }

  later(fn: () => void, ms = 0): void {
    this.timers.after(ms, fn);
  }

  expectRemoteStart(idTag: string, remoteStartId: number | undefined): void {
    this.transactions.expectRemoteStart(idTag, remoteStartId);
  }

  /** B11 Reset Immediate (and B12 OnIdle once idle): transactions end (ImmediateReset), their events are sent, the station reboots. */
  async reboot(): Promise<void> {
    this.model.stopAll('HardReset');
    await this.conn.whenDrained();
    this.accepted = false;
    this.needsBoot = true;
    this.bootReason = 'RemoteReset';
    await this.conn.reconnect(this.o.rebootDelayMs);
  }

  rebootWhenIdle(): void {
    this.resetWhenIdle = true;
  }

  /** F06 TriggerMessage: sends the requested message now. */
  trigger(message: Triggerable, evseId: number | undefined): void {
    const evses = evseId ? [evseId] : this.model.connectors.map((c) => c.id);
    if (message === 'BootNotification') this.send(message, () => ({ reason: 'Triggered', chargingStation: this.o.chargingStation })).catch(ignore);
    if (message === 'Heartbeat') this.send(message, () => ({})).catch(ignore);
    if (message === 'StatusNotification') for (const id of evses) this.sendStatus(id, true);
    if (message === 'MeterValues') for (const id of evses) this.send(message, () => ({ evseId: id, meterValue: [meterValue201(this.model.sample(id, 'Trigger'), this.variables.list(V.updated))] })).catch(ignore);
    if (message === 'TransactionEvent') for (const id of evses) {
      const tx = this.model.connector(id)?.tx;
      if (tx) this.meterValues(id, tx, this.model.sample(id, 'Trigger'));
    }
    if (message === 'FirmwareStatusNotification') this.send(message, () => ({ status: 'Idle' })).catch(ignore);
    if (message === 'LogStatusNotification') this.send(message, () => ({ status: 'Idle' })).catch(ignore);
  }

  /** Applies a device model variable the CSMS set (SetVariables Accepted). */
  variableChanged(key: string): void {
    const s = this.model.settings;
    if (key === V.heartbeat && this.cancelHeartbeat) this.scheduleHeartbeat();
    if (key === 'SampledDataCtrlr/TxUpdatedInterval') this.model.setMeterInterval(this.variables.number(key));
    if (key === 'TxCtrlr/EVConnectionTimeOut') s.connectionTimeoutSec = this.variables.number(key);
    if (key === 'TxCtrlr/StopTxOnInvalidId') s.stopTxOnInvalidId = this.variables.bool(key);
    if (key === 'AuthCtrlr/AuthorizeRemoteStart') s.authorizeRemoteTx = this.variables.bool(key);
    if (key === 'AuthCtrlr/LocalAuthorizeOffline') s.localAuthorizeOffline = this.variables.bool(key);
    if (key === 'AuthCtrlr/OfflineTxForUnknownIdEnabled') s.allowOfflineTxForUnknownId = this.variables.bool(key);
    // A01 Update Charging Station Password: the station reconnects with the new one at once.
    if (key === V.password) this.conn.reconnect(0).catch((err: Error) => this.o.stats.error(`${this.identity}: reconnecting with the new BasicAuthPassword failed: ${err.message}`));
  }

  /** B07: the report in NotifyReport pages of DeviceDataCtrlr.ItemsPerMessage, seqNo from 0, tbc on all but the last. */
  sendReport(requestId: number, base: T.ReportBaseEnumType): void {
    const data = this.variables.report(base);
    const size = Math.max(1, this.variables.number('DeviceDataCtrlr/ItemsPerMessage/GetReport'));
    const generatedAt = iso(this.model.now());
    const pages = Math.max(1, Math.ceil(data.length / size));
    for (let i = 0; i < pages; i++) {
      const reportData = data.slice(i * size, (i + 1) * size);
      this.send('NotifyReport', () => ({ requestId, generatedAt, seqNo: i, tbc: i < pages - 1, ...(reportData.length ? { reportData } : {}) })).catch(ignore);
    }
  }

  /** K09: one ReportChargingProfiles per EVSE, tbc on all but the last. */
  reportProfiles(requestId: number, profiles: ChargingProfile[]): void {
    const evses = [...new Set(profiles.map((p) => p.connectorId))];
    evses.forEach((evseId, i) => {
      const chargingProfile = profiles.filter((p) => p.connectorId === evseId).map((p) => fromProfile201(p, p.txRef && this.transactions.transactionId(p.txRef)));
      this.send('ReportChargingProfiles', () => ({ requestId, chargingLimitSource: 'CSO', evseId, chargingProfile, tbc: i < evses.length - 1 })).catch(ignore);
    });
  }

  /** N09: one NotifyCustomerInformation per part, seqNo from 0, tbc on all but the last. */
  sendCustomerInformation(requestId: number, parts: string[]): void {
    const generatedAt = iso(this.model.now());
    parts.forEach((data, i) => this.send('NotifyCustomerInformation', () => ({ requestId, data, seqNo: i, tbc: i < parts.length - 1, generatedAt })).catch(ignore));
  }
}
