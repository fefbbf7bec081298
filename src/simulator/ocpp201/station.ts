// The OCPP 2.0.1 adapter of a simulated charging station over the same neutral model as 1.6: boots (B01-B04,
// reason PowerUp, Pending retried after the interval), heartbeats (G02), reports connector status per EVSE
// (G01), authorizes (C01), runs transactions as TransactionEvents (./transactions.ts) and answers the CSMS's
// requests (./commands.ts). Its own frames are checked against the schemas.
import type * as T from '../../ocpp/v201/types.ts';
import type { IdTagInfo } from '../model/authorization.ts';
import type { SimCharger } from '../model/charger.ts';
import type { ChargingProfile } from '../model/charging-profiles.ts';
import type { MeterSample, StopReason, Transaction } from '../model/types.ts';
import { connectorsOfEvse, evseAddressOf, evseCount } from '../model/evse.ts';
import { ignore, StationBase, type StationBaseOptions } from '../station-base.ts';
import { OCPP201_HANDLERS, type CommandContext201, type Triggerable } from './commands.ts';
import { DeviceModel } from './device-model.ts';
import { connectorStatus201, fromProfile201, meterValue201, toIdTagInfo201 } from './messages.ts';
import { Ocpp201Transactions } from './transactions.ts';
import { ocpp201Schemas } from './validate.ts';

export interface Station201Options extends StationBaseOptions {
  chargingStation: T.ChargingStationType;
  /** device model variables (`Component/Variable[/instance]` → value), shared by the fleet */
  variables: Readonly<Record<string, string>>;
  /** this station's own values (its BasicAuthPassword) */
  ownVariables: Record<string, string>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const V = { heartbeat: 'OCPPCommCtrlr/HeartbeatInterval', password: 'SecurityCtrlr/BasicAuthPassword', updated: 'SampledDataCtrlr/TxUpdatedMeasurands' };

export class Ocpp201Station extends StationBase<Station201Options> implements CommandContext201 {
  readonly variables: DeviceModel;
  protected readonly kind = 'station';
  private bootReason: T.BootReasonEnumType = 'PowerUp';
  private readonly transactions: Ocpp201Transactions;
  private resetWhenIdle = false;

  constructor(model: SimCharger, o: Station201Options) {
    super(model, o, 'ocpp2.0.1');
    this.variables = new DeviceModel(o.variables, o.ownVariables);
    this.transactions = new Ocpp201Transactions(model, this.variables, o.stats, (action, build, opts) => this.send(action, build, opts));
    // H01 FR.16 / H04: the CSMS hears of a reservation that expired.
    model.reservationExpired = (id) => void this.send('ReservationStatusUpdate', () => ({ reservationId: id, reservationUpdateStatus: 'Expired' })).catch(ignore);
  }

  transactionId(ref: string): string | undefined {
    return this.transactions.transactionId(ref);
  }

  // The OCPP 2.0.1 messages and settings of the base -------------------------------------------------------

  // OCPP 2.0.1 security profile 1: the Basic-auth password is SecurityCtrlr.BasicAuthPassword (A01 sets it)
  protected password(): string | undefined {
    return this.variables.value(V.password) || undefined;
  }

  protected transactionAttempts(): number {
    return this.variables.number('OCPPCommCtrlr/MessageAttempts/TransactionEvent');
  }

  protected transactionRetrySec(): number {
    return this.variables.number('OCPPCommCtrlr/MessageAttemptInterval/TransactionEvent');
  }

  // B01-B03: BootNotification (reason PowerUp, RemoteReset after a reset) until Accepted.
  protected bootRequest(): T.BootNotificationRequest {
    return { reason: this.bootReason, chargingStation: this.o.chargingStation };
  }

  protected override bootAccepted(): void {
    this.bootReason = 'PowerUp';
  }

  protected keepHeartbeatInterval(sec: number): void {
    this.variables.set({ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: String(sec) });
  }

