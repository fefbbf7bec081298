// Pure: one step of the load allocator (issue 10): shares the capacity left on every (node, grid phase)
// constraint among sessions by priority. Higher priority classes are served first; inside a class sessions are
// admitted at their minimum in rank order (the rest are paused: never a limit between 0 and the minimum), then
// all admitted sessions rise together (max-min fair water-filling), each stopping at its maximum or when one of
// its constraints is full, so that capacity one session cannot use goes to the others.

export interface FillEntry {
  /** the (node, grid phase) constraints the session loads */
  constraints: number[];
  minA: number;
  maxA: number;
  priority: number;
  /** admission order inside a priority class when not every session fits at its minimum: lower first */
  rank: number;
}

const EPS = 1e-9;

/** Entry indexes by priority (descending) then rank, and by maximum: computed once for many steps. */
export interface EntryOrder {
  byPriority: number[];
  byMax: number[];
  /** byMax of each priority class, computed once per order (the priorities do not change under one order) */
  byMaxOfClass?: Map<number, number[]>;
}

/** The entries of one priority class by maximum (byMax filtered), cached on the order. */
function byMaxOfClass(order: EntryOrder, entries: readonly FillEntry[], priority: number): number[] {
  order.byMaxOfClass ??= new Map();
  let list = order.byMaxOfClass.get(priority);
  if (!list) {
    list = [];
    for (const i of order.byMax) if (entries[i]!.priority === priority) list.push(i);
    order.byMaxOfClass.set(priority, list);
  }
  return list;
}

export function orderEntries(entries: readonly FillEntry[]): EntryOrder {
  const byRank = entries.every((e, i) => i === 0 || entries[i - 1]!.rank <= e.rank)
    ? entries.map((_, i) => i)
    : entries.map((_, i) => i).sort((a, b) => entries[a]!.rank - entries[b]!.rank);
  return {
    byPriority: groupBy(byRank, (i) => entries[i]!.priority, true),
    byMax: groupBy(byRank, (i) => entries[i]!.maxA, false),
  };
}

/** `indexes` grouped by key, ascending or descending, in their given order inside a group: O(n + groups·log groups). */
function groupBy(indexes: readonly number[], key: (i: number) => number, isDescending: boolean): number[] {
  if (indexes.length === 0) return [];
  const first = key(indexes[0]!);
  let isOneGroup = true;
  for (let j = 1; j < indexes.length && isOneGroup; j++) isOneGroup = key(indexes[j]!) === first;
  if (isOneGroup) return indexes.slice(); // the usual case: one priority, one minimum
  const groups = new Map<number, number[]>();
  for (const i of indexes) {
    const k = key(i);
    const group = groups.get(k);
    if (group) group.push(i);
    else groups.set(k, [i]);
  }
  const keys = [...groups.keys()].sort((a, b) => (isDescending ? b - a : a - b));
  const out: number[] = [];
  for (const k of keys) for (const i of groups.get(k)!) out.push(i);
  return out;
}

/**
 * Buffers for many fills of the same entries (a horizon's steps): their constraint lists as one flat array
 * (constraints of entry i at [start[i], start[i + 1])), and the per-call arrays, reused.
 */
export interface FillScratch {
  start: Int32Array;
  list: Int32Array;
  values: Float64Array;
  state: Uint8Array;
  rising: Int32Array;
  admitted: Int32Array;
  /** per priority class, the sessions it last admitted and their lists per constraint (steps mostly admit the same) */
  members: Map<number, { admitted: Int32Array; members: Members }>;
}

/** The admitted sessions of each constraint, as one flat array: members of c at [start[c], start[c + 1]). */
interface Members {
  start: Int32Array;
  list: Int32Array;
}

/** Scratch for filling `entries` (whose constraint lists must not change) against `size` constraints. */
export function createFillScratch(entries: readonly FillEntry[], size: number): FillScratch {
  const start = new Int32Array(entries.length + 1);
  for (let i = 0; i < entries.length; i++) start[i + 1] = start[i]! + entries[i]!.constraints.length;
  const list = new Int32Array(start[entries.length]!);
  // reversed, root first: the constraint that fills up first when not all fit (no use depends on the order)
  for (let i = 0; i < entries.length; i++) {
    const cs = entries[i]!.constraints;
    for (let j = 0; j < cs.length; j++) list[start[i + 1]! - 1 - j] = cs[j]!;
  }
  const n = entries.length;
  return { start, list, values: new Float64Array(n), state: new Uint8Array(n), rising: new Int32Array(size), admitted: new Int32Array(n), members: new Map() };
}

