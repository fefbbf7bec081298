// Pure: a latency histogram with logarithmic buckets. Benchmarks record millions of calls, so samples are
// counted into buckets 1 % wide instead of being kept: a percentile is off by at most 0.5 %.

const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
// Buckets over microseconds: 1 µs .. ~1.2e9 µs (20 minutes), far beyond any call timeout.
const BUCKETS = 2100;

export interface LatencySummary {
  count: number;
  /** milliseconds; 0 when nothing was recorded */
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private n = 0;
  private sum = 0;
  private min = Infinity;
  private maxMs = 0;

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    const us = Math.max(1, Math.round(ms * 1000));
    this.counts[Math.min(BUCKETS - 1, Math.floor(Math.log(us) / LOG_GROWTH))]++;
    this.n++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  get count(): number {
    return this.n;
  }

  /** The q-quantile (0 < q ≤ 1) in milliseconds: the middle of its bucket, within the observed range. */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(this.maxMs, Math.max(this.min, GROWTH ** (i + 0.5) / 1000));
    }
    return this.maxMs;
  }

  /** Adds another histogram's samples to this one. */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i];
    this.n += other.n;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.maxMs = Math.max(this.maxMs, other.maxMs);
  }

  summary(): LatencySummary {
    return { count: this.n, p50: this.quantile(0.5), p99: this.quantile(0.99), mean: this.n ? this.sum / this.n : 0, max: this.maxMs };
  }
}
