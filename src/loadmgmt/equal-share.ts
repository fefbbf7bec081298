// Pure: a simple, correct allocator (issue 10) with the contract of `allocate` (allocation.types.ts): max-min
// fair (equal) shares per node and phase by progressive filling, sessions below the minimum paused (lowest
// priority, then the latest arrival, first), uncontrolled sessions counted at their maximum. It plans no
// deadlines or prices: the time-varying node limits only give one period per schedule change.
import type { AllocationInput, AllocationResult, CapacityNode, GridPhase, NodeLoad, PhaseAmps, SchedulePeriod, SessionDemand, SessionSchedule } from './allocation.types.ts';

const PHASES: GridPhase[] = ['L1', 'L2', 'L3'];
const EPS = 1e-6;
/** Limits are sent with one decimal (OCPP 1.6 limit: decimal with one digit of precision). */
const floorTenth = (a: number): number => Math.floor(a * 10 + EPS) / 10;

/** The grid phases a session's draw lands on: its first `count` phases through the charger's rotation. */
export function gridPhasesOf(s: SessionDemand, count: number): GridPhase[] {
  return [...new Set(s.phaseRotation.slice(0, Math.max(1, Math.min(count, s.chargerPhases))))];
}

/** A node's limit per phase at `at` (schedule applied) minus its margin; 0 on the phases it does not carry. */
export function nodeLimitAt(n: CapacityNode, at: number): number {
  let limit = n.maxCurrentA;
  for (const p of n.schedule) if (p.startsAt <= at) limit = Math.min(n.maxCurrentA, p.maxCurrentA);
  return Math.max(0, limit - n.marginA);
}

interface Constraint {
  key: string;
  free: number;
}

/** Every node from the session's node up to its root (a cycle or an unknown id ends the walk). */
function pathOf(nodeId: string, byId: Map<string, CapacityNode>): CapacityNode[] {
  const path: CapacityNode[] = [];
  const seen = new Set<string>();
  for (let n = byId.get(nodeId); n && !seen.has(n.id); n = n.parentId === null ? undefined : byId.get(n.parentId)) {
    seen.add(n.id);
    path.push(n);
  }
  return path;
}

/** The (node, phase) constraints a session's draw counts against. */
function constraintKeysOf(s: SessionDemand, phases: number, byId: Map<string, CapacityNode>): string[] {
  const grid = gridPhasesOf(s, phases);
  return pathOf(s.nodeId, byId).flatMap((n) => grid.map((p) => `${n.id}/${p}`));
}

/** Free capacity of each (node, phase) at `at`: limit − unmanaged − uncontrolled sessions below it. */
function freeCapacity(input: AllocationInput, at: number, byId: Map<string, CapacityNode>): Map<string, Constraint> {
  const free = new Map<string, Constraint>();
  for (const n of input.nodes) {
    const limit = nodeLimitAt(n, at);
    for (const p of PHASES) {
      const carried = n.phases === 3 || p === 'L1' ? limit : 0;
      free.set(`${n.id}/${p}`, { key: `${n.id}/${p}`, free: carried - (n.unmanagedA[p] ?? 0) });
    }
  }
  for (const s of input.sessions.filter((x) => x.uncontrolled)) {
    for (const k of constraintKeysOf(s, s.chargerPhases, byId)) free.get(k)!.free -= s.maxCurrentA;
  }
  return free;
}

/** Progressive filling: every session rises at the same pace until it reaches its maximum or a constraint is full. */
function fill(sessions: SessionDemand[], keys: Map<string, string[]>, free: Map<string, Constraint>): Map<string, number> {
  const given = new Map<string, number>(sessions.map((s) => [s.sessionId, 0]));
  let rising = sessions.filter((s) => s.maxCurrentA > EPS && keys.get(s.sessionId)!.every((k) => free.get(k)!.free > EPS));
  while (rising.length > 0) {
    const users = new Map<string, number>();
    for (const s of rising) for (const k of keys.get(s.sessionId)!) users.set(k, (users.get(k) ?? 0) + 1);
    let step = Math.min(...rising.map((s) => s.maxCurrentA - given.get(s.sessionId)!));
    for (const [k, count] of users) step = Math.min(step, free.get(k)!.free / count);
    step = Math.max(0, step);
    for (const s of rising) given.set(s.sessionId, given.get(s.sessionId)! + step);
    for (const [k, count] of users) free.get(k)!.free -= step * count;
    rising = rising.filter((s) => s.maxCurrentA - given.get(s.sessionId)! > EPS && keys.get(s.sessionId)!.every((k) => free.get(k)!.free > EPS));
  }
  return given;
}