  protected heartbeatSetting(): number {
    return this.variables.number(V.heartbeat);
  }

  // G01: one StatusNotification per connector of each EVSE.
  protected statusIds(): number[] {
    return Array.from({ length: this.model.spec.connectors }, (_, i) => i + 1);
  }

  protected statusOf(evseId: number): string {
    return connectorStatus201(this.model.view(evseId));
  }

  protected statusNotification(connector: number, status: string): T.StatusNotificationRequest {
    return { timestamp: iso(this.model.now()), connectorStatus: status as T.ConnectorStatusEnumType, ...evseAddressOf(this.model.spec, connector) };
  }

  protected meterValuesRequest(connector: number, sample: MeterSample): T.MeterValuesRequest {
    return { evseId: evseAddressOf(this.model.spec, connector).evseId, meterValue: [meterValue201(sample, this.variables.list(V.updated))] };
  }

  protected requestHandler(action: string): ((payload: unknown) => unknown) | undefined {
    const handler = OCPP201_HANDLERS[action];
    return handler && ((payload) => handler(this, payload as never));
  }

  protected checkRequest(action: string, payload: unknown): void {
    ocpp201Schemas.checkRequest(action, payload);
  }

  protected override checkAnswer(action: string, answer: unknown): void {
    const wrong = ocpp201Schemas.violation(action, 'conf', answer);
    if (wrong) this.o.stats.error(`${this.identity}: answers an invalid ${wrong}`);
  }

  /** Sends a message of ours, checked against its schema first (a violation is counted as an error, and sent anyway). */
  protected override send(action: string, build: (o: { replay: boolean }) => unknown, o: Parameters<StationBase<Station201Options>['send']>[2] = {}): Promise<unknown> {
    const checked = (b: { replay: boolean }) => {
      const payload = build(b);
      const wrong = payload === undefined ? undefined : ocpp201Schemas.violation(action, 'req', payload);
      if (wrong) this.o.stats.error(`${this.identity}: sends an invalid ${wrong}`);
      return payload;
    };
    return super.send(action, checked, o);
  }

  // ChargerLink ------------------------------------------------------------------------------------------

  connectorChanged(connectorId: number): void {
    if (!this.accepted) return;
    // Its EVSE's other connectors become Unavailable or free again with it.
    for (const id of connectorsOfEvse(this.model.spec, evseAddressOf(this.model.spec, connectorId).evseId)) this.sendStatus(id);
    this.transactions.connectorChanged(connectorId);
  }

  async authorize(idTag: string): Promise<IdTagInfo | undefined> {
    // no answer: the station decides locally (C12, LocalAuthorizeOffline)
    const res = await this.askOnline(() => this.send('Authorize', () => ({ idToken: { idToken: idTag, type: 'ISO14443' } })) as Promise<T.AuthorizeResponse>);
    return res && toIdTagInfo201(res.idTokenInfo);
  }

  transactionStarted(tx: Transaction, sample: MeterSample): void {
    this.transactions.started(tx, sample);
  }

  meterValues(connectorId: number, tx: Transaction | undefined, sample: MeterSample): void {
    // E01: the meter values of a transaction are Updated events (transaction messages, kept offline); others MeterValues.
    if (tx && this.transactions.has(tx.ref)) this.transactions.meterValues(tx, sample);
    else this.send('MeterValues', () => this.meterValuesRequest(connectorId, sample)).catch(ignore);
  }

  transactionStopped(tx: Transaction, sample: MeterSample, reason: StopReason, idTag?: string): void {
    this.transactions.stopped(tx, sample, reason, idTag);
    if (this.resetWhenIdle && !this.model.connectors.some((c) => c.tx)) {
      this.resetWhenIdle = false;
      this.later(() => void this.reboot());
    }
  }

  refOf(transactionId: string): string | undefined {
    return this.transactions.refOf(transactionId);
  }

  expectRemoteStart(idTag: string, remoteStartId: number | undefined): void {
    this.transactions.expectRemoteStart(idTag, remoteStartId);
  }

