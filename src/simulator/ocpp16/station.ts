// The OCPP 1.6-J adapter of a simulated charger: boots (§4.2), heartbeats at the interval the server gives
// (§4.6), reports status changes (§4.9), sends the model's transactions (§4.8, §4.10, §4.7 MeterValues) with
// the transactionId the server assigned, and answers the server's commands (./commands.ts).
import type { BootNotificationRequest, StartTransactionResponse } from '../../ocpp/v16/types.ts';
import type { IdTagInfo } from '../model/authorization.ts';
import type { SimCharger } from '../model/charger.ts';
import type { MeterSample, StopReason, Transaction } from '../model/types.ts';
import { ignore, StationBase, type StationBaseOptions } from '../station-base.ts';
import { OCPP16_HANDLERS, type CommandContext, type TriggerableMessage } from './commands.ts';
import { Ocpp16Configuration } from './configuration.ts';
import { connectorStatus, meterValue, toIdTagInfo } from './messages.ts';
import { checkRequest } from './validate.ts';

export interface StationOptions extends StationBaseOptions {
  boot: BootNotificationRequest;
  /** the pause between two firmware / diagnostics status notifications */
  firmwareStepMs: number;
  /** configuration keys (strings, as OCPP 1.6 keeps them), shared by the fleet; AuthorizationKey = the password */
  configuration: Readonly<Record<string, string>>;
  /** this charger's own values (its AuthorizationKey) */
  ownConfiguration: Record<string, string>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class Ocpp16Station extends StationBase<StationOptions> implements CommandContext {
  readonly config: Ocpp16Configuration;
  protected readonly kind = 'charger';
  private readonly txIds = new Map<string, number | null>();
  private readonly refs = new Map<number, string>();
  /** An AuthorizationKey the server set (hex): its bytes are the password (OCPP 1.6 security whitepaper). */
  private keyBytes: Buffer | undefined;

  constructor(model: SimCharger, o: StationOptions) {
    super(model, o, 'ocpp1.6');
    this.config = new Ocpp16Configuration(o.configuration, o.ownConfiguration);
  }

  /** The transactionId the server gave the model's transaction `ref`, once it answered. */
  transactionId(ref: string): number | undefined {
    return this.txIds.get(ref) ?? undefined;
  }

  // The OCPP 1.6 messages and settings of the base ---------------------------------------------------------

  // OCPP 1.6 security profile 1: the Basic-auth password is the AuthorizationKey (ChangeConfiguration may set it)
  protected password(): string | Buffer | undefined {
    return this.keyBytes ?? (this.config.value('AuthorizationKey') || undefined);
  }

  protected transactionAttempts(): number {
    return this.config.number('TransactionMessageAttempts');
  }

  protected transactionRetrySec(): number {
    return this.config.number('TransactionMessageRetryInterval');
  }

  // §4.2: BootNotification until Accepted, retried after the interval the server gives while Pending/Rejected.
  protected bootRequest(): BootNotificationRequest {
    return this.o.boot;
  }

  protected keepHeartbeatInterval(sec: number): void {
    this.config.change('HeartbeatInterval', String(sec));
  }

  protected heartbeatSetting(): number {
    return this.config.number('HeartbeatInterval');
  }

  // §4.9: connector 0 is the charge point itself.
  protected statusIds(): number[] {
    return Array.from({ length: this.model.spec.connectors + 1 }, (_, i) => i);
  }

  protected statusOf(connectorId: number): string {
    return connectorId === 0 ? (this.model.availability.chargerOperative ? 'Available' : 'Unavailable') : connectorStatus(this.model.view(connectorId));
  }

  protected statusNotification(connectorId: number, status: string): unknown {
    return { connectorId, errorCode: 'NoError', status, timestamp: iso(this.model.now()) };
  }

  protected meterValuesRequest(connectorId: number, sample: MeterSample): unknown {
    return { connectorId, meterValue: [meterValue(sample, this.config.list('MeterValuesSampledData'))] };
  }

  protected requestHandler(action: string): ((payload: unknown) => unknown) | undefined {
    const handler = OCPP16_HANDLERS[action];
    return handler && ((payload) => handler(this, payload as never));
  }

  protected checkRequest(action: string, payload: unknown): void {
    checkRequest(action, payload);
  }

  // ChargerLink ------------------------------------------------------------------------------------------

  connectorChanged(connectorId: number): void {
    if (this.accepted) this.sendStatus(connectorId);
  }

  async authorize(idTag: string): Promise<IdTagInfo | undefined> {
    // no answer: the charger decides locally (§3.5)
    const res = await this.askOnline(() => this.conn.send('Authorize', () => ({ idTag })) as Promise<{ idTagInfo: Parameters<typeof toIdTagInfo>[0] }>);
    return res && toIdTagInfo(res.idTagInfo);
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

  /** Reset (§5.14): transactions stop (Soft: their StopTransactions are sent first), then the charger reboots. */
  async reboot(kind: 'Hard' | 'Soft'): Promise<void> {
    this.model.stopAll(kind === 'Hard' ? 'HardReset' : 'SoftReset');
    if (kind === 'Soft') await this.conn.whenDrained();
    await this.restart();
  }

  // Commands (the station is their CommandContext) ---------------------------------------------------

  refOf(transactionId: number): string | undefined {
    return this.refs.get(transactionId);
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
    if (key === 'HeartbeatInterval') this.heartbeatChanged();
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
        this.reconnectWithNewPassword('AuthorizationKey');
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
