// Pure: the load allocator's deadline planner (issue 10). Sessions that need energy by a departure time reserve
// it earliest-deadline-first, each in the cheapest steps before its departure (earlier first among equal prices).
// A first pass keeps every reservation within the session's fair share of the step, so that moving energy into
// cheap hours takes nothing from anyone; a second pass goes beyond it where the fair share cannot meet the
// deadline, taking from sessions of the same or a lower priority only. A deadline that cannot be met at all
// gives its reservations back: the session is marked missed (unless it leaves after the horizon) and shares
// fairly with the others.
import { floorTenth, type Model, type StepLimits } from './allocation-model.ts';

export interface DeadlinePlanOptions {
  model: Model;
  /** per step, per constraint: capacity left; reservations are subtracted from it */
  capacity: Float64Array[];
  /** sessions (indexes into model.sessions) with energy needed and a departure after now */
  candidates: number[];
  /** every controlled session's limit at each step in the fair share of all of them */
  fair: StepLimits;
  /** the session's highest usable limit at a step */
  maxA: (session: number, step: number) => number;
  /** the other controlled sessions that want energy: a deadline never takes the fair share of a higher priority */
  others: number[];
}

export interface DeadlinePlan {
  /** the limit per step of each session whose deadline is met */
  planned: Map<number, Float64Array>;
  missed: Set<number>;
}

const EPS = 1e-6;
const ceilTenth = (a: number): number => Math.ceil(a * 10 - 1e-9) / 10;

/** Reserves energy for each candidate, earliest departure first (then higher priority, then sessionId). */
export function planDeadlines(opts: DeadlinePlanOptions): DeadlinePlan {
  const { model } = opts;
  const demand = (s: number) => model.sessions[s]!.demand;
  const order = [...opts.candidates].sort(
    (a, b) =>
      demand(a).departureAt! - demand(b).departureAt! ||
      demand(b).priority - demand(a).priority ||
      compareIds(demand(a).sessionId, demand(b).sessionId),
  );
  const plan: DeadlinePlan = { planned: new Map(), missed: new Set() };
  // each session's steps from the cheapest under its own price curve (its site's), earlier first among equal prices
  const byPrice = model.curves.map((prices) => model.steps.map((_, k) => k).sort((a, b) => prices[a]! - prices[b]! || a - b));
  const horizonEnd = model.steps[model.steps.length - 1]!.endsAt;
  const protectedCache = new Map<number, Array<Float64Array | undefined>>();
  const stepCount = model.steps.length;
  const all = new Float64Array(order.length * stepCount);
  order.forEach((s, j) => {
    const departureAt = demand(s).departureAt!;
    const window = byPrice[model.sessions[s]!.curve]!.filter((k) => model.steps[k]!.startsAt < departureAt);
    const limits = all.subarray(j * stepCount, (j + 1) * stepCount);
    let need = demand(s).energyNeededWh!;
    const rows = opts.fair.rows;
    const column = opts.fair.column.get(s)!;
    // maxA differs at step 0 only (under-use)
    const [maxNow, maxLater] = [opts.maxA(s, 0), stepCount > 1 ? opts.maxA(s, 1) : 0];
    need = reserve(opts, { session: s, window, limits, need, maxA: [maxNow, maxLater], fair: { rows, column } });
    if (need > EPS) {
      const protectedA = protectedAbove(opts, demand(s).priority, protectedCache);
      need = reserve(opts, { session: s, window, limits, need, maxA: [maxNow, maxLater], protectedA });
    }
    if (need > EPS) {
      release(opts, s, limits);
      // beyond the horizon the deadline may still be met: the session shares fairly, not marked missed
      if (departureAt <= horizonEnd) plan.missed.add(s);
    } else plan.planned.set(s, limits);
  });
  return plan;
}

interface Reservation {
  session: number;
  window: number[];
  limits: Float64Array;
  need: number;
  /** the session's highest usable limit now and at the later steps */
  maxA: [number, number];
  /** the first pass: the limit is bound by the session's fair share too (rows[k][column]) */
  fair?: { rows: Float64Array[]; column: number };
  /** per step, per constraint: capacity the reservation must leave free */
  protectedA?: Array<Float64Array | undefined>;
}

/** Per step and constraint, the fair shares of the other sessions of a higher priority than `priority`; a step
 * where they hold nothing has no row. */
function protectedAbove(opts: DeadlinePlanOptions, priority: number, cache: Map<number, Array<Float64Array | undefined>>): Array<Float64Array | undefined> {
  const cached = cache.get(priority);
  if (cached) return cached;
  const rows: Array<Float64Array | undefined> = opts.model.steps.map(() => undefined);
  for (const j of opts.others) {
    const other = opts.model.sessions[j]!;
    if (other.demand.priority <= priority) continue;
    const column = opts.fair.column.get(j)!;
    for (let k = 0; k < rows.length; k++) {
      const share = opts.fair.rows[k]![column]!;
      if (share > 0) {
        const row = (rows[k] ??= new Float64Array(opts.model.nodes.length * 3));
        for (const c of other.constraints) row[c]! += share;
      }
    }
  }
  cache.set(priority, rows);
  return rows;
}

/** Raises the session's limit in the window's steps, in order, until `need` Wh is met; returns what is left. */
function reserve(opts: DeadlinePlanOptions, r: Reservation): number {
  const s = opts.model.sessions[r.session]!;
  const departureAt = s.demand.departureAt!;
  let need = r.need;
  for (const k of r.window) {
    if (need <= EPS) break;
    const step = opts.model.steps[k]!;
    const capacity = opts.capacity[k]!;
    const current = r.limits[k]!;
    const max = r.maxA[k === 0 ? 0 : 1];
    const bound = r.fair ? Math.min(max, r.fair.rows[k]![r.fair.column]!) : max;
    // floorTenth is monotonic: the ceiling below cannot pass floorTenth(bound), so such a step is skipped as it would be
    const highest = floorTenth(bound);
    if (highest < s.demand.minCurrentA || highest <= current) continue;
    let room = Infinity;
    const held = r.protectedA?.[k];
    if (held) for (const c of s.constraints) room = Math.min(room, capacity[c]! - held[c]!);
    else for (const c of s.constraints) room = Math.min(room, capacity[c]!);
    const ceiling = floorTenth(Math.min(bound, current + room));
    const whPerA = s.phases * s.demand.voltage * ((Math.min(step.endsAt, departureAt) - step.startsAt) / 3_600_000);
    if (ceiling < s.demand.minCurrentA || ceiling <= current || whPerA <= 0) continue;
    const target = Math.min(ceiling, Math.max(s.demand.minCurrentA, ceilTenth(current + need / whPerA)));
    for (const c of s.constraints) capacity[c]! -= target - current;
    r.limits[k] = target;
    need -= (target - current) * whPerA;
  }
  return need;
}

function release(opts: DeadlinePlanOptions, session: number, limits: Float64Array): void {
  const constraints = opts.model.sessions[session]!.constraints;
  for (let k = 0; k < limits.length; k++) {
    const a = limits[k]!;
    // adding 0 changes nothing: most steps of a window hold no reservation
    if (a !== 0) for (const c of constraints) opts.capacity[k]![c]! += a;
  }
}

/** Code-point order, the same on every machine (localeCompare is not). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
