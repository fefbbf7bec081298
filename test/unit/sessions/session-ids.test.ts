// The ingest path's memory of sessions found (issue 8): hits only, within their charger, bounded.
import { expect } from 'chai';
import { SessionIds } from '../../../src/sessions/session-ids.ts';

describe('unit sessions: SessionIds', () => {
  it('should answer a remembered transaction with its session, within its own charger only', () => {
    // Arrange
    const ids = new SessionIds();

    // Act
    ids.remember('CP-A', 7, 7);

    // Assert
    expect(ids.get('CP-A', 7)).to.equal(7);
    expect(ids.get('CP-B', 7)).to.equal(undefined);
    expect(ids.get('CP-A', 8)).to.equal(undefined);
  });

  it('should forget the oldest transaction first once full, and keep the rest', () => {
    // Arrange
    const ids = new SessionIds(3);
    for (const n of [1, 2, 3]) ids.remember('CP', n, n * 10);

    // Act
    ids.remember('CP', 4, 40);

    // Assert
    expect([1, 2, 3, 4].map((n) => ids.get('CP', n))).to.deep.equal([undefined, 20, 30, 40]);
  });

  it('should keep the first session of a transaction when it is remembered again', () => {
    // Arrange
    const ids = new SessionIds(2);
    ids.remember('CP', 1, 10);
    ids.remember('CP', 2, 20);

    // Act: the same pair again neither replaces it nor pushes another out
    ids.remember('CP', 1, 99);

    // Assert
    expect([ids.get('CP', 1), ids.get('CP', 2)]).to.deep.equal([10, 20]);
  });
});
