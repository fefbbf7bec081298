// Issue 10 "Allocation": one step of the load allocator (src/loadmgmt/water-fill.ts), on bare constraints.
import { expect } from 'chai';
import { fillStep, type FillEntry } from '../../../src/loadmgmt/water-fill.ts';

const anEntry = (override: Partial<FillEntry> = {}): FillEntry => ({ constraints: [0], minA: 6, maxA: 32, priority: 0, rank: 0, ...override });

describe('load allocator: one step of water-filling', () => {
  const cases: { name: string; capacity: number[]; entries: FillEntry[]; expected: number[] }[] = [
    { name: 'should share one constraint equally', capacity: [30], entries: [anEntry({ rank: 0 }), anEntry({ rank: 1 })], expected: [15, 15] },
    {
      name: 'should raise a session only once the level reaches its minimum',
      capacity: [20],
      entries: [anEntry({ rank: 0 }), anEntry({ rank: 1, minA: 10 })],
      expected: [10, 10],
    },
    {
      name: 'should keep a session at its higher minimum while the level is below it',
      capacity: [17],
      entries: [anEntry({ rank: 0 }), anEntry({ rank: 1, minA: 10 })],
      expected: [7, 10],
    },
    { name: 'should admit in rank order when not all minimums fit', capacity: [11], entries: [anEntry({ rank: 1 }), anEntry({ rank: 0 })], expected: [0, 11] },
    { name: 'should admit no one on a negative capacity', capacity: [-3], entries: [anEntry(), anEntry({ minA: 0 })], expected: [0, 0] },
    { name: 'should never give a session whose maximum is below its minimum anything', capacity: [30], entries: [anEntry({ maxA: 5 }), anEntry({ rank: 1 })], expected: [0, 30] },
    {
      name: 'should give a session what its other constraint leaves and the rest to the others',
      capacity: [30, 8],
      entries: [anEntry({ constraints: [0, 1] }), anEntry({ rank: 1 }), anEntry({ rank: 2 })],
      expected: [8, 11, 11],
    },
    {
      name: 'should serve a higher priority class before admitting a lower one',
      capacity: [20],
      entries: [anEntry({ priority: 0 }), anEntry({ priority: 1, rank: 1, maxA: 16 })],
      expected: [0, 16],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const capacity = Float64Array.from(c.capacity);
      const values = fillStep(capacity, c.entries);
      expect(Array.from(values, (v) => Math.round(v * 1e6) / 1e6)).to.deep.equal(c.expected);
    });
  }

  it('should reduce the capacity by what it allocates', () => {
    const capacity = Float64Array.from([30, 50]);
    fillStep(capacity, [anEntry({ constraints: [0, 1], maxA: 10 })]);
    expect(Array.from(capacity)).to.deep.equal([20, 40]);
  });
});
