// The protocol-neutral model of one charger: connectors, the EVs plugged into them, transactions, meters
// and the power they draw under the charging limits in force. It speaks to the server only through its
// ChargerLink (the protocol adapter) and never reads the wall clock directly (injected Clock).
import { connectorsOfEvse, evseAddressOf } from './evse.ts';
import type { Clock } from '../../shared/clock.ts';
import { Timers } from '../timers.ts';
import { LocalAuthorization, type IdTagInfo } from './authorization.ts';
import { ChargerAvailability } from './availability.ts';
import type { ChargingProfile, ClearCriteria, RateUnit } from './charging-profiles.ts';
import { compositeSchedule, type CompositeSchedule } from './composite-schedule.ts';
import { IDLE_DRAW, sampleOf, updateDraws, type Connector } from './connector.ts';
import { advance, changePower, newMeter, readingWh } from './meter.ts';
import { ProfileStore, type SetProfileResult } from './profile-store.ts';
import type { ChargerHooks, ChargerLink, ChargerSettings, ChargerSpec, ConnectorView, EvArrival, MeterSample, SampleContext, StopReason, Transaction } from './types.ts';

export class SimCharger {
  readonly connectors: Connector[];
  readonly profiles: ProfileStore;
  readonly auth = new LocalAuthorization(1000);
  readonly availability: ChargerAvailability;
  link: ChargerLink | undefined;
  /** answer every SetChargingProfile Rejected (a charger that does not take limits) */
  rejectsChargingProfiles = false;
  /** the protocol adapter hears of a reservation that expired (OCPP 2.0.1 reports it; 1.6 does not) */
  reservationExpired: ((reservationId: number) => void) | undefined;
  private readonly timers = new Timers();
  private cancelTick: (() => void) | undefined;
  private txCounter = 0;
  /** shutting down: no transaction starts any more (an authorization still under way included) */
  private closing = false;

  constructor(
    readonly spec: ChargerSpec,
    readonly settings: ChargerSettings,
    private readonly clock: Clock,
    private readonly hooks: ChargerHooks,
  ) {
    const now = this.now();
    this.connectors = Array.from({ length: spec.connectors }, (_, i) => ({ id: i + 1, finishing: false, meter: newMeter(spec.meterStartWh[i] ?? 0, now), draw: IDLE_DRAW }));
    this.profiles = new ProfileStore(spec.connectors, 8, 32);
    this.availability = new ChargerAvailability(spec.connectors, (id) => this.changed(id), (r) => this.reservationExpired?.(r.id));
  }

  now(): number {
    return this.clock.now().getTime();
  }

  connector(id: number): Connector | undefined {
    return this.connectors[id - 1];
  }

  view(id: number): ConnectorView {
    const c = this.connectors[id - 1];
    return {
      id,
      operative: this.availability.isOperative(id),
      faulted: false,
      evPlugged: c.ev !== undefined,
      awaitingPlug: c.awaitingPlug !== undefined,
      reserved: this.availability.reservationOn(id) !== undefined,
      finishing: c.finishing,
      ...(c.tx ? { tx: c.tx, chargingState: c.draw.state } : {}),
      currentA: c.draw.currentA,
      phases: c.draw.phases,
      powerW: c.meter.powerW,
      energyWh: readingWh(advance(c.meter, this.now())),
      ...(c.ev ? { socPct: c.ev.socPct } : {}),
      ...(this.isEvseBusy(id) ? { evseBusy: true as const } : {}),
    };
  }

  /** Whether another connector of connector `id`'s EVSE has an EV, a driver or a transaction (one at a time). */
  isEvseBusy(id: number): boolean {
    const siblings = connectorsOfEvse(this.spec, evseAddressOf(this.spec, id).evseId).filter((n) => n !== id);
    return siblings.some((n) => {
      const c = this.connector(n);
      return c !== undefined && (c.ev !== undefined || c.tx !== undefined || c.finishing || c.awaitingPlug !== undefined);
    });
  }

