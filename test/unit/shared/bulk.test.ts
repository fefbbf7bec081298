// The pieces every bulk import shares (issue 8): bounded parallel work (password hashing), repeated keys,
// and the all-or-nothing results.
import { expect } from 'chai';
import { appliedOutcome, findRepeats, mapBounded, rejectedOutcome } from '../../../src/shared/bulk.ts';

describe('unit shared bulk', () => {
  it('should never have more than `limit` calls in flight, and keep the input order', async () => {
    // Arrange: each call waits until the test releases it
    let inFlight = 0;
    let most = 0;
    const waiting: Array<() => void> = [];
    const fn = async (n: number) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => waiting.push(resolve));
      inFlight--;
      return n * 10;
    };
    // Act
    const done = mapBounded([1, 2, 3, 4, 5, 6, 7], 3, fn);
    while (waiting.length > 0 || inFlight > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      waiting.splice(0).forEach((release) => release());
    }
    // Assert
    expect(await done).to.deep.equal([10, 20, 30, 40, 50, 60, 70]);
    expect(most).to.equal(3);
  });

  it('should name each repeat with the row that had the key first, ignoring rows without a key', () => {
    const repeats = findRepeats(['a', undefined, 'b', 'a', undefined, 'a'], (k) => k);

    expect([...repeats]).to.deep.equal([[3, 0], [5, 0]]);
  });

  it('should report rows created or existing when applied, and failed or not applied when not', () => {
    const applied = appliedOutcome(['A', 'B'], new Set([1]), new Map([[0, 'generated-pw']]));
    const rejected = rejectedOutcome('invalid', ['A', null], new Map([[1, 'id: required']]));

    expect(applied).to.deep.equal({ applied: true, created: 1, existing: 1, failed: 0, results: [{ row: 0, id: 'A', status: 'created', password: 'generated-pw' }, { row: 1, id: 'B', status: 'existing' }] });
    expect(rejected).to.deep.equal({ applied: false, failure: 'invalid', created: 0, existing: 0, failed: 1, results: [{ row: 0, id: 'A', status: 'not applied' }, { row: 1, id: null, status: 'failed', error: 'id: required' }] });
  });
});
