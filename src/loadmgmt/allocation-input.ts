// Pure: the allocator's input (allocation.types.ts) from the stored capacity tree, the active sessions of its
// chargers and what was last applied (issue 10). No I/O and no clock: `now` is given.
import type { AllocationInput, CapacityNode, GridPhase, PhaseAmps, SessionDemand } from './allocation.types.ts';
import type { OcpiChargingProfile } from '../chargingprofiles/chargingprofile.types.ts';
import { pricePointsOf } from './price-curve.ts';
import { priceCurveOf } from './price-curve-input.ts';
import { PHASE_ROTATIONS, type AppliedAllocation, type LoadGroup, type LoadSession, type PhaseRotation } from './load.types.ts';

export interface InputSettings {
  horizonSec: number;
  stepSec: number;
  minCurrentA: number;
  defaultMaxCurrentA: number;
  voltage: number;
}

/** IEC 60038 low voltage, phase to neutral: when neither the group nor the settings say otherwise. */
const DEFAULT_VOLTAGE = 230;
const LINE: Record<string, GridPhase> = { R: 'L1', S: 'L2', T: 'L3' };
/** Below this a phase counts as not drawn (measurement noise, the EV's standby). */
const DRAWING_A = 1;

export const NO_LOAD: PhaseAmps = { L1: 0, L2: 0, L3: 0 };

/** The grid phase each of the charger's phases 1..3 is wired to; RST (no rotation) when unknown. */
export function phaseRotationOf(rotation: PhaseRotation | null): [GridPhase, GridPhase, GridPhase] {
  const r = rotation ?? 'RST';
  return [LINE[r[0]], LINE[r[1]], LINE[r[2]]];
}

/**
 * OCPP 1.6 §9.1 ConnectorPhaseRotation: "a comma separated list of connectorId.rotation", e.g. "0.RST, 1.RST,
 * 2.RTS"; the entry of the connector, else of connector 0 (the charger). NotApplicable / Unknown: undefined.
 */
export function parseConnectorPhaseRotation(value: string, connectorId: number): PhaseRotation | undefined {
  const entries = new Map<number, string>();
  for (const part of value.split(',')) {
    const m = /^\s*(\d+)\.(\w+)\s*$/.exec(part);
    if (m) entries.set(Number(m[1]), m[2]);
  }
  const found = entries.get(connectorId) ?? entries.get(0);
  return (PHASE_ROTATIONS as readonly string[]).includes(found ?? '') ? (found as PhaseRotation) : undefined;
}

/** The phases a vehicle draws on, seen in its per-phase currents; `chargerPhases` while it draws nothing. */
export function vehiclePhasesOf(measured: [number, number, number] | undefined, chargerPhases: 1 | 3): 1 | 2 | 3 {
  if (!measured || chargerPhases === 1) return chargerPhases;
  const drawing = measured.filter((a) => a >= DRAWING_A).length;
  return drawing === 0 ? chargerPhases : (drawing as 1 | 2 | 3);
}

/**
 * The limit per phase an eMSP's profile sets at `now` (OCPI 2.2.1 chargingprofiles §14.6.3: periods from
 * start_date_time, else from the session's start; a limit in W is spread over the phases in use); undefined
 * when none is in force.
 */
export function emspLimitA(p: OcpiChargingProfile, o: { now: number; sessionStart: number; voltage: number; phases: number }): number | undefined {
  const start = p.start_date_time ? Date.parse(p.start_date_time.endsWith('Z') ? p.start_date_time : `${p.start_date_time}Z`) : o.sessionStart;
  const offsetSec = (o.now - start) / 1000;
  if (!Number.isFinite(offsetSec) || offsetSec < 0 || (p.duration !== undefined && offsetSec >= p.duration)) return undefined;
  let limit: number | undefined;
  for (const period of p.charging_profile_period ?? []) if (period.start_period <= offsetSec) limit = period.limit;
  if (limit === undefined) return undefined;
  return p.charging_rate_unit === 'A' ? limit : limit / (o.voltage * o.phases);
}

/**
 * The current per phase a power limit allows on a node: I = P / (phases × U), with U its phase-to-neutral
 * voltage (unity power factor; a three-phase node carries P over three phases, a single-phase one over L1), in
 * tenths of an ampere rounded down. E.g. 22 kW on 3 × 230 V: 31.8 A; 11 kW on 1 × 230 V: 47.8 A.
 */
export function ampsOfPower(kw: number, o: { voltage: number; phases: 1 | 3 }): number {
  return Math.floor((kw * 1000) / (o.phases * o.voltage) * 10 + 1e-9) / 10;
}

/** A limit given in A, in kW or both: the tighter in A (Infinity when neither). */
function tighterA(maxCurrentA: number | undefined, maxPowerKw: number | null | undefined, o: { voltage: number; phases: 1 | 3 }): number {
  return Math.min(maxCurrentA ?? Infinity, maxPowerKw === null || maxPowerKw === undefined ? Infinity : ampsOfPower(maxPowerKw, o));
}