  /** Whether a connector can take a new driver: operative, no EV, not reserved for somebody else. */
  isFree(id: number, idTag?: string): boolean {
    const c = this.connector(id);
    return c !== undefined && !c.ev && this.canStart(c, idTag);
  }

  /** Whether a transaction for `idTag` may start on `c` (an EV may already be plugged in). */
  private canStart(c: Connector, idTag?: string): boolean {
    if (c.tx || c.finishing || c.awaitingPlug || !this.availability.isOperative(c.id) || this.isEvseBusy(c.id)) return false;
    const r = this.availability.reservationOn(c.id);
    return !r || r.idTag === idTag;
  }

  /** An EV is plugged in; an authorized driver waiting for it starts charging at once. */
  plugIn(connectorId: number, ev: EvArrival): boolean {
    const c = this.connector(connectorId);
    if (!c || c.ev || c.finishing || !this.availability.isOperative(connectorId)) return false;
    c.ev = ev;
    if (c.awaitingPlug) {
      const { idTag } = c.awaitingPlug;
      c.awaitingPlug.cancel();
      c.awaitingPlug = undefined;
      this.startTransaction(c, idTag);
    } else this.changed(connectorId);
    return true;
  }

  /** The EV leaves; a running transaction stops with EVDisconnected. */
  unplug(connectorId: number): void {
    const c = this.connector(connectorId);
    if (!c?.ev) return;
    if (c.tx) this.stopTransaction(c, 'EVDisconnected');
    c.ev = undefined;
    c.finishing = false;
    this.changed(connectorId);
    this.hooks.connectorIdle?.(connectorId);
  }

  /**
   * A driver presents an id tag at a connector: it stops the transaction it started, or is authorized
   * (online: Authorize; offline: the local list and cache, OCPP 1.6 §3.5) and starts one.
   */
  async presentIdTag(connectorId: number, idTag: string): Promise<'started' | 'stopped' | 'waiting' | 'refused'> {
    const c = this.connector(connectorId);
    if (!c) return 'refused';
    if (c.tx) {
      if (c.tx.idTag !== idTag) return 'refused';
      this.stopTransaction(c, 'Local', idTag);
      return 'stopped';
    }
    if (!this.canStart(c, idTag)) return 'refused';
    const info = await this.authorizeIdTag(idTag);
    if (info?.status !== 'Accepted' || c.tx || c.awaitingPlug) return 'refused';
    return this.startOrAwaitPlug(c, idTag);
  }

  /** OCPP 1.6 §5.11 RemoteStartTransaction, protocol-neutral: whether the charger takes the request. */
  remoteStart(connectorId: number | undefined, idTag: string, txProfile?: ChargingProfile): 'Accepted' | 'Rejected' {
    // Without a connector: one with an EV waiting first (the driver is there), else a free one.
    const id = connectorId ?? (this.connectors.find((c) => c.ev && this.canStart(c, idTag)) ?? this.connectors.find((c) => this.canStart(c, idTag)))?.id;
    const c = id === undefined ? undefined : this.connector(id);
    if (!c || !this.canStart(c, idTag)) return 'Rejected';
    if (txProfile) c.pendingTxProfile = txProfile;
    void (async () => {
      // §5.11: with AuthorizeRemoteTxRequests the charger authorizes the id tag first, as for a local start.
      const info = this.settings.authorizeRemoteTx ? await this.authorizeIdTag(idTag) : { status: 'Accepted' as const };
      if (info?.status !== 'Accepted' || c.tx || c.awaitingPlug) {
        c.pendingTxProfile = undefined;
        return;
      }
      if (this.startOrAwaitPlug(c, idTag) === 'waiting') this.timers.after(this.settings.plugDelaySec * 1000, () => this.plugIn(c.id, this.hooks.newEv(c.id)));
    })();
    return 'Accepted';
  }