/** Who is paused first when the minimum cannot be given to all: lowest priority, then the latest arrival. */
const pauseOrder = (a: SessionDemand, b: SessionDemand): number => a.priority - b.priority || b.startedAt - a.startedAt || (a.sessionId < b.sessionId ? 1 : -1);

/** The limit of each controlled session at `at`: an equal share, or 0 for the paused. */
export function limitsAt(input: AllocationInput, at: number): Map<string, number> {
  const byId = new Map(input.nodes.map((n) => [n.id, n]));
  const controlled = input.sessions.filter((s) => !s.uncontrolled);
  const keys = new Map(controlled.map((s) => [s.sessionId, constraintKeysOf(s, s.vehiclePhases, byId)]));
  const paused = new Set<string>(controlled.filter((s) => s.maxCurrentA < s.minCurrentA || !byId.has(s.nodeId)).map((s) => s.sessionId));
  for (;;) {
    const active = controlled.filter((s) => !paused.has(s.sessionId));
    const given = fill(active, keys, freeCapacity(input, at, byId));
    const short = active.filter((s) => floorTenth(given.get(s.sessionId)!) < s.minCurrentA).sort(pauseOrder);
    if (short.length === 0) return new Map(controlled.map((s) => [s.sessionId, paused.has(s.sessionId) ? 0 : floorTenth(given.get(s.sessionId)!)]));
    paused.add(short[0].sessionId);
  }
}

/** The moments the node limits change within the horizon, `now` first. */
function breakpoints(input: AllocationInput): number[] {
  const end = input.now + input.horizonSec * 1000;
  const times = input.nodes.flatMap((n) => n.schedule.map((p) => p.startsAt)).filter((t) => t > input.now && t < end);
  return [input.now, ...[...new Set(times)].sort((a, b) => a - b)];
}

function plannedLoad(input: AllocationInput, limits: Map<string, number>): NodeLoad[] {
  const byId = new Map(input.nodes.map((n) => [n.id, n]));
  const load = new Map<string, PhaseAmps>(input.nodes.map((n) => [n.id, { ...n.unmanagedA }]));
  for (const s of input.sessions) {
    const amps = s.uncontrolled ? s.maxCurrentA : (limits.get(s.sessionId) ?? 0);
    const phases = s.uncontrolled ? s.chargerPhases : s.vehiclePhases;
    const grid = gridPhasesOf(s, phases);
    for (const n of pathOf(s.nodeId, byId)) for (const p of grid) load.get(n.id)![p] += amps;
  }
  return input.nodes.map((n) => ({ nodeId: n.id, limitA: nodeLimitAt(n, input.now), plannedA: load.get(n.id)! }));
}

/** Whether the energy the schedule gives before the departure falls short of the need. */
function isDeadlineMissed(s: SessionDemand, periods: SchedulePeriod[], end: number): boolean {
  if (s.energyNeededWh === undefined || s.departureAt === undefined) return false;
  let wh = 0;
  periods.forEach((p, i) => {
    const to = Math.min(periods[i + 1]?.startsAt ?? end, s.departureAt!);
    if (to > p.startsAt) wh += (p.limitA * s.vehiclePhases * s.voltage * (to - p.startsAt)) / 3_600_000;
  });
  return wh + EPS < s.energyNeededWh;
}

/** Equal shares now and at every change of a node's limit within the horizon. */
export function allocateEqualShare(input: AllocationInput): AllocationResult {
  const times = breakpoints(input);
  const perTime = times.map((t) => limitsAt(input, t));
  const end = input.now + input.horizonSec * 1000;
  const schedules: SessionSchedule[] = input.sessions.map((s) => {
    const phases = s.uncontrolled ? s.chargerPhases : s.vehiclePhases;
    const periods: SchedulePeriod[] = [];
    times.forEach((t, i) => {
      const limitA = s.uncontrolled ? s.maxCurrentA : (perTime[i].get(s.sessionId) ?? 0);
      if (periods.length === 0 || periods[periods.length - 1].limitA !== limitA) periods.push({ startsAt: t, limitA });
    });
    return { sessionId: s.sessionId, limitA: periods[0].limitA, periods, phases, deadlineMissed: isDeadlineMissed(s, periods, end) };
  });
  return { schedules, nodes: plannedLoad(input, perTime[0]) };
}
