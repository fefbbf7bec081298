// Pure: the load allocator's view of one input (issue 10): the time steps with their price, every node's
// effective limit per grid phase and step, the load cpms does not control, and the constraints (node × grid
// phase) each session loads. A constraint is `nodeIndex * 3 + phaseIndex` (L1 = 0, L2 = 1, L3 = 2).
import type {
  AllocationInput,
  CapacityNode,
  GridPhase,
  LimitPeriod,
  PricePoint,
  SessionDemand,
} from './allocation.types.ts';

export const GRID_PHASES: readonly GridPhase[] = ['L1', 'L2', 'L3'];

/** Limits go out in tenths of an ampere, rounded down so that rounding never adds load. */
export const floorTenth = (a: number): number => Math.floor(a * 10 + 1e-9) / 10;
const PHASE_INDEX: Record<GridPhase, number> = { L1: 0, L2: 1, L3: 2 };

export interface Step {
  startsAt: number;
  endsAt: number;
  hours: number;
  /** time-weighted mean price over the step */
  price: number;
}

export interface SessionModel {
  demand: SessionDemand;
  /** phases the limit is counted on */
  phases: 1 | 2 | 3;
  /** the (node, grid phase) constraints it loads: every ancestor of its node, on each of its grid phases */
  constraints: number[];
  /** scheduled by the allocator: not uncontrolled, on a known node */
  isControlled: boolean;
  /** index into Model.curves of the price curve the session pays */
  curve: number;
}

/**
 * The limits of many sessions at every step, step-major: session `column.get(i)` at step k is `rows[k][column]`.
 * Steps that need no new fill share the row of the step before (rows are never written once made).
 */
export interface StepLimits {
  rows: Float64Array[];
  column: Map<number, number>;
}

export interface Model {
  steps: Step[];
  nodes: CapacityNode[];
  /** per step, per constraint: the effective limit (limit − margin, schedule applied); Infinity on L2/L3 of a
   * single-phase node, which carries L1 only */
  limits: Float64Array[];
  /** per constraint: unmanaged load plus uncontrolled sessions at their maximum, descendants included */
  fixed: Float64Array;
  sessions: SessionModel[];
  /** per price curve, the price of each step: 0 is the input's `prices`, then one per node with its own */
  curves: Float64Array[];
}

function buildSteps(input: AllocationInput): Step[] {
  const stepMs = Math.max(1, input.stepSec) * 1000;
  const endsAt = input.now + Math.max(input.stepSec, input.horizonSec) * 1000;
  const prices = [...input.prices].sort((a, b) => a.startsAt - b.startsAt);
  const steps: Step[] = [];
  for (let t = input.now; t < endsAt; t += stepMs) {
    const end = Math.min(t + stepMs, endsAt);
    steps.push({ startsAt: t, endsAt: end, hours: (end - t) / 3_600_000, price: meanPrice(prices, t, end) });
  }
  return steps;
}

/** The price of each step under a curve. */
function stepPrices(steps: Step[], curve: PricePoint[]): Float64Array {
  const prices = [...curve].sort((a, b) => a.startsAt - b.startsAt);
  return Float64Array.from(steps, (step) => meanPrice(prices, step.startsAt, step.endsAt));
}

/** Per node, the index of its price curve (the nearest node on its path with its own), and the curves. */
function buildCurves(nodes: CapacityNode[], paths: NodePath[], steps: Step[]): { ofNode: number[]; curves: Float64Array[] } {
  const curves: Float64Array[] = [Float64Array.from(steps, (s) => s.price)];
  const own = nodes.map((n) => (n.prices === undefined ? 0 : curves.push(stepPrices(steps, n.prices)) - 1));
  return { ofNode: paths.map(({ path }) => own[path.find((n) => own[n] !== 0) ?? -1] ?? 0), curves };
}

/** Time-weighted mean of a step-wise price curve over [from, to); before its first point the first price holds. */
function meanPrice(prices: PricePoint[], from: number, to: number): number {
  if (prices.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < prices.length; i++) {
    const start = i === 0 ? -Infinity : prices[i]!.startsAt;
    const end = i + 1 < prices.length ? prices[i + 1]!.startsAt : Infinity;
    const overlap = Math.min(end, to) - Math.max(start, from);
    if (overlap > 0) sum += overlap * prices[i]!.pricePerKWh;
  }
  return sum / (to - from);
}