  /** Stops the transaction `ref` (RemoteStopTransaction); false when it is not running here. */
  remoteStop(ref: string): boolean {
    const c = this.connectors.find((x) => x.tx?.ref === ref);
    if (!c) return false;
    this.stopTransaction(c, 'Remote');
    return true;
  }

  /** OCPP 1.6 §5.18 UnlockConnector: stops its transaction and releases the cable. */
  unlock(connectorId: number): boolean {
    const c = this.connector(connectorId);
    if (!c) return false;
    if (c.tx) this.stopTransaction(c, 'UnlockCommand');
    this.unplug(connectorId);
    return true;
  }

  /** The end of a run: no new transaction starts; the running ones stop with `reason` if given. */
  shutDown(reason?: StopReason): void {
    this.closing = true;
    if (reason) this.stopAll(reason, true);
  }

  /** Stops every transaction (a reset, or the end of a run); the EVs leave unless `keepEvs`. */
  stopAll(reason: StopReason, keepEvs = false): void {
    for (const c of this.connectors) {
      c.awaitingPlug?.cancel();
      c.awaitingPlug = undefined;
      if (c.tx) this.stopTransaction(c, reason);
      if (!keepEvs && c.ev) this.unplug(c.id);
    }
  }

  /** The answer to a StartTransaction: a refused id tag stops the transaction (OCPP 1.6 StopTransactionOnInvalidId). */
  startAnswered(ref: string, info: IdTagInfo): void {
    const c = this.connectors.find((x) => x.tx?.ref === ref);
    if (!c?.tx) return;
    this.auth.remember(c.tx.idTag, info);
    if (info.status !== 'Accepted' && this.settings.stopTxOnInvalidId) this.stopTransaction(c, 'DeAuthorized');
  }

  setProfile(p: ChargingProfile): SetProfileResult {
    // A charger that does not do smart charging, or refuses (tests of a CPMS's load management).
    if (this.rejectsChargingProfiles) return 'Rejected';
    const result = this.profiles.set(p, p.connectorId > 0 ? this.connector(p.connectorId)?.tx?.ref : undefined);
    if (result === 'Accepted') this.recompute();
    return result;
  }

  clearProfiles(criteria: ClearCriteria): 'Accepted' | 'Unknown' {
    const result = this.profiles.clear(criteria);
    this.recompute();
    return result;
  }

  /** OCPP 1.6 §5.7 GetCompositeSchedule; undefined for an unknown connector. */
  composite(connectorId: number, durationSec: number, unit: RateUnit): CompositeSchedule | undefined {
    if (connectorId < 0 || connectorId > this.spec.connectors) return undefined;
    const tx = this.connector(connectorId)?.tx;
    const maxCurrentA = this.spec.maxCurrentA * (connectorId === 0 ? this.spec.connectors : 1);
    return compositeSchedule({ profiles: this.profiles.profiles, connectorId, from: this.now(), durationSec, unit, voltage: this.spec.voltage, phases: this.spec.phases, maxCurrentA, ...(tx ? { tx: { ref: tx.ref, startedAt: tx.startedAt } } : {}) });
  }

  /** The meter values of a connector now (TriggerMessage, and the benchmarks' closed loop). */
  sample(connectorId: number, context: SampleContext): MeterSample {
    this.recompute();
    return sampleOf(this.connectors[connectorId - 1], this.spec, this.now(), context);
  }

  /** Whether meter values are being sampled (a transaction runs and the interval is not 0). */
  get isSampling(): boolean {
    return this.cancelTick !== undefined;
  }

  /** Sets the MeterValueSampleInterval; the next sample comes after the new interval. */
  setMeterInterval(sec: number): void {
    this.settings.meterIntervalSec = sec;
    this.cancelTick?.();
    this.cancelTick = undefined;
    this.ensureTicking();
  }

  dispose(): void {
    this.timers.clear(true);
    this.availability.dispose();
    this.cancelTick = undefined;
  }

