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

/** Per-call scratch space shared by the priority classes (each class leaves it as it found it). */
interface Fill {
  capacity: Float64Array;
  entries: readonly FillEntry[];
  values: Float64Array;
  state: Uint8Array;
  /** rising sessions per constraint */
  rising: Int32Array;
}

/**
 * Allocates `entries` against `capacity` (indexed by constraint), which it reduces by what it allocates.
 * Returns the limit of each entry, 0 or within [minA, maxA]; no constraint with capacity ≥ 0 goes below 0.
 * `order` must be `orderEntries(entries)` (pass it to reuse it over steps).
 */
export function fillStep(capacity: Float64Array, entries: readonly FillEntry[], order = orderEntries(entries)): Float64Array {
  const fill: Fill = { capacity, entries, values: new Float64Array(entries.length), state: new Uint8Array(entries.length), rising: new Int32Array(capacity.length) };
  const { byPriority } = order;
  for (let from = 0; from < byPriority.length; ) {
    let to = from;
    while (to < byPriority.length && entries[byPriority[to]!]!.priority === entries[byPriority[from]!]!.priority) to++;
    const admitted = admit(capacity, entries, { list: byPriority, from, to }, fill.values);
    if (admitted.length > 0) {
      const byMax = from === 0 && to === byPriority.length ? order.byMax : byMaxOfClass(order, entries, entries[byPriority[from]!]!.priority);
      // the class's entries not admitted take no part: frozen, they are passed over as if not listed
      if (admitted.length < to - from) {
        for (let m = from; m < to; m++) fill.state[byPriority[m]!] = FROZEN;
        for (const i of admitted) fill.state[i] = WAITING;
      }
      raise(fill, admitted, byMax);
    }
    from = to;
  }
  return fill.values;
}

/** Admits the class's sessions at their minimum in rank order while it fits on all their constraints. */
function admit(capacity: Float64Array, entries: readonly FillEntry[], members: { list: number[]; from: number; to: number }, values: Float64Array): number[] {
  const admitted: number[] = [];
  for (let m = members.from; m < members.to; m++) {
    const i = members.list[m]!;
    const e = entries[i]!;
    if (e.maxA <= 0 || e.maxA < e.minA) continue;
    const cs = e.constraints;
    let fits = true;
    for (let j = 0; j < cs.length && fits; j++) fits = capacity[cs[j]!]! >= e.minA - EPS;
    if (!fits) continue;
    for (const c of e.constraints) capacity[c]! -= e.minA;
    values[i] = e.minA;
    admitted.push(i);
  }
  return admitted;
}

const WAITING = 0;
const RISING = 1;
const FROZEN = 2;

/** The admitted sessions of each constraint, as one flat array: members of c at [start[c], start[c + 1]). */
function membersOf(entries: readonly FillEntry[], admitted: number[], size: number): { start: Int32Array; list: Int32Array } {
  const start = new Int32Array(size + 1);
  for (const i of admitted) for (const c of entries[i]!.constraints) start[c + 1]!++;
  for (let c = 0; c < size; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, size);
  const list = new Int32Array(start[size]!);
  for (const i of admitted) for (const c of entries[i]!.constraints) list[fill[c]!++] = i;
  return { start, list };
}

/** Consecutive steps mostly admit the same sessions: their constraint lists are reused (read-only). */
const lastMembers = new WeakMap<readonly FillEntry[], { admitted: number[]; size: number; members: { start: Int32Array; list: Int32Array } }>();

function cachedMembersOf(entries: readonly FillEntry[], admitted: number[], size: number): { start: Int32Array; list: Int32Array } {
  const last = lastMembers.get(entries);
  if (last && last.size === size && last.admitted.length === admitted.length && last.admitted.every((i, j) => admitted[j] === i)) return last.members;
  const members = membersOf(entries, admitted, size);
  lastMembers.set(entries, { admitted, size, members });
  return members;
}

/** The state of one class's water-filling. */
interface Rise {
  fill: Fill;
  byMin: number[];
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
function raise(fill: Fill, admitted: number[], byMax: number[]): void {
  const { capacity, entries, rising } = fill;
  const members = cachedMembersOf(entries, admitted, capacity.length);
  const active: number[] = [];
  for (let c = 0; c < capacity.length; c++) if (members.start[c + 1]! > members.start[c]!) active.push(c);
  const byMin = groupBy(admitted, (i) => entries[i]!.minA, false);
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

/** Sessions whose minimum the level has reached start rising, unless they cannot (at their maximum, or full). */
function activate(r: Rise): void {
  const { capacity, entries, state, rising } = r.fill;
  while (r.nextMin < r.byMin.length && entries[r.byMin[r.nextMin]!]!.minA <= r.level + EPS) {
    const i = r.byMin[r.nextMin++]!;
    const e = entries[i]!;
    if (state[i] !== WAITING) continue;
    if (e.maxA <= e.minA + EPS || e.constraints.some((c) => capacity[c]! <= EPS)) {
      state[i] = FROZEN;
      continue;
    }
    state[i] = RISING;
    r.risingCount++;
    for (const c of e.constraints) rising[c]!++;
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
  const { entries, values, state, rising } = r.fill;
  if (state[i] === RISING) {
    for (const c of entries[i]!.constraints) rising[c]!--;
    r.risingCount--;
    values[i] = Math.min(entries[i]!.maxA, r.level);
  }
  state[i] = FROZEN;
}