/**
 * A stored group as a capacity node: its kW limits converted with its voltage (else `voltage`, the configured
 * one) and phases, the tighter of A and kW holding; with a window, its own price curve over it too.
 */
export function toCapacityNode(g: LoadGroup, o: { window?: { from: number; to: number }; voltage?: number } = {}): CapacityNode {
  const window = o.window;
  const electric = { voltage: g.voltage ?? o.voltage ?? DEFAULT_VOLTAGE, phases: g.phases };
  return {
    // stored as validated: read again with the same rules
    ...(window && g.priceCurve ? { prices: pricePointsOf(priceCurveOf({ ...g.priceCurve }), window.from, window.to) } : {}),
    id: String(g.id),
    parentId: g.parentId === null ? null : String(g.parentId),
    maxCurrentA: tighterA(g.maxCurrentA, g.maxPowerKw, electric),
    phases: g.phases,
    marginA: g.marginA,
    schedule: g.schedule.map((p) => ({ startsAt: p.startsAt.getTime(), maxCurrentA: tighterA(p.maxCurrentA, p.maxPowerKw, electric) })),
    unmanagedA: g.unmanagedA ?? { ...NO_LOAD },
  };
}

/** OCPI 2.2.1 types §16.2: a DateTime without a zone designator is UTC. */
const parseUtc = (t: string): number => Date.parse(t.endsWith('Z') ? t : `${t}Z`);

/**
 * A session whose charger refused its limit or did not answer stays uncontrolled until its limit is tried
 * again: once the last attempt is older than `retryBefore` (a transaction the charger did not know yet, a
 * timeout). Offline sessions wait for the charger to reconnect.
 */
function isStillUncontrolled(a: AppliedAllocation | undefined, retryBefore = -Infinity): boolean {
  if (!a?.uncontrolled) return false;
  return a.status === 'Offline' || a.sentAt.getTime() >= retryBefore;
}

/** How the allocator sees a session: its limits, phases, measured draw, priority and the driver's need. */
export function toSessionDemand(s: LoadSession, o: { now: number; applied?: AppliedAllocation; isOffline: boolean; settings: InputSettings; retryBefore?: number }): SessionDemand {
  const chargerPhases = s.powerType === 'AC_1_PHASE' ? 1 : 3;
  const measured = s.measured?.currentsA;
  const vehiclePhases = vehiclePhasesOf(measured, chargerPhases);
  const emsp = s.emspProfile ? emspLimitA(s.emspProfile, { now: o.now, sessionStart: s.startedAt.getTime(), voltage: o.settings.voltage, phases: vehiclePhases }) : undefined;
  // eMSP and operator limits are upper bounds inside the allocation: the smallest wins.
  const maxCurrentA = Math.max(0, Math.min(s.membershipMaxA ?? Infinity, s.connectorMaxA ?? o.settings.defaultMaxCurrentA, emsp ?? Infinity));
  const neededWh = s.preferences?.energy_need === undefined ? undefined : Math.max(0, Math.round(s.preferences.energy_need * 1000 - s.energyWh));
  const departureAt = s.preferences?.departure_time === undefined ? undefined : parseUtc(s.preferences.departure_time);
  return {
    sessionId: String(s.sessionId),
    chargePointId: s.chargePointId,
    nodeId: String(s.groupId),
    phaseRotation: phaseRotationOf(s.phaseRotation),
    chargerPhases,
    vehiclePhases,
    maxCurrentA,
    minCurrentA: o.settings.minCurrentA,
    ...(measured ? { measuredA: measured } : {}),
    ...(o.applied?.status === 'Accepted' ? { appliedA: o.applied.limitA } : {}),
    // Safety: a charger that did not take its limit, or is offline with the session running, draws what it likes.
    uncontrolled: o.isOffline || isStillUncontrolled(o.applied, o.retryBefore),
    priority: s.priority,
    ...(neededWh === undefined ? {} : { energyNeededWh: neededWh }),
    ...(departureAt === undefined || Number.isNaN(departureAt) ? {} : { departureAt }),
    voltage: o.settings.voltage,
    startedAt: s.startedAt.getTime(),
  };
}

/**
 * An idle charger whose draw must be held free: one refusing charging profiles (it may start drawing its
 * maximum at any moment), or one whose TxDefaultProfile lets a new transaction draw its safe share at once.
 */
export interface ReservedCharger {
  chargePointId: string;
  groupId: number;
  amps: number;
  phaseRotation: PhaseRotation | null;
  /** refusing profiles: its sessions are uncontrolled too */
  isRefusing: boolean;
}