  private startOrAwaitPlug(c: Connector, idTag: string): 'started' | 'waiting' {
    if (c.ev) {
      this.startTransaction(c, idTag);
      return 'started';
    }
    const cancel = this.timers.after(this.settings.connectionTimeoutSec * 1000, () => {
      c.awaitingPlug = undefined;
      c.pendingTxProfile = undefined;
      this.changed(c.id);
    });
    c.awaitingPlug = { idTag, cancel };
    this.changed(c.id);
    return 'waiting';
  }

  private async authorizeIdTag(idTag: string): Promise<IdTagInfo | undefined> {
    if (this.link?.isOnline) {
      const info = await this.link.authorize(idTag);
      if (info) {
        this.auth.remember(idTag, info);
        return info;
      }
    }
    // OCPP 1.6 §9.1 LocalAuthorizeOffline and AllowOfflineTxForUnknownId
    const local = this.settings.localAuthorizeOffline ? this.auth.lookup(idTag, this.now()) : undefined;
    if (local) return local;
    return this.settings.allowOfflineTxForUnknownId ? { status: 'Accepted' } : undefined;
  }

  private startTransaction(c: Connector, idTag: string): void {
    if (this.closing) return;
    const now = this.now();
    const reservation = this.availability.takeReservation(c.id, idTag);
    const tx: Transaction = { ref: `${this.spec.id}#${++this.txCounter}`, connectorId: c.id, idTag, startedAt: now, meterStartWh: readingWh(advance(c.meter, now)), ...(reservation ? { reservationId: reservation.id } : {}) };
    c.tx = tx;
    c.finishing = false;
    if (c.pendingTxProfile) this.profiles.set({ ...c.pendingTxProfile, connectorId: c.id, installedAt: now }, tx.ref);
    c.pendingTxProfile = undefined;
    this.recompute();
    this.link?.transactionStarted(tx, sampleOf(c, this.spec, now, 'Transaction.Begin'));
    this.changed(c.id);
    this.hooks.transactionStarted?.(tx);
    this.ensureTicking();
  }

  private stopTransaction(c: Connector, reason: StopReason, idTag?: string): void {
    const tx = c.tx;
    if (!tx) return;
    const now = this.now();
    c.meter = changePower(c.meter, now, 0);
    const sample = sampleOf(c, this.spec, now, 'Transaction.End');
    c.tx = undefined;
    c.draw = IDLE_DRAW;
    c.finishing = c.ev !== undefined;
    this.profiles.transactionEnded(tx.ref);
    this.link?.transactionStopped(tx, sample, reason, idTag);
    this.availability.transactionEnded(c.id);
    this.recompute();
    this.changed(c.id);
    this.hooks.transactionStopped?.(tx, reason);
    // The driver unplugs a little later (Finishing → Available).
    if (c.finishing) this.timers.after(this.settings.unplugDelaySec * 1000, () => c.finishing && !c.tx && this.unplug(c.id));
  }

  /** Brings meters and SoC up to now and works out each charging connector's draw under the limits. */
  private recompute(): void {
    for (const id of updateDraws(this.connectors, this.profiles.profiles, this.spec, this.now())) this.changed(id);
  }

  /** One timer per charger: every meter interval, each transaction reports its meter values. */
  private ensureTicking(): void {
    // OCPP 1.6 §9.1 MeterValueSampleInterval: 0 = no sampled data
    if (this.cancelTick || this.settings.meterIntervalSec <= 0 || !this.connectors.some((c) => c.tx)) return;
    this.cancelTick = this.timers.after(this.settings.meterIntervalSec * 1000, () => {
      this.cancelTick = undefined;
      this.recompute();
      const now = this.now();
      for (const c of this.connectors) if (c.tx) this.link?.meterValues(c.id, c.tx, sampleOf(c, this.spec, now, 'Sample.Periodic'));
      this.ensureTicking();
    });
  }

  private changed(connectorId: number): void {
    this.link?.connectorChanged(connectorId);
  }
}
