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

/**
 * Allocates `entries` against `capacity` (indexed by constraint), which it reduces by what it allocates.
 * Returns the limit of each entry, 0 or within [minA, maxA]; no constraint with capacity ≥ 0 goes below 0.
 */
export function fillStep(capacity: Float64Array, entries: readonly FillEntry[]): Float64Array {
  const values = new Float64Array(entries.length);
  const order = entries.map((_, i) => i).sort((a, b) => entries[b]!.priority - entries[a]!.priority || entries[a]!.rank - entries[b]!.rank);
  for (let from = 0; from < order.length; ) {
    let to = from;
    while (to < order.length && entries[order[to]!]!.priority === entries[order[from]!]!.priority) to++;
    const admitted = admit(capacity, entries, order.slice(from, to), values);
    raise(capacity, entries, admitted, values);
    from = to;
  }
  return values;
}

/** Admits the class's sessions at their minimum in rank order while it fits on all their constraints. */
function admit(capacity: Float64Array, entries: readonly FillEntry[], members: number[], values: Float64Array): number[] {
  const admitted: number[] = [];
  for (const i of members) {
    const e = entries[i]!;
    if (e.maxA <= 0 || e.maxA < e.minA) continue;
    if (!e.constraints.every((c) => capacity[c]! >= e.minA - EPS)) continue;
    for (const c of e.constraints) capacity[c]! -= e.minA;
    values[i] = e.minA;
    admitted.push(i);
  }
  return admitted;
}

const WAITING = 0;
const RISING = 1;
const FROZEN = 2;

/** Water-filling above the minimum: value = clamp(level, minA, maxA), the level rising until all are frozen. */
function raise(capacity: Float64Array, entries: readonly FillEntry[], admitted: number[], values: Float64Array): void {
  if (admitted.length === 0) return;
  const state = new Uint8Array(entries.length);
  const rising = new Int32Array(capacity.length); // rising sessions per constraint
  const members: number[][] = Array.from({ length: capacity.length }, () => []);
  for (const i of admitted) for (const c of entries[i]!.constraints) members[c]!.push(i);
  const byMin = [...admitted].sort((a, b) => entries[a]!.minA - entries[b]!.minA);
  const byMax = [...admitted].sort((a, b) => entries[a]!.maxA - entries[b]!.maxA);
  let nextMin = 0;
  let nextMax = 0;
  let risingCount = 0;
  let level = entries[byMin[0]!]!.minA;
  const freeze = (i: number): void => {
    if (state[i] === RISING) {
      for (const c of entries[i]!.constraints) rising[c]!--;
      risingCount--;
      values[i] = Math.min(entries[i]!.maxA, level);
    }
    state[i] = FROZEN;
  };
  for (;;) {
    while (nextMin < byMin.length && entries[byMin[nextMin]!]!.minA <= level + EPS) {
      const i = byMin[nextMin++]!;
      const e = entries[i]!;
      if (state[i] !== WAITING) continue;
      if (e.maxA <= e.minA + EPS || e.constraints.some((c) => capacity[c]! <= EPS)) {
        state[i] = FROZEN;
        continue;
      }
      state[i] = RISING;
      risingCount++;
      for (const c of e.constraints) rising[c]!++;
    }
    if (risingCount === 0) {
      if (nextMin >= byMin.length) return;
      level = entries[byMin[nextMin]!]!.minA;
      continue;
    }
    while (state[byMax[nextMax]!] === FROZEN) nextMax++;
    let next = entries[byMax[nextMax]!]!.maxA;
    if (nextMin < byMin.length) next = Math.min(next, entries[byMin[nextMin]!]!.minA);
    for (let c = 0; c < rising.length; c++) if (rising[c]! > 0) next = Math.min(next, level + capacity[c]! / rising[c]!);
    for (let c = 0; c < rising.length; c++) if (rising[c]! > 0) capacity[c]! -= rising[c]! * (next - level);
    level = next;
    for (let k = nextMax; k < byMax.length && entries[byMax[k]!]!.maxA <= level + EPS; k++) freeze(byMax[k]!);
    for (let c = 0; c < rising.length; c++) {
      if (rising[c]! > 0 && capacity[c]! <= EPS) for (const i of members[c]!) freeze(i);
    }
  }
}