/** Held free as an uncontrolled session of its own (`charger:<id>`), until a session runs there. */
function reservedDemand(c: ReservedCharger, o: { now: number; settings: InputSettings }): SessionDemand {
  return {
    sessionId: `charger:${c.chargePointId}`, chargePointId: c.chargePointId, nodeId: String(c.groupId), phaseRotation: phaseRotationOf(c.phaseRotation), chargerPhases: 3, vehiclePhases: 3,
    maxCurrentA: c.amps, minCurrentA: o.settings.minCurrentA, uncontrolled: true, priority: 0, voltage: o.settings.voltage, startedAt: o.now,
  };
}

/**
 * The whole input: every node of the tree and every active session at its chargers. Sessions at chargers
 * offline or refusing profiles are uncontrolled, and what idle reserved chargers may draw is held free.
 */
export function buildAllocationInput(o: { now: number; groups: LoadGroup[]; sessions: LoadSession[]; applied: AppliedAllocation[]; offline: ReadonlySet<string>; reserved?: ReservedCharger[]; settings: InputSettings; retryBefore?: number }): AllocationInput {
  const applied = new Map(o.applied.map((a) => [a.sessionId, a]));
  const reserved = o.reserved ?? [];
  const refusing = new Set(reserved.filter((c) => c.isRefusing).map((c) => c.chargePointId));
  const busy = new Set(o.sessions.map((s) => s.chargePointId));
  const sessions = o.sessions.map((s) => toSessionDemand(s, { now: o.now, applied: applied.get(s.sessionId), isOffline: o.offline.has(s.chargePointId) || refusing.has(s.chargePointId), settings: o.settings, retryBefore: o.retryBefore }));
  const idle = reserved.filter((c) => !busy.has(c.chargePointId) && c.amps > 0).map((c) => reservedDemand(c, o));
  const window = { from: o.now, to: o.now + Math.max(o.settings.stepSec, o.settings.horizonSec) * 1000 };
  return { now: o.now, horizonSec: o.settings.horizonSec, stepSec: o.settings.stepSec, nodes: o.groups.map((g) => toCapacityNode(g, { window, voltage: o.settings.voltage })), sessions: [...sessions, ...idle], prices: [] };
}

/** The measured draw per grid phase of each node: its sessions' and its children's, plus its unmanaged load. */
export function measuredLoad(input: AllocationInput): Map<string, PhaseAmps> {
  const parent = new Map(input.nodes.map((n) => [n.id, n.parentId]));
  const load = new Map(input.nodes.map((n) => [n.id, { ...n.unmanagedA }]));
  for (const s of input.sessions) {
    if (!s.measuredA) continue;
    const seen = new Set<string>();
    for (let id: string | null | undefined = s.nodeId; id && !seen.has(id); id = parent.get(id)) {
      seen.add(id);
      const node = load.get(id);
      if (node) s.measuredA.forEach((a, i) => (node[s.phaseRotation[i]] += i < s.chargerPhases ? a : 0));
    }
  }
  return load;
}

// OCPP 1.6 §7.31 Phase: the line a per-phase reading measures (L1 and L1-N are the same line).
export const INDEX_OF_PHASE: Record<string, number> = { L1: 0, L2: 1, L3: 2, 'L1-N': 0, 'L2-N': 1, 'L3-N': 2 };

/** The per-phase Current.Import (A) of a MeterValues' newest readings, by the charger's phase index 0..2. */
export function currentsOfSamples(samples: Array<{ measurand: string; phase: string | null; unit: string | null; numeric: string | null; timestamp: Date }>): Map<number, number> {
  const currents = samples.filter((x) => x.measurand === 'Current.Import' && x.phase !== null && x.numeric !== null && INDEX_OF_PHASE[x.phase] !== undefined);
  const newest = Math.max(...currents.map((x) => x.timestamp.getTime()));
  return new Map(currents.filter((x) => x.timestamp.getTime() === newest).map((x) => [INDEX_OF_PHASE[x.phase!], Number(x.numeric)]));
}

/**
 * The input with each session's readings taken before its last limit was sent capped at that limit: the
 * charger has not reported since, and an old, higher draw is no over-draw.
 */
export function withFreshReadings(input: AllocationInput, sessions: LoadSession[], applied: Map<number, AppliedAllocation>): AllocationInput {
  const readAt = new Map(sessions.map((s) => [String(s.sessionId), s.measured?.at.getTime() ?? 0]));
  const sent = new Map([...applied].map(([id, a]) => [String(id), a]));
  return {
    ...input,
    sessions: input.sessions.map((s) => {
      const a = sent.get(s.sessionId);
      if (!s.measuredA || !a || a.uncontrolled || (readAt.get(s.sessionId) ?? 0) > a.sentAt.getTime()) return s;
      return { ...s, measuredA: s.measuredA.map((x) => Math.min(x, a.limitA)) as [number, number, number] };
    }),
  };
}
