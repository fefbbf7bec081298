import type { Knex } from 'knex';
import type { Config } from '../config/load.ts';
import { AdvisoryLocks } from '../db/advisory-lock.ts';
import type { AlertService } from '../alerts/alert.service.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import type { SetChargingProfileRequest } from '../ocpp/v16/types.ts';
import { runDetached } from '../shared/background.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { AllocationInput, AllocationResult } from './allocation.types.ts';
import { buildAllocationInput, measuredLoad, withFreshReadings, type ReservedCharger } from './allocation-input.ts';
import * as groups from './load-group.repo.ts';
import * as state from './load-state.repo.ts';
import type { AppliedAllocation, ChargerMembership, LoadGroup } from './load.types.ts';
import { LOAD_STACK_LEVEL, overDrawn, planSends, safeShares, TX_DEFAULT_PROFILE_ID, txDefaultProfileOf, txProfileOf, type PlannedSend } from './profile-plan.ts';

export type AllocateFn = (input: AllocationInput) => AllocationResult;

export interface LoadManagerOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  commands: CommandSender;
  alerts: Pick<AlertService, 'raise' | 'close' | 'listOpenOfKind'>;
  settings: Config['loadManagement'];
  callTimeoutMs: number;
}

export const OVER_DRAW_ALERT = 'LOAD_LIMIT_EXCEEDED';
const LOCK_KEY = 'cpms:load-management';
/** A charger that refused a limit or did not answer is tried again after this long (it may not have known the transaction yet). */
const RETRY_REFUSED_MS = 60_000;

export interface RunCounts {
  sessions: number;
  sent: number;
  refused: number;
  uncontrolled: number;
  defaults: number;
}

/**
 * Applies load management (issue 10): builds the allocator's input from the capacity tree and the live
 * sessions, calls the injected allocator and sends each changed limit as an OCPP 1.6 TxProfile (reductions
 * first), a safe TxDefaultProfile per charger, and alerts on a group drawing more than it may. One run at a
 * time across nodes (advisory lock); triggers within `debounceMs` share a run.
 */
export class LoadManager {
  private timer: NodeJS.Timeout | undefined;
  /** runs of this node, one after the other */
  private queue: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  private isRerunWanted = false;
  private isStopped = false;
  /** runs are asked for only on a serving node (a CLI command's app sends no limits) */
  private isStarted = false;
  /** the TxDefaultProfile limit each charger accepted (forgotten when it reconnects) */
  private readonly defaults = new Map<string, number>();
  /** chargers that refused their TxDefaultProfile (until they reconnect): counted at their maximum */
  private readonly refusing = new Set<string>();
  /** the measured currents each managed session was allocated with: a meaningful change triggers a run */
  private measuredAtRun = new Map<number, [number, number, number]>();
  private last: { input: AllocationInput; result: AllocationResult } | undefined;
  private readonly locks: AdvisoryLocks;

  constructor(
    private readonly o: LoadManagerOptions,
    private readonly allocate: AllocateFn,
  ) {
    this.locks = new AdvisoryLocks(o.db);
  }

  /** Runs may be asked for from now on (the app serves as a node). */
  start(): void {
    this.isStarted = true;
    this.requestRun('start');
  }

