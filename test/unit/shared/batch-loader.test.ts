// BatchLoader: the per-turn lookups behind the live events (issue 8).
import { expect } from 'chai';
import { BatchLoader } from '../../../src/shared/batch-loader.ts';

/** A fetch that records its key sets and answers `value(key)` for the keys `has(key)`. */
function recordingFetch(o: { has?: (key: number) => boolean; value?: (key: number) => string; failIf?: (keys: number[]) => boolean } = {}) {
  const calls: number[][] = [];
  const fetch = async (keys: number[]) => {
    calls.push(keys);
    if (o.failIf?.(keys)) throw new Error(`boom ${keys.join(',')}`);
    return new Map(keys.filter((k) => o.has?.(k) ?? true).map((k) => [k, (o.value ?? ((x: number) => `v${x}`))(k)]));
  };
  return { calls, fetch };
}

describe('unit shared: BatchLoader', () => {
  it('should fetch the keys asked for in one turn with one call and answer each caller', async () => {
    const f = recordingFetch();
    const loader = new BatchLoader(f.fetch);

    const values = await Promise.all([1, 2, 3].map((k) => loader.load(k)));

    expect(values).to.deep.equal(['v1', 'v2', 'v3']);
    expect(f.calls).to.deep.equal([[1, 2, 3]]);
  });

  it('should fetch a key asked for twice in one set once and answer both callers', async () => {
    const f = recordingFetch();
    const loader = new BatchLoader(f.fetch);

    const values = await Promise.all([7, 8, 7].map((k) => loader.load(k)));

    expect(values).to.deep.equal(['v7', 'v8', 'v7']);
    expect(f.calls).to.deep.equal([[7, 8]]);
  });

  it('should answer undefined for a key the fetch leaves out', async () => {
    const f = recordingFetch({ has: (k) => k !== 2 });
    const loader = new BatchLoader(f.fetch);

    const values = await Promise.all([1, 2, 3].map((k) => loader.load(k)));

    expect(values).to.deep.equal(['v1', undefined, 'v3']);
  });

  it('should resolve the loads of a set in the order they were asked for, duplicates included', async () => {
    // Arrange: the event recorder queues events in the order their lookups resolve
    const f = recordingFetch();
    const loader = new BatchLoader(f.fetch);
    const resolved: string[] = [];

    // Act
    await Promise.all(['a', 'b', 'a', 'c', 'b'].map((k, i) => loader.load(k.charCodeAt(0)).then(() => resolved.push(`${k}${i}`))));

    // Assert
    expect(resolved).to.deep.equal(['a0', 'b1', 'a2', 'c3', 'b4']);
  });

  it('should reject the loads of a failed set only, and still run the sets after it', async () => {
    // Arrange: two keys per set, the set holding key 1 fails
    const f = recordingFetch({ failIf: (keys) => keys.includes(1) });
    const loader = new BatchLoader(f.fetch, { maxKeys: 2 });

    // Act
    const first = await Promise.allSettled([1, 2, 3].map((k) => loader.load(k)));
    const later = await loader.load(4);

    // Assert
    expect(first.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).to.deep.equal(['boom 1,2', 'boom 1,2', 'v3']);
    expect(later).to.equal('v4');
    expect(f.calls).to.deep.equal([[1, 2], [3], [4]]);
  });

  it('should put the distinct keys past maxKeys into the next fetch, with every caller of a key in one set', async () => {
    const f = recordingFetch();
    const loader = new BatchLoader(f.fetch, { maxKeys: 2 });

    const values = await Promise.all([1, 2, 3, 1, 4, 2, 5].map((k) => loader.load(k)));

    expect(values).to.deep.equal(['v1', 'v2', 'v3', 'v1', 'v4', 'v2', 'v5']);
    expect(f.calls).to.deep.equal([[1, 2], [3, 4], [5]]);
  });

  it('should fetch a key again in a later set (no caching: values stay fresh)', async () => {
    let version = 0;
    const f = recordingFetch({ value: (k) => `v${k}.${version}` });
    const loader = new BatchLoader(f.fetch);

    const before = await loader.load(1);
    version = 1;
    const after = await loader.load(1);

    expect([before, after]).to.deep.equal(['v1.0', 'v1.1']);
    expect(f.calls).to.deep.equal([[1], [1]]);
  });

  it('should reject a maxKeys that is not a positive integer', () => {
    expect(() => new BatchLoader(recordingFetch().fetch, { maxKeys: 0 })).to.throw(RangeError, 'maxKeys');
  });
});
