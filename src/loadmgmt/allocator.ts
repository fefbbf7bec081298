// Pure: the load allocator (issue 10): plans every session's limit over the horizon so that no node's effective
// limit is exceeded on any grid phase at any step, each limit is 0 or within [minCurrentA, maxCurrentA],
// deadlines are met earliest-deadline-first where capacity allows, flexible energy goes to cheap steps, and the
// rest is shared by priority. Deterministic: ties are broken by startedAt, then sessionId.
import { buildModel, floorTenth, GRID_PHASES, type Model, type Step, type StepLimits } from './allocation-model.ts';
import type { AllocationInput, AllocationResult, PhaseAmps, SchedulePeriod, SessionSchedule } from './allocation.types.ts';
import { compareIds, planDeadlines, type DeadlinePlan } from './deadline-planner.ts';
import { createFillScratch, fillStep, orderEntries, type EntryOrder, type FillEntry } from './water-fill.ts';

/** Served after every other class: a session whose energy need is met only gets what nobody else can use. */
const LEFTOVER_PRIORITY = -Number.MAX_VALUE;
/** Under-use: a session drawing less than its limit by more than this is counted at its draw plus this. */
const UNDER_USE_MARGIN_A = 1;

const finite = (x: number): number => (Number.isFinite(x) ? Math.max(0, x) : 0);

interface Plan {
  model: Model;
  /** the shared sessions' limits at each step (controlled sessions without a planned deadline) */
  shared: StepLimits;
  /** per session with a deadline met, its limit at each step */
  planned: Map<number, Float64Array>;
  missed: Set<number>;
}

/** Plans the limit of every session over the horizon (see the file's header for the rules). */
export function allocate(input: AllocationInput): AllocationResult {
  const model = buildModel(input);
  const plan = planHorizon(model, input.now);
  const shared = sharedPeriods(plan.shared, model.steps);
  const loadNow = model.fixed.slice();
  const add = (i: number, limitA: number): void => {
    for (const c of model.sessions[i]!.constraints) loadNow[c]! += limitA;
  };
  for (const [i, j] of plan.shared.column) add(i, plan.shared.rows[0]![j]!);
  for (const [i, limits] of plan.planned) add(i, limits[0]!);
  return {
    schedules: model.sessions.map((s, i) => scheduleOf(plan, i, shared)),
    nodes: model.nodes.map((node, n) => ({
      nodeId: node.id,
      limitA: model.limits[0]![n * 3]!,
      plannedA: Object.fromEntries(GRID_PHASES.map((p, j) => [p, Math.round(loadNow[n * 3 + j]! * 1000) / 1000])) as PhaseAmps,
    })),
  };
}

/** The highest limit a session may get at a step: its maximum, capped at step 0 when it draws clearly less. */
function maxAt(model: Model, session: number, step: number): number {
  const s = model.sessions[session]!;
  const max = finite(s.demand.maxCurrentA);
  const { measuredA, appliedA } = s.demand;
  if (step !== 0 || !measuredA || appliedA === undefined) return max;
  const drawn = Math.max(...measuredA.slice(0, s.phases).map(finite));
  if (drawn >= appliedA - UNDER_USE_MARGIN_A) return max;
  // the spare goes to others this round; the session keeps at least its draw rounded up (and can resume)
  return Math.min(max, Math.max(finite(s.demand.minCurrentA), Math.ceil(drawn) + UNDER_USE_MARGIN_A));
}