/** Per-call state shared by the priority classes (each class leaves `rising` as it found it). */
interface Fill {
  capacity: Float64Array;
  entries: readonly FillEntry[];
  values: Float64Array;
  state: Uint8Array;
  /** rising sessions per constraint */
  rising: Int32Array;
  /** constraints of entry i: list[start[i] .. start[i + 1]) */
  start: Int32Array;
  list: Int32Array;
  members: FillScratch['members'];
}

/**
 * Allocates `entries` against `capacity` (indexed by constraint), which it reduces by what it allocates.
 * Returns the limit of each entry, 0 or within [minA, maxA]; no constraint with capacity ≥ 0 goes below 0.
 * `order` must be `orderEntries(entries)` (pass it to reuse it over steps). With `scratch` the values returned
 * are its buffer, valid until the next call.
 */
export function fillStep(capacity: Float64Array, entries: readonly FillEntry[], order = orderEntries(entries), scratch = createFillScratch(entries, capacity.length)): Float64Array {
  scratch.values.fill(0);
  scratch.state.fill(WAITING);
  scratch.rising.fill(0);
  const fill: Fill = { capacity, entries, values: scratch.values, state: scratch.state, rising: scratch.rising, start: scratch.start, list: scratch.list, members: scratch.members };
  const { byPriority } = order;
  for (let from = 0; from < byPriority.length; ) {
    let to = from;
    while (to < byPriority.length && entries[byPriority[to]!]!.priority === entries[byPriority[from]!]!.priority) to++;
    const count = admit(fill, { list: byPriority, from, to }, scratch.admitted);
    if (count > 0) {
      const admitted = scratch.admitted.subarray(0, count);
      const priority = entries[byPriority[from]!]!.priority;
      const byMax = from === 0 && to === byPriority.length ? order.byMax : byMaxOfClass(order, entries, priority);
      // the class's entries not admitted take no part: frozen, they are passed over as if not listed
      if (count < to - from) {
        for (let m = from; m < to; m++) fill.state[byPriority[m]!] = FROZEN;
        for (const i of admitted) fill.state[i] = WAITING;
      }
      raise(fill, { admitted, priority }, byMax);
    }
    from = to;
  }
  return fill.values;
}

/** Admits the class's sessions at their minimum in rank order while it fits on all their constraints: into
 * `admitted`, returning how many. */
function admit(fill: Fill, members: { list: number[]; from: number; to: number }, admitted: Int32Array): number {
  const { capacity, entries, values, start, list } = fill;
  let count = 0;
  for (let m = members.from; m < members.to; m++) {
    const i = members.list[m]!;
    const e = entries[i]!;
    const minA = e.minA;
    if (e.maxA <= 0 || e.maxA < minA) continue;
    const from = start[i]!;
    const to = start[i + 1]!;
    let j = from;
    while (j < to && capacity[list[j]!]! >= minA - EPS) j++;
    if (j < to) continue;
    for (j = from; j < to; j++) capacity[list[j]!]! -= minA;
    values[i] = minA;
    admitted[count++] = i;
  }
  return count;
}

const WAITING = 0;
const RISING = 1;
const FROZEN = 2;

/** The admitted sessions' lists per constraint. */
function membersOf(of: { start: Int32Array; list: Int32Array }, admitted: Int32Array, size: number): Members {
  const start = new Int32Array(size + 1);
  for (const i of admitted) for (let j = of.start[i]!; j < of.start[i + 1]!; j++) start[of.list[j]! + 1]!++;
  for (let c = 0; c < size; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, size);
  const list = new Int32Array(start[size]!);
  for (const i of admitted) for (let j = of.start[i]!; j < of.start[i + 1]!; j++) list[fill[of.list[j]!]!++] = i;
  return { start, list };
}

/** The members of the class's admitted sessions, reused (read-only) when the class admitted the same last time. */
function cachedMembersOf(fill: Fill, admitted: Int32Array, priority: number): Members {
  const last = fill.members.get(priority);
  if (last && isSameList(last.admitted, admitted)) return last.members;
  const members = membersOf(fill, admitted, fill.capacity.length);
  fill.members.set(priority, { admitted: admitted.slice(), members });
  return members;
}

