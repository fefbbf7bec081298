import { expect } from 'chai';
import { LatencyHistogram } from '../../../src/simulator/latency.ts';
import { seededRandom } from '../../../src/simulator/random.ts';

describe('simulator/latency', () => {
  it('should give p50 and p99 within 1 % of the exact quantiles without keeping the samples', () => {
    // Arrange: 10,000 latencies spread over 0.1 ms .. 1 s
    const rnd = seededRandom(42);
    const samples = Array.from({ length: 10_000 }, () => 0.1 * 10_000 ** rnd());
    const h = new LatencyHistogram();
    for (const s of samples) h.record(s);
    const sorted = [...samples].sort((a, b) => a - b);

    // Act
    const s = h.summary();

    // Assert
    expect(s.count).to.equal(10_000);
    expect(Math.abs(s.p50 / sorted[4999] - 1)).to.be.lessThan(0.01);
    expect(Math.abs(s.p99 / sorted[9899] - 1)).to.be.lessThan(0.01);
    expect(s.max).to.equal(sorted.at(-1));
  });

  it('should merge histograms and report zeros when empty', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.record(2);
    b.record(4);
    b.record(4);
    a.merge(b);
    expect([a.count, a.summary().max, Math.round(a.summary().mean * 1000) / 1000]).to.deep.equal([3, 4, 3.333]);
    expect(new LatencyHistogram().summary()).to.deep.equal({ count: 0, p50: 0, p99: 0, mean: 0, max: 0 });
  });
});
