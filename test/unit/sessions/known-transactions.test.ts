// The ingest path's memory of transactions found (issue 8): hits only, within their charger, bounded.
import { expect } from 'chai';
import { KnownTransactions } from '../../../src/sessions/known-transactions.ts';

describe('unit sessions: KnownTransactions', () => {
  it('should know a remembered transaction, within its own charger only', () => {
    // Arrange
    const known = new KnownTransactions();

    // Act
    known.add('CP-A', 7);

    // Assert
    expect(known.has('CP-A', 7)).to.equal(true);
    expect(known.has('CP-B', 7)).to.equal(false);
    expect(known.has('CP-A', 8)).to.equal(false);
  });

  it('should forget the oldest transaction first once full, and keep the rest', () => {
    // Arrange
    const known = new KnownTransactions(3);
    for (const n of [1, 2, 3]) known.add('CP', n);

    // Act
    known.add('CP', 4);

    // Assert
    expect([1, 2, 3, 4].map((n) => known.has('CP', n))).to.deep.equal([false, true, true, true]);
  });

  it('should not push another out when a known transaction is added again', () => {
    // Arrange
    const known = new KnownTransactions(2);
    known.add('CP', 1);
    known.add('CP', 2);

    // Act
    known.add('CP', 1);

    // Assert
    expect([known.has('CP', 1), known.has('CP', 2)]).to.deep.equal([true, true]);
  });
});
