// Pure: seeded pseudo-random numbers, so that a fleet run with the same seed takes the same decisions
// (which EV arrives when, how long it charges) whatever the server answers.

/** A source of numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: a small, fast 32-bit generator; plenty for simulated behaviour (not for secrets). */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for the `index`-th member of a fleet: independent streams per charger from one fleet seed. */
export function deriveSeed(seed: number, index: number): number {
  // splitmix32-style mixing, so that neighbouring indexes give unrelated streams
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A draw from the exponential distribution with the given mean (waiting times between arrivals). */
export function exponential(rnd: Random, mean: number): number {
  return -Math.log(1 - rnd()) * mean;
}

/** A draw in [min, max). */
export function uniform(rnd: Random, min: number, max: number): number {
  return min + rnd() * (max - min);
}
