// Pure: how an allocation becomes OCPP 1.6 charging profiles (issue 10): a TxProfile per session with the
// schedule's periods, sent only when its limits changed, the reductions before the increases; a safe
// TxDefaultProfile per charger; and which nodes draw more than planned.
import type { AllocationInput, NodeLoad, PhaseAmps, SchedulePeriod, SessionSchedule } from './allocation.types.ts';
import type { SetChargingProfileRequest } from '../ocpp/v16/types.ts';
import type { AppliedAllocation, ChargerMembership, LoadGroup } from './load.types.ts';
import { toCapacityNode } from './allocation-input.ts';
import { nodeLimitAt } from './equal-share.ts';

// OCPP 1.6 §3.13.2: the highest stackLevel prevails. The eMSPs' TxProfiles are at 1 (chargingprofiles);
// load management's are above them, with their limits already taken into account (the smaller wins).
export const LOAD_STACK_LEVEL = 2;
// OCPP 1.6 §5.16: a profile with the same chargingProfileId replaces the stored one. Ids far above the
// serial ids of the eMSPs' profiles, one per connector (TxProfile) and one per charger (TxDefaultProfile).
export const TX_PROFILE_ID_BASE = 2_000_000_000;
export const TX_DEFAULT_PROFILE_ID = 2_000_100_000;

/** The TxProfile of a session's schedule: Absolute from `now`, one period per change, at most `maxPeriods`. */
export function txProfileOf(s: SessionSchedule, o: { transactionId: number; connectorNumber: number; now: number; horizonSec: number; maxPeriods: number }): SetChargingProfileRequest {
  const periods = s.periods.slice(0, o.maxPeriods);
  // Cut after the last period sent, so that a later, lower limit is never stretched (the TxDefaultProfile follows).
  const next = s.periods[o.maxPeriods];
  const durationSec = next ? Math.max(1, Math.round((next.startsAt - o.now) / 1000)) : o.horizonSec;
  return {
    connectorId: o.connectorNumber,
    csChargingProfiles: {
      chargingProfileId: TX_PROFILE_ID_BASE + o.connectorNumber,
      transactionId: o.transactionId,
      stackLevel: LOAD_STACK_LEVEL,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: {
        duration: durationSec,
        startSchedule: new Date(o.now).toISOString(),
        chargingRateUnit: 'A',
        chargingSchedulePeriod: periods.map((p) => ({ startPeriod: Math.max(0, Math.round((p.startsAt - o.now) / 1000)), limit: p.limitA, numberPhases: s.phases })),
      },
    },
  };
}

/** The charger-wide TxDefaultProfile (connector 0): what a new transaction may draw before its allocation. */
export function txDefaultProfileOf(limitA: number): SetChargingProfileRequest {
  return {
    connectorId: 0,
    csChargingProfiles: {
      chargingProfileId: TX_DEFAULT_PROFILE_ID,
      stackLevel: LOAD_STACK_LEVEL,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: limitA }] },
    },
  };
}

/**
 * A charger's guaranteed share of its group: the group's lowest limit on its path (margins deducted,
 * unmanaged load on the worst phase too) divided among the chargers below each level, or 0 (pause) under
 * the minimum. What it may draw when it starts a transaction before its allocation, or loses cpms.
 */
export function safeShareA(path: Array<{ limitA: number; unmanagedA: PhaseAmps; chargers: number }>, minCurrentA: number): number {
  let share = Infinity;
  for (const n of path) share = Math.min(share, (n.limitA - Math.max(n.unmanagedA.L1, n.unmanagedA.L2, n.unmanagedA.L3)) / Math.max(1, n.chargers));
  const floored = Math.floor(Math.max(0, share) * 10) / 10;
  return Number.isFinite(floored) && floored >= minCurrentA ? floored : 0;
}

/** Whether the future limits (now and later changes) differ from what the charger accepted. */
export function isScheduleChanged(s: SessionSchedule, applied: AppliedAllocation | undefined): boolean {
  if (!applied || applied.status !== 'Accepted' || applied.uncontrolled) return true;
  if (applied.phases !== s.phases || applied.limitA !== s.limitA) return true;
  // Later periods start at fixed times: the first one's start (now) moves at every run and does not count.
  const later = (ps: SchedulePeriod[], now: number) => ps.filter((p) => p.startsAt > now).map((p) => `${p.startsAt}:${p.limitA}`).join(',');
  const now = s.periods[0]?.startsAt ?? 0;
  return later(s.periods, now) !== later(applied.periods, now);
}