function isSameList(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

/** The state of one class's water-filling. */
interface Rise {
  fill: Fill;
  byMin: ArrayLike<number>;
  byMax: number[];
  members: { start: Int32Array; list: Int32Array };
  /** constraints with rising sessions (may hold some that have none left) */
  active: number[];
  level: number;
  nextMin: number;
  nextMax: number;
  risingCount: number;
}

/** Water-filling above the minimum: value = clamp(level, minA, maxA), the level rising until all are frozen. */
function raise(fill: Fill, cls: { admitted: Int32Array; priority: number }, byMax: number[]): void {
  const { capacity, entries, rising } = fill;
  const { admitted } = cls;
  const members = cachedMembersOf(fill, admitted, cls.priority);
  const active: number[] = [];
  for (let c = 0; c < capacity.length; c++) if (members.start[c + 1]! > members.start[c]!) active.push(c);
  const byMin = isOneMinimum(entries, admitted) ? admitted : groupBy(Array.from(admitted), (i) => entries[i]!.minA, false);
  const r: Rise = { fill, byMin, byMax, members, active, level: entries[byMin[0]!]!.minA, nextMin: 0, nextMax: 0, risingCount: 0 };
  for (;;) {
    activate(r);
    if (r.risingCount === 0) {
      if (r.nextMin >= byMin.length) return;
      r.level = entries[byMin[r.nextMin]!]!.minA;
      continue;
    }
    const next = nextLevel(r);
    for (const c of r.active) capacity[c]! -= rising[c]! * (next - r.level);
    r.level = next;
    for (let k = r.nextMax; k < byMax.length && entries[byMax[k]!]!.maxA <= r.level + EPS; k++) freeze(r, byMax[k]!);
    for (const c of r.active) {
      if (rising[c]! > 0 && capacity[c]! <= EPS) for (let m = members.start[c]!; m < members.start[c + 1]!; m++) freeze(r, members.list[m]!);
    }
  }
}

/** The usual case: all admitted sessions have the same minimum (already in order). */
function isOneMinimum(entries: readonly FillEntry[], admitted: Int32Array): boolean {
  const minA = entries[admitted[0]!]!.minA;
  for (let j = 1; j < admitted.length; j++) if (entries[admitted[j]!]!.minA !== minA) return false;
  return true;
}

/** Sessions whose minimum the level has reached start rising, unless they cannot (at their maximum, or full). */
function activate(r: Rise): void {
  const { capacity, entries, state, rising, start, list } = r.fill;
  while (r.nextMin < r.byMin.length && entries[r.byMin[r.nextMin]!]!.minA <= r.level + EPS) {
    const i = r.byMin[r.nextMin++]!;
    const e = entries[i]!;
    if (state[i] !== WAITING) continue;
    const from = start[i]!;
    const to = start[i + 1]!;
    let j = from;
    if (e.maxA > e.minA + EPS) while (j < to && capacity[list[j]!]! > EPS) j++;
    if (j < to || e.maxA <= e.minA + EPS) {
      state[i] = FROZEN;
      continue;
    }
    state[i] = RISING;
    r.risingCount++;
    for (j = from; j < to; j++) rising[list[j]!]!++;
  }
}

/** The next level at which something happens: a maximum or a minimum is reached, or a constraint is full. */
function nextLevel(r: Rise): number {
  const { capacity, entries, state, rising } = r.fill;
  while (state[r.byMax[r.nextMax]!] === FROZEN) r.nextMax++;
  let next = entries[r.byMax[r.nextMax]!]!.maxA;
  const isWaiting = r.nextMin < r.byMin.length;
  if (isWaiting) next = Math.min(next, entries[r.byMin[r.nextMin]!]!.minA);
  // compacts `active` in place (same order as a filter), without allocating per level
  const active = r.active;
  let n = 0;
  for (let j = 0; j < active.length; j++) {
    const c = active[j]!;
    const count = rising[c]!;
    if (count > 0) {
      next = Math.min(next, r.level + capacity[c]! / count);
      active[n++] = c;
    } else if (isWaiting) active[n++] = c;
  }
  active.length = n;
  return next;
}

function freeze(r: Rise, i: number): void {
  const { entries, values, state, rising, start, list } = r.fill;
  if (state[i] === RISING) {
    for (let j = start[i]!; j < start[i + 1]!; j++) rising[list[j]!]!--;
    r.risingCount--;
    values[i] = Math.min(entries[i]!.maxA, r.level);
  }
  state[i] = FROZEN;
}
