// The OCPP 2.0.1 transactions of a simulated station (E01-E07, F01): the TransactionEvents of the model's
// transactions, each with a station-generated transactionId and a seqNo per transaction taken when the event
// happens (E01 FR.17), its triggerReason and meter values; a replayed event is marked `offline` (E12).
import { evseAddressOf } from '../model/evse.ts';
import { randomUUID } from 'node:crypto';
import type * as T from '../../ocpp/v201/types.ts';
import type { Outcome } from '../connection.ts';
import type { SimCharger } from '../model/charger.ts';
import type { MeterSample, StopReason, Transaction } from '../model/types.ts';
import type { SimulationStats } from '../stats.ts';
import type { DeviceModel } from './device-model.ts';
import { chargingState201, endedReasons, meterValue201, toIdTagInfo201 } from './messages.ts';

type MeterValues = NonNullable<T.TransactionEventRequest['meterValue']>;
type Send = (action: string, build: (o: { replay: boolean }) => unknown, o: { transactional?: boolean; done?: (outcome: Outcome) => void }) => Promise<unknown>;

interface TxState {
  transactionId: string;
  seqNo: number;
  idToken: T.IdTokenType;
  remoteStartId?: number;
  chargingState: T.ChargingStateEnumType;
}

const ignore = () => undefined;
const UPDATED = 'SampledDataCtrlr/TxUpdatedMeasurands';
const ENDED = 'SampledDataCtrlr/TxEndedMeasurands';

const evseOf = (l: Parameters<typeof evseAddressOf>[0], connector: number): T.EVSEType => {
  const a = evseAddressOf(l, connector);
  return { id: a.evseId, connectorId: a.connectorId };
};

export class Ocpp201Transactions {
  private readonly txs = new Map<string, TxState>();
  private readonly refs = new Map<string, string>();
  private readonly remoteStarts = new Map<string, number>();

  constructor(
    private readonly model: SimCharger,
    private readonly variables: DeviceModel,
    private readonly stats: SimulationStats,
    private readonly send: Send,
  ) {}

  /** The station's transactionId of the model's transaction `ref`. */
  transactionId(ref: string): string | undefined {
    return this.txs.get(ref)?.transactionId;
  }

  /** The model's ref of the station's transactionId. */
  refOf(transactionId: string): string | undefined {
    return this.refs.get(transactionId);
  }

  has(ref: string): boolean {
    return this.txs.has(ref);
  }

  /** F01: the transaction started for `idTag` next carries `remoteStartId` (undefined: forget it). */
  expectRemoteStart(idTag: string, remoteStartId: number | undefined): void {
    if (remoteStartId === undefined) this.remoteStarts.delete(idTag);
    else this.remoteStarts.set(idTag, remoteStartId);
  }

  /** E01/E02 Started, or F01 after a RequestStartTransaction (triggerReason RemoteStart, idToken Central). */
  started(tx: Transaction, sample: MeterSample): void {
    const remoteStartId = this.remoteStarts.get(tx.idTag);
    this.remoteStarts.delete(tx.idTag);
    const idToken: T.IdTokenType = { idToken: tx.idTag, type: remoteStartId === undefined ? 'ISO14443' : 'Central' };
    const state: TxState = { transactionId: randomUUID(), seqNo: 0, idToken, chargingState: chargingState201(this.model.view(tx.connectorId)), ...(remoteStartId === undefined ? {} : { remoteStartId }) };
    this.txs.set(tx.ref, state);
    this.refs.set(state.transactionId, tx.ref);
    const extra = { evse: evseOf(this.model.spec, tx.connectorId), idToken, meterValue: [meterValue201(sample, this.variables.list(UPDATED))] as MeterValues, ...(tx.reservationId === undefined ? {} : { reservationId: tx.reservationId }) };
    this.event(tx, 'Started', remoteStartId === undefined ? 'Authorized' : 'RemoteStart', tx.startedAt, extra, (res) => {
      if (!res.idTokenInfo) return;
      if (res.idTokenInfo.status === 'Accepted') this.stats.sessionsStarted++;
      this.model.startAnswered(tx.ref, toIdTagInfo201(res.idTokenInfo));
    });
  }

  /** E01 Updated with meter values (periodic, or asked by TriggerMessage). */
  meterValues(tx: Transaction, sample: MeterSample): void {
    const meterValue: MeterValues = [meterValue201(sample, this.variables.list(UPDATED))];
    this.event(tx, 'Updated', sample.context === 'Trigger' ? 'Trigger' : 'MeterValuePeriodic', sample.at, { meterValue });
  }

  /** E01: a change of the charging state is an Updated event of its own (SuspendedEVSE under a limit, …). */
  connectorChanged(connectorId: number): void {
    const v = this.model.view(connectorId);
    const state = v.tx && this.txs.get(v.tx.ref);
    if (!v.tx || !state || chargingState201(v) === state.chargingState) return;
    state.chargingState = chargingState201(v);
    this.event(v.tx, 'Updated', 'ChargingStateChanged', this.model.now());
  }

  /** E06 Ended: the stop reason and trigger, the register at the end, the idToken that stopped it. */
  stopped(tx: Transaction, sample: MeterSample, reason: StopReason, idTag?: string): void {
    const state = this.txs.get(tx.ref);
    if (!state) return;
    const { stoppedReason, triggerReason } = endedReasons(reason);
    const measurands = [...new Set(['Energy.Active.Import.Register', ...this.variables.list(ENDED)])];
    const extra = { meterValue: [meterValue201(sample, measurands)] as MeterValues, ...(idTag ? { idToken: { idToken: idTag, type: state.idToken.type } } : {}) };
    this.event(tx, 'Ended', triggerReason, sample.at, extra, () => this.stats.sessionsStopped++, { stoppedReason, chargingState: 'EVConnected' });
    this.txs.delete(tx.ref);
    this.refs.delete(state.transactionId);
  }

  /** One TransactionEvent of `tx`, its seqNo taken now; a transaction message, kept while offline. */
  private event(tx: Transaction, eventType: T.TransactionEventEnumType, triggerReason: T.TriggerReasonEnumType, at: number, extra: Partial<T.TransactionEventRequest> = {}, answered?: (res: T.TransactionEventResponse) => void, info: Partial<T.TransactionType> = {}): void {
    const state = this.txs.get(tx.ref)!;
    const seqNo = state.seqNo++;
    const transactionInfo: T.TransactionType = { transactionId: state.transactionId, chargingState: state.chargingState, ...(state.remoteStartId === undefined ? {} : { remoteStartId: state.remoteStartId }), ...info };
    const build = ({ replay }: { replay: boolean }) => ({ eventType, timestamp: new Date(at).toISOString(), triggerReason, seqNo, transactionInfo, ...extra, ...(replay ? { offline: true } : {}) });
    this.send('TransactionEvent', build, { transactional: true, done: (o) => o.ok && answered?.(o.payload as T.TransactionEventResponse) }).catch(ignore);
  }
}