  /** B11 Reset Immediate (and B12 OnIdle once idle): transactions end (ImmediateReset), their events are sent, the station reboots. */
  async reboot(): Promise<void> {
    this.model.stopAll('HardReset');
    await this.conn.whenDrained();
    this.bootReason = 'RemoteReset';
    await this.restart();
  }

  rebootWhenIdle(): void {
    this.resetWhenIdle = true;
  }

  /** F06 TriggerMessage: sends the requested message now. */
  trigger(message: Triggerable, evseId: number | undefined): void {
    const connectors = evseId ? connectorsOfEvse(this.model.spec, evseId) : this.model.connectors.map((c) => c.id);
    if (message === 'BootNotification') this.send(message, () => ({ reason: 'Triggered', chargingStation: this.o.chargingStation })).catch(ignore);
    if (message === 'Heartbeat') this.send(message, () => ({})).catch(ignore);
    if (message === 'StatusNotification') for (const id of connectors) this.sendStatus(id, true);
    if (message === 'MeterValues') for (const id of connectors) this.send(message, () => this.meterValuesRequest(id, this.model.sample(id, 'Trigger'))).catch(ignore);
    if (message === 'TransactionEvent') for (const id of connectors) {
      const tx = this.model.connector(id)?.tx;
      if (tx) this.meterValues(id, tx, this.model.sample(id, 'Trigger'));
    }
    if (message === 'FirmwareStatusNotification') this.send(message, () => ({ status: 'Idle' })).catch(ignore);
    if (message === 'LogStatusNotification') this.send(message, () => ({ status: 'Idle' })).catch(ignore);
  }

  /** Applies a device model variable the CSMS set (SetVariables Accepted). */
  variableChanged(key: string): void {
    const s = this.model.settings;
    if (key === V.heartbeat) this.heartbeatChanged();
    if (key === 'SampledDataCtrlr/TxUpdatedInterval') this.model.setMeterInterval(this.variables.number(key));
    if (key === 'TxCtrlr/EVConnectionTimeOut') s.connectionTimeoutSec = this.variables.number(key);
    if (key === 'TxCtrlr/StopTxOnInvalidId') s.stopTxOnInvalidId = this.variables.bool(key);
    if (key === 'AuthCtrlr/AuthorizeRemoteStart') s.authorizeRemoteTx = this.variables.bool(key);
    if (key === 'AuthCtrlr/LocalAuthorizeOffline') s.localAuthorizeOffline = this.variables.bool(key);
    if (key === 'AuthCtrlr/OfflineTxForUnknownIdEnabled') s.allowOfflineTxForUnknownId = this.variables.bool(key);
    // A01 Update Charging Station Password: the station reconnects with the new one at once.
    if (key === V.password) this.reconnectWithNewPassword('BasicAuthPassword');
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
    const evses = [...new Set(profiles.map((p) => (p.connectorId === 0 ? 0 : evseAddressOf(this.model.spec, p.connectorId).evseId)))];
    evses.forEach((evseId, i) => {
      const chargingProfile = profiles.filter((p) => p.connectorId === 0 ? evseId === 0 : evseAddressOf(this.model.spec, p.connectorId).evseId === evseId).map((p) => fromProfile201(p, p.txRef && this.transactions.transactionId(p.txRef)));
      this.send('ReportChargingProfiles', () => ({ requestId, chargingLimitSource: 'CSO', evseId, chargingProfile, tbc: i < evses.length - 1 })).catch(ignore);
    });
  }

  /** N09: one NotifyCustomerInformation per part, seqNo from 0, tbc on all but the last. */
  sendCustomerInformation(requestId: number, parts: string[]): void {
    const generatedAt = iso(this.model.now());
    parts.forEach((data, i) => this.send('NotifyCustomerInformation', () => ({ requestId, data, seqNo: i, tbc: i < parts.length - 1, generatedAt })).catch(ignore));
  }
}