function planHorizon(model: Model, now: number): Plan {
  const controlled = byArrival(model, model.sessions.flatMap((s, i) => (s.isControlled ? [i] : [])));
  const capacity = model.limits.map((row) => {
    const left = new Float64Array(row.length);
    for (let c = 0; c < row.length; c++) left[c] = row[c]! - model.fixed[c]!;
    return left;
  });
  const isDeadline = (i: number): boolean => {
    const d = model.sessions[i]!.demand;
    return (d.energyNeededWh ?? 0) > 0 && d.departureAt !== undefined && d.departureAt > now;
  };
  const candidates = controlled.filter(isDeadline);
  let deadlines: DeadlinePlan = { planned: new Map(), missed: new Set() };
  if (candidates.length > 0) {
    const fair = fillHorizon(model, capacity, controlled.map((session) => ({ session })));
    deadlines = planDeadlines({
      model,
      capacity,
      candidates,
      fair,
      maxA: (s, k) => maxAt(model, s, k),
      others: controlled.filter((i) => !isDeadline(i) && !((model.sessions[i]!.demand.energyNeededWh ?? 1) <= 0)),
    });
  }
  const rest = controlled.filter((i) => !deadlines.planned.has(i));
  const shared = fillHorizon(model, capacity, rest.map((session) => ({ session, needWh: model.sessions[session]!.demand.energyNeededWh })));
  const missed = new Set(deadlines.missed);
  for (const i of controlled) {
    const d = model.sessions[i]!.demand;
    if (!deadlines.planned.has(i) && (d.energyNeededWh ?? 0) > 0 && d.departureAt !== undefined && d.departureAt <= now) missed.add(i);
  }
  return { model, shared, planned: deadlines.planned, missed };
}

/** Admission order inside a priority class: first come, first served (then sessionId). */
function byArrival(model: Model, sessions: number[]): number[] {
  const startedAt = model.sessions.map((s) => s.demand.startedAt);
  const ids = model.sessions.map((s) => s.demand.sessionId);
  return sessions.sort((a, b) => startedAt[a]! - startedAt[b]! || compareIds(ids[a]!, ids[b]!));
}

interface Participant {
  session: number;
  /** energy still needed, when known: once met the session only gets what is left over */
  needWh?: number | undefined;
}

/** The participants as water-filling entries at step 0, in admission order; a need already met: leftover class. */
function entriesOf(model: Model, participants: Participant[]): FillEntry[] {
  return participants.map((p, rank) => {
    const s = model.sessions[p.session]!;
    const priority = p.needWh !== undefined && p.needWh <= 0 ? LEFTOVER_PRIORITY : s.demand.priority;
    return { constraints: s.constraints, minA: finite(s.demand.minCurrentA), maxA: maxAt(model, p.session, 0), priority, rank };
  });
}

/** Each participant's energy still needed (NaN: none known, compares false) and, when known, Wh per A and hour. */
function needsOf(model: Model, participants: Participant[]): { needs: Float64Array; whPerAh: Float64Array } {
  const needs = new Float64Array(participants.length);
  const whPerAh = new Float64Array(participants.length);
  for (let j = 0; j < participants.length; j++) {
    needs[j] = participants[j]!.needWh ?? NaN;
    if (!(needs[j]! > 0)) continue;
    const s = model.sessions[participants[j]!.session]!;
    whPerAh[j] = s.phases * s.demand.voltage;
  }
  return { needs, whPerAh };
}

/**
 * Shares each step's capacity among the participants (in admission order), step after step: a need met at one
 * step moves the session to the leftover class at the next. A step with the same capacity and participants as
 * the one before shares it the same way (the same row). Does not change `capacity`.
 */
function fillHorizon(model: Model, capacity: Float64Array[], participants: Participant[]): StepLimits {
  const rows: Float64Array[] = [];
  const { needs, whPerAh } = needsOf(model, participants);
  let needy: number[] = [];
  for (let j = 0; j < participants.length; j++) if (needs[j]! > 0) needy.push(j);
  const entries = entriesOf(model, participants);
  let order = orderEntries(entries);
  const scratch = createFillScratch(entries, model.nodes.length * 3);
  // what a step's fill leaves (fillStep reduces the capacity it is given): one buffer for all steps
  const left = new Float64Array(model.nodes.length * 3);
  let isChanged = false;
  for (let k = 0; k < model.steps.length; k++) {
    if (k === 1) {
      for (let j = 0; j < entries.length; j++) entries[j]!.maxA = maxAt(model, participants[j]!.session, 1); // under-use counts now only
      order = orderEntries(entries);
    }
    const isNew = k <= 1 || isChanged || !isSameRow(capacity[k]!, capacity[k - 1]!);
    if (isNew) left.set(capacity[k]!);
    const limits = isNew ? limitsOf(fillStep(left, entries, order, scratch), entries) : rows[k - 1]!;
    rows.push(limits);
    isChanged = false;
    if (needy.length === 0) continue;
    const hours = model.steps[k]!.hours;
    for (const j of needy) {
      needs[j]! -= limits[j]! * whPerAh[j]! * hours;
      if (needs[j]! <= 0) {
        entries[j]!.priority = LEFTOVER_PRIORITY;
        isChanged = true;
      }
    }
    if (isChanged) {
      needy = needy.filter((j) => entries[j]!.priority !== LEFTOVER_PRIORITY);
      order = withLeftovers(order, entries);
    }
  }
  return { rows, column: new Map(participants.map((p, j) => [p.session, j])) };
}

