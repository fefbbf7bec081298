// Bounded work per turn of the event loop (issue 8, reconnect storm), with a hand-driven clock and turns.
import { expect } from 'chai';
import { TurnSlicer } from '../../../src/shared/turn-slicer.ts';

/** A slicer on a clock the test moves, whose later turns run only when the test says so. */
function aSlicer(budgetMs: number) {
  let now = 0;
  const turns: Array<() => void> = [];
  const slicer = new TurnSlicer({ budgetMs, now: () => now, later: (fn) => void turns.push(fn) });
  const flush = async () => {
    await new Promise((r) => setImmediate(r));
  };
  return {
    slicer,
    advance: (ms: number) => void (now += ms),
    nextTurn: async () => {
      turns.shift()?.();
      await flush();
    },
    flush,
    pendingTurns: () => turns.length,
  };
}

describe('unit shared: TurnSlicer', () => {
  /** One caller after another, as the group commit lets a batch's callers go on: a turn, then 4 ms of work. */
  const releaseSix = (s: ReturnType<typeof aSlicer>, went: number[]) =>
    (async () => {
      for (const n of [1, 2, 3, 4, 5, 6]) {
        await s.slicer.turn();
        went.push(n);
        s.advance(4);
      }
    })();

  it('should let callers go on in the same turn while the slice has budget left', async () => {
    // Arrange
    const s = aSlicer(100);
    const went: number[] = [];

    // Act
    await releaseSix(s, went);

    // Assert: all within one slice; no later turn was needed
    expect(went).to.deep.equal([1, 2, 3, 4, 5, 6]);
  });

  it('should hold the callers past the budget until a later turn, then let them go on in order, a slice per turn', async () => {
    // Arrange: a 10 ms budget
    const s = aSlicer(10);
    const went: number[] = [];

    // Act / Assert: work starting at 0, 4 and 8 ms is within the first slice, at 12 ms it is not
    const all = releaseSix(s, went);
    await s.flush();
    expect(went).to.deep.equal([1, 2, 3]);
    await s.nextTurn();
    expect(went).to.deep.equal([1, 2, 3, 4, 5, 6]);
    await all;
  });

  it('should refuse a budget that is not positive', () => {
    expect(() => new TurnSlicer({ budgetMs: 0 })).to.throw(RangeError, 'budgetMs');
  });
});