export interface PlannedSend {
  schedule: SessionSchedule;
  /** the limit falls: sent, and answered, before any rise, so that the sum stays within the limit meanwhile */
  isReduction: boolean;
}

/** The sessions whose charger must get a new TxProfile, reductions first. Uncontrolled sessions get none. */
export function planSends(schedules: SessionSchedule[], input: AllocationInput, applied: Map<string, AppliedAllocation>): PlannedSend[] {
  const controlled = new Set(input.sessions.filter((s) => !s.uncontrolled).map((s) => s.sessionId));
  const measured = new Map(input.sessions.map((s) => [s.sessionId, s.measuredA]));
  return schedules
    .filter((s) => controlled.has(s.sessionId) && isScheduleChanged(s, applied.get(s.sessionId)))
    .map((schedule) => {
      const before = applied.get(schedule.sessionId);
      // Without an accepted limit the session draws at most its safe default: only a measured draw above the new limit is a reduction.
      const drawing = Math.max(0, ...(measured.get(schedule.sessionId) ?? []));
      const current = before?.status === 'Accepted' && !before.uncontrolled ? before.limitA : drawing;
      return { schedule, isReduction: schedule.limitA < current };
    })
    .sort((a, b) => Number(b.isReduction) - Number(a.isReduction));
}

/**
 * Nodes whose measured draw on some phase is above their planned load (or their limit, when the planned
 * load is above it: unmanaged or uncontrolled load alone overloads them) by more than `toleranceA`.
 */
export function overDrawn(nodes: NodeLoad[], measured: Map<string, PhaseAmps>, toleranceA: number): Array<{ nodeId: string; phase: keyof PhaseAmps; measuredA: number; plannedA: number }> {
  const found: Array<{ nodeId: string; phase: keyof PhaseAmps; measuredA: number; plannedA: number }> = [];
  for (const n of nodes) {
    const m = measured.get(n.nodeId);
    if (!m) continue;
    for (const phase of ['L1', 'L2', 'L3'] as const) {
      const allowed = Math.min(n.plannedA[phase], n.limitA);
      if (m[phase] > allowed + toleranceA) found.push({ nodeId: n.nodeId, phase, measuredA: m[phase], plannedA: allowed });
    }
  }
  return found;
}

/**
 * Each member charger's guaranteed share: at each level of its path, what refusing chargers below may draw
 * held back, the rest shared by the other chargers below; the tightest level counts.
 */
export function safeShares(tree: LoadGroup[], members: ChargerMembership[], o: { now: number; minCurrentA: number; refusing: ReadonlySet<string>; defaultMaxCurrentA: number; voltage?: number }): Map<string, number> {
  const byId = new Map(tree.map((g) => [g.id, g]));
  const pathOf = (id: number): LoadGroup[] => {
    const path: LoadGroup[] = [];
    for (let g = byId.get(id); g && !path.includes(g); g = g.parentId === null ? undefined : byId.get(g.parentId)) path.push(g);
    return path;
  };
  const below = new Map<number, { chargers: number; refusingA: number }>();
  for (const m of members) {
    for (const g of pathOf(m.groupId)) {
      const b = below.get(g.id) ?? { chargers: 0, refusingA: 0 };
      if (o.refusing.has(m.chargePointId)) b.refusingA += m.maxCurrentA ?? o.defaultMaxCurrentA;
      else b.chargers++;
      below.set(g.id, b);
    }
  }
  const path = (m: ChargerMembership) =>
    pathOf(m.groupId).map((g) => {
      const b = below.get(g.id) ?? { chargers: 1, refusingA: 0 };
      return { limitA: nodeLimitAt(toCapacityNode(g, { voltage: o.voltage }), o.now) - b.refusingA, unmanagedA: g.unmanagedA ?? { L1: 0, L2: 0, L3: 0 }, chargers: b.chargers };
    });
  return new Map(members.map((m) => [m.chargePointId, safeShareA(path(m), o.minCurrentA)]));
}
