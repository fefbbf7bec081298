// The ingest path's memory of transactions found (issue 8): hits only, within their charger, bounded.
import { expect } from 'chai';
import { KnownTransactions } from '../../../src/sessions/known-transactions.ts';

describe('unit sessions: KnownTransactions', () => {
  it('should know a remembered transaction and whether an eMSP follows it, within its own charger only', () => {
    // Arrange
    const known = new KnownTransactions();

    // Act
    known.add('CP-A', 7, false);
    known.add('CP-A', 9, true);

    // Assert
    expect(known.has('CP-A', 7)).to.equal(true);
    expect(known.has('CP-B', 7)).to.equal(false);
    expect(known.has('CP-A', 8)).to.equal(false);
    expect([known.isShared('CP-A', 7), known.isShared('CP-A', 9), known.isShared('CP-B', 7)]).to.deep.equal([false, true, undefined]);
  });

  it('should forget the oldest transaction first once full, and keep the rest', () => {
    // Arrange
    const known = new KnownTransactions(3);
    for (const n of [1, 2, 3]) known.add('CP', n, false);

    // Act
    known.add('CP', 4, false);

    // Assert
    expect([1, 2, 3, 4].map((n) => known.has('CP', n))).to.deep.equal([false, true, true, true]);
  });

  it('should not push another out when a known transaction is added again', () => {
    // Arrange
    const known = new KnownTransactions(2);
    known.add('CP', 1, false);
    known.add('CP', 2, false);

    // Act
    known.add('CP', 1, false);

    // Assert
    expect([known.has('CP', 1), known.has('CP', 2)]).to.deep.equal([true, true]);
  });
});