/** Each entry's limit from the filled values: 0 (paused) or at least its minimum, in tenths rounded down. */
function limitsOf(values: Float64Array, entries: FillEntry[]): Float64Array {
  const limits = new Float64Array(entries.length);
  for (let j = 0; j < entries.length; j++) {
    const v = values[j]!;
    const minA = entries[j]!.minA;
    limits[j] = v >= minA && v > 0 ? Math.max(minA, floorTenth(v)) : 0;
  }
  return limits;
}

/** The order once some entries moved to the leftover class, served last: the others keep their order. */
function withLeftovers(order: EntryOrder, entries: FillEntry[]): EntryOrder {
  const byPriority: number[] = [];
  for (const i of order.byPriority) if (entries[i]!.priority !== LEFTOVER_PRIORITY) byPriority.push(i);
  // entries are in admission order, so their indexes are their ranks
  for (let i = 0; i < entries.length; i++) if (entries[i]!.priority === LEFTOVER_PRIORITY) byPriority.push(i);
  return { byPriority, byMax: order.byMax };
}

function isSameRow(a: Float64Array, b: Float64Array): boolean {
  for (let c = 0; c < a.length; c++) if (a[c] !== b[c]) return false;
  return true;
}

/**
 * The periods of every shared session (by column): a row's changes against the row before, read in memory
 * order, and none for a step that shares the row before.
 */
function sharedPeriods(limits: StepLimits, steps: Step[]): SchedulePeriod[][] {
  const { rows } = limits;
  const first = rows[0]!;
  const periods: SchedulePeriod[][] = Array.from(first, (limitA) => [{ startsAt: steps[0]!.startsAt, limitA }]);
  for (let k = 1; k < rows.length; k++) {
    const row = rows[k]!;
    const before = rows[k - 1]!;
    if (row === before) continue;
    for (let j = 0; j < row.length; j++) if (row[j] !== before[j]) periods[j]!.push({ startsAt: steps[k]!.startsAt, limitA: row[j]! });
  }
  return periods;
}

/** The periods of a session with its own plan. */
function plannedPeriods(limits: Float64Array, steps: Step[]): SchedulePeriod[] {
  const periods: SchedulePeriod[] = [{ startsAt: steps[0]!.startsAt, limitA: limits[0]! }];
  for (let k = 1; k < steps.length; k++) if (limits[k] !== limits[k - 1]) periods.push({ startsAt: steps[k]!.startsAt, limitA: limits[k]! });
  return periods;
}

function periodsOf(plan: Plan, i: number, shared: SchedulePeriod[][]): SchedulePeriod[] {
  const s = plan.model.sessions[i]!;
  const startsAt = plan.model.steps[0]!.startsAt;
  if (s.demand.uncontrolled) return [{ startsAt, limitA: finite(s.demand.maxCurrentA) }];
  const planned = plan.planned.get(i);
  if (planned) return plannedPeriods(planned, plan.model.steps);
  const j = plan.shared.column.get(i);
  return j === undefined ? [{ startsAt, limitA: 0 }] : shared[j]!;
}

function scheduleOf(plan: Plan, i: number, shared: SchedulePeriod[][]): SessionSchedule {
  const s = plan.model.sessions[i]!;
  const periods = periodsOf(plan, i, shared);
  return { sessionId: s.demand.sessionId, limitA: periods[0]!.limitA, periods, phases: s.phases, deadlineMissed: plan.missed.has(i) };
}