  /** Asks for a run after the debounce; a run under way is followed by one more. */
  requestRun(reason: string): void {
    if (this.isStopped || !this.isStarted) return;
    if (this.inFlight > 0) {
      this.isRerunWanted = true;
      return;
    }
    if (this.timer) return;
    this.o.logger.debug('load management run requested', { reason });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      runDetached(this.o.logger, 'load management run', () => this.run());
    }, this.o.settings.debounceMs);
    this.timer.unref?.();
  }

  /** Per-phase currents of a session's new meter values: a run when they moved by drawChangeA or more. */
  onMeasured(sessionId: number, currents: Map<number, number>): void {
    const before = this.measuredAtRun.get(sessionId);
    if (!before) return;
    for (const [i, a] of currents) if (Math.abs(a - (before[i] ?? 0)) >= this.o.settings.drawChangeA) return this.requestRun(`draw of session ${sessionId}`);
  }

  /** A charger (re)connected: its profiles are sent again (it may have lost them on a reboot). */
  async onChargerConnected(chargePointId: string): Promise<void> {
    this.defaults.delete(chargePointId);
    this.refusing.delete(chargePointId);
    await state.deleteAppliedOfCharger(this.o.db, chargePointId);
    this.requestRun(`charger ${chargePointId} connected`);
  }

  /** A charger left load management: its limits are forgotten and cleared from it (OCPP 1.6 §5.5). */
  async release(chargePointId: string): Promise<void> {
    this.defaults.delete(chargePointId);
    this.refusing.delete(chargePointId);
    await state.deleteAppliedOfCharger(this.o.db, chargePointId);
    for (const payload of [{ id: TX_DEFAULT_PROFILE_ID }, { chargingProfilePurpose: 'TxProfile' as const, stackLevel: LOAD_STACK_LEVEL }]) {
      try {
        await this.o.commands.send(chargePointId, 'ClearChargingProfile', payload, this.o.callTimeoutMs);
      } catch (err) {
        this.o.logger.warn('load management: ClearChargingProfile failed', { chargePointId, err: (err as Error).message });
      }
    }
  }

  /** No more runs; resolves once a run under way ended. */
  async stop(): Promise<void> {
    this.isStopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.queue;
  }

  /** One run now (the job, tests); runs on this node one after the other. */
  async run(): Promise<RunCounts | undefined> {
    this.inFlight++;
    // In order on this node (PGlite's one session would let two runs take the advisory lock), under the lock across nodes.
    const work = this.queue.then(() => this.locks.run(LOCK_KEY, () => this.runLocked()));
    this.queue = work.catch(() => undefined);
    try {
      const outcome = await work;
      // Another node is running: its run may have missed what triggered this one.
      if (!outcome.acquired) this.isRerunWanted = true;
      return outcome.acquired ? outcome.value : undefined;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.isRerunWanted) {
        this.isRerunWanted = false;
        this.requestRun('changes during the last run');
      }
    }
  }

  /** The last allocation computed on this node (GET /load-groups/{id}). */
  lastAllocation(): { input: AllocationInput; result: AllocationResult } | undefined {
    return this.last;
  }

  private async runLocked(): Promise<RunCounts> {
    const now = this.o.clock.now().getTime();
    const tree = await groups.listGroups(this.o.db);
    if (tree.length === 0) return { sessions: 0, sent: 0, refused: 0, uncontrolled: 0, defaults: 0 };
    const sessions = await state.listLoadSessions(this.o.db);
    const applied = new Map((await state.listApplied(this.o.db)).map((a) => [a.sessionId, a]));
    const offline = new Set(sessions.filter((s) => !s.isConnected).map((s) => s.chargePointId));
    const members = await groups.listMemberships(this.o.db);
    const input = buildAllocationInput({ now, groups: tree, sessions, applied: [...applied.values()], offline, reserved: this.reservedOf(members), settings: this.o.settings, retryBefore: now - RETRY_REFUSED_MS });
    const result = this.allocate(input);
    this.last = { input, result };
    this.measuredAtRun = new Map(input.sessions.filter((s) => s.measuredA).map((s) => [Number(s.sessionId), s.measuredA!]));
    const bySession = new Map(sessions.map((s) => [String(s.sessionId), s]));
    const appliedById = new Map([...applied].map(([id, a]) => [String(id), a]));
    const counts: RunCounts = { sessions: sessions.length, sent: 0, refused: 0, uncontrolled: input.sessions.filter((s) => s.uncontrolled).length, defaults: 0 };
    await this.markOffline(sessions.filter((s) => offline.has(s.chargePointId)), applied);
    const plan = planSends(result.schedules, input, appliedById);
    // Reductions are answered before any rise, so that the sum stays within the limits meanwhile.
    for (const batch of [plan.filter((p) => p.isReduction), plan.filter((p) => !p.isReduction)]) {
      // A refused reduction leaves its charger drawing more than planned: no rise before the rerun counts it at its maximum.
      if (counts.refused > 0) break;
      const outcomes = await Promise.all(batch.map((p) => this.sendSchedule(p, bySession.get(p.schedule.sessionId)!, now)));
      counts.sent += outcomes.length;
      counts.refused += outcomes.filter((ok) => !ok).length;
    }
    counts.defaults = await this.sendDefaults(tree, members, now);
    await this.checkOverDraw(withFreshReadings(input, sessions, applied), result, tree);
    if (counts.sent > 0) this.o.logger.info('load management: limits sent', { ...counts, limits: plan.map((p) => `${p.schedule.sessionId}:${p.schedule.limitA}A/${p.schedule.phases}`) });
    // A charger that refused its limit now counts at its maximum: the others are reduced at once.
    if (counts.refused > 0) this.isRerunWanted = true;
    return counts;
  }

  /**
   * What idle chargers may draw without asking: a refusing one its maximum; with reserveIdleShare, the safe
   * share its TxDefaultProfile gives a new transaction, so that a start before the next run stays within the limits.
   */
  private reservedOf(members: ChargerMembership[]): ReservedCharger[] {
    return members.flatMap((m): ReservedCharger[] => {
      const base = { chargePointId: m.chargePointId, groupId: m.groupId, phaseRotation: m.phaseRotation };
      if (this.refusing.has(m.chargePointId)) return [{ ...base, amps: m.maxCurrentA ?? this.o.settings.defaultMaxCurrentA, isRefusing: true }];
      const share = this.defaults.get(m.chargePointId) ?? 0;
      return this.o.settings.reserveIdleShare && share > 0 ? [{ ...base, amps: share, isRefusing: false }] : [];
    });
  }

  /** Sessions at chargers gone offline are uncontrolled (counted at their maximum) until the charger returns. */
  private async markOffline(sessions: state.LoadSessionRow[], applied: Map<number, AppliedAllocation>): Promise<void> {
    for (const s of sessions) {
      const a = applied.get(s.sessionId);
      if (a?.uncontrolled) continue;
      this.o.logger.warn('load management: charger offline with a session running, counted at its maximum', { chargePointId: s.chargePointId, sessionId: s.sessionId });
      await state.upsertApplied(this.o.db, { sessionId: s.sessionId, chargePointId: s.chargePointId, connectorNumber: s.connectorNumber, limitA: a?.limitA ?? 0, periods: a?.periods ?? [], phases: a?.phases ?? 3, status: 'Offline', uncontrolled: true });
    }
  }

  /** Sends a session's TxProfile; false (and the session uncontrolled) when the charger did not take it. */
  private async sendSchedule(p: PlannedSend, s: state.LoadSessionRow, now: number): Promise<boolean> {
    const { schedule } = p;
    const payload = txProfileOf(schedule, { transactionId: s.sessionId, connectorNumber: s.connectorNumber, now, horizonSec: this.o.settings.horizonSec, maxPeriods: this.o.settings.maxSchedulePeriods });
    const status = await this.send(s.chargePointId, payload);
    const isAccepted = status === 'Accepted';
    if (!isAccepted) this.o.logger.warn('load management: charger did not take its limit, counted at its maximum', { chargePointId: s.chargePointId, sessionId: s.sessionId, status });
    await state.upsertApplied(this.o.db, { sessionId: s.sessionId, chargePointId: s.chargePointId, connectorNumber: s.connectorNumber, limitA: schedule.limitA, periods: schedule.periods, phases: schedule.phases, status, uncontrolled: !isAccepted });
    return isAccepted;
  }

  /** Sends a charging profile and never throws: the charger's status, or Offline / Failed. */
  private async send(chargePointId: string, payload: SetChargingProfileRequest): Promise<string> {
    try {
      return (await this.o.commands.send(chargePointId, 'SetChargingProfile', payload, this.o.callTimeoutMs)).status;
    } catch (err) {
      this.o.logger.warn('load management: SetChargingProfile failed', { chargePointId, err: (err as Error).message });
      return err instanceof Conflict ? 'Offline' : 'Failed';
    }
  }

  /** The TxDefaultProfile of each connected member charger: its guaranteed share, sent when it changes. */
  private async sendDefaults(tree: LoadGroup[], members: ChargerMembership[], now: number): Promise<number> {
    const shares = safeShares(tree, members, { now, minCurrentA: this.o.settings.minCurrentA, refusing: this.refusing, defaultMaxCurrentA: this.o.settings.defaultMaxCurrentA, voltage: this.o.settings.voltage });
    const connected = new Set(await state.listConnectedChargers(this.o.db, members.map((m) => m.chargePointId)));
    let sent = 0;
    await Promise.all(
      members
        .filter((m) => connected.has(m.chargePointId) && !this.refusing.has(m.chargePointId) && this.defaults.get(m.chargePointId) !== shares.get(m.chargePointId))
        .map(async (m) => {
          const share = shares.get(m.chargePointId) ?? 0;
          const status = await this.send(m.chargePointId, txDefaultProfileOf(share));
          sent++;
          if (status === 'Accepted') this.defaults.set(m.chargePointId, share);
          // Safety: a charger that refuses limits may draw its maximum at any time; it is counted so from now on.
          if (status === 'Rejected' || status === 'NotSupported') {
            this.o.logger.warn('load management: charger refuses charging profiles, counted at its maximum', { chargePointId: m.chargePointId, status });
            this.refusing.add(m.chargePointId);
            this.isRerunWanted = true;
          }
        }),
    );
    return sent;
  }

  /** LOAD_LIMIT_EXCEEDED per group whose measured draw is above what it may carry; closed once it is not. */
  private async checkOverDraw(input: AllocationInput, result: AllocationResult, tree: LoadGroup[]): Promise<void> {
    const over = overDrawn(result.nodes, measuredLoad(input), this.o.settings.overDrawToleranceA);
    const names = new Map(tree.map((g) => [String(g.id), g.name]));
    for (const o of over) {
      await this.o.alerts.raise({
        kind: OVER_DRAW_ALERT,
        severity: 'critical',
        subject: `load-group:${o.nodeId}`,
        message: `load group ${names.get(o.nodeId)} draws ${o.measuredA.toFixed(1)} A on ${o.phase}, above the ${o.plannedA.toFixed(1)} A it may carry`,
      });
    }
    const still = new Set(over.map((o) => `load-group:${o.nodeId}`));
    const ended = (await this.o.alerts.listOpenOfKind(OVER_DRAW_ALERT)).filter((a) => !still.has(a.subject ?? ''));
    if (ended.length > 0) await this.o.alerts.close(ended.map((a) => a.id));
  }
}