/** The node's limit over [from, to): the smallest limit in force at any moment of it (a schedule may change mid-step). */
export function limitOver(node: CapacityNode, schedule: LimitPeriod[], from: number, to: number): number {
  let limit = Infinity;
  for (let i = 0; i < schedule.length; i++) {
    const end = i + 1 < schedule.length ? schedule[i + 1]!.startsAt : Infinity;
    if (schedule[i]!.startsAt < to && end > from) limit = Math.min(limit, schedule[i]!.maxCurrentA);
  }
  // before the first period the node's own limit holds alone
  if (schedule.length === 0 || schedule[0]!.startsAt > from) limit = Math.min(limit, node.maxCurrentA);
  return Math.max(0, Math.min(node.maxCurrentA, limit) - node.marginA);
}

/** Indexes of a node and its ancestors, the node first; an unknown parent ends the path, a cycle is cut. */
function pathOf(index: number, nodes: CapacityNode[], byId: Map<string, number>): number[] {
  const path: number[] = [];
  for (let i: number | undefined = index; i !== undefined && !path.includes(i); ) {
    path.push(i);
    const parentId: string | null = nodes[i]!.parentId;
    i = parentId === null ? undefined : byId.get(parentId);
  }
  return path;
}

interface NodePath {
  /** the node and its ancestors, the node first */
  path: number[];
  /** a single-phase node is on the path */
  isSinglePhase: boolean;
}

/** Sessions on the same node, rotation and phases share one (read-only) constraint list. */
type ConstraintCache = Map<number, number[]>;

function modelSession(demand: SessionDemand, paths: NodePath[], at: { byId: Map<string, number>; cache: ConstraintCache; curveOf: number[] }): SessionModel {
  const index = at.byId.get(demand.nodeId);
  const { path, isSinglePhase } = index === undefined ? { path: [], isSinglePhase: false } : paths[index]!;
  const wanted = demand.uncontrolled ? demand.chargerPhases : Math.min(demand.vehiclePhases, demand.chargerPhases);
  // a single-phase node carries L1 only: a charger below it is single-phase on L1 whatever its rotation
  const phases = (isSinglePhase ? 1 : wanted) as 1 | 2 | 3;
  const grid: number[] = [];
  for (let p = 0; p < Math.min(phases, demand.phaseRotation.length); p++) grid.push(isSinglePhase ? 0 : PHASE_INDEX[demand.phaseRotation[p]!]);
  const key = ((index ?? -1) * 64 + (grid[0] ?? 3) * 16 + (grid[1] ?? 3) * 4 + (grid[2] ?? 3)) * 4 + phases;
  let constraints = at.cache.get(key);
  if (!constraints) {
    constraints = [];
    for (const n of path) for (const p of grid) constraints.push(n * 3 + p);
    at.cache.set(key, constraints);
  }
  return { demand, phases, constraints, isControlled: !demand.uncontrolled && index !== undefined, curve: index === undefined ? 0 : at.curveOf[index]! };
}

function buildFixed(nodes: CapacityNode[], paths: NodePath[], sessions: SessionModel[]): Float64Array {
  const fixed = new Float64Array(nodes.length * 3);
  nodes.forEach((node, i) => {
    for (const n of paths[i]!.path) {
      for (let p = 0; p < 3; p++) fixed[n * 3 + p]! += node.unmanagedA[GRID_PHASES[p]!] ?? 0;
    }
  });
  for (const s of sessions) {
    if (s.demand.uncontrolled) for (const c of s.constraints) fixed[c]! += s.demand.maxCurrentA;
  }
  return fixed;
}

export function buildModel(input: AllocationInput): Model {
  const nodes = input.nodes;
  const byId = new Map(nodes.map((n, i) => [n.id, i]));
  const steps = buildSteps(input);
  const schedules = nodes.map((n) => [...n.schedule].sort((a, b) => a.startsAt - b.startsAt));
  const limits = steps.map((step) => {
    const row = new Float64Array(nodes.length * 3);
    nodes.forEach((node, i) => {
      const limit = limitOver(node, schedules[i]!, step.startsAt, step.endsAt);
      row[i * 3] = limit;
      row[i * 3 + 1] = node.phases === 1 ? Infinity : limit;
      row[i * 3 + 2] = node.phases === 1 ? Infinity : limit;
    });
    return row;
  });
  const paths = nodes.map((_, i) => {
    const path = pathOf(i, nodes, byId);
    return { path, isSinglePhase: path.some((n) => nodes[n]!.phases === 1) };
  });
  const { ofNode, curves } = buildCurves(nodes, paths, steps);
  const at = { byId, cache: new Map(), curveOf: ofNode };
  const sessions = input.sessions.map((d) => modelSession(d, paths, at));
  return { steps, nodes, limits, fixed: buildFixed(nodes, paths, sessions), sessions, curves };
}
