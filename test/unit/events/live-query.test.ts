import { expect } from 'chai';
import { encodeCursor, parseLiveQuery } from '../../../src/events/live-query.ts';
import { InvalidInput } from '../../../src/shared/errors.ts';

describe('unit events/live-query', () => {
  it('should default to the first page of 100 chargers', () => {
    expect(parseLiveQuery({})).to.deep.equal({ locationId: undefined, status: undefined, limit: 100, afterId: undefined });
  });

  it('should give back the charger id of a cursor it made', () => {
    // Arrange
    const cursor = encodeCursor('CP-é/1');
    // Act
    const q = parseLiveQuery({ cursor, limit: '500', status: 'Charging', locationId: 'LOC1' });
    // Assert
    expect(q).to.deep.equal({ locationId: 'LOC1', status: 'Charging', limit: 500, afterId: 'CP-é/1' });
  });

  it('should refuse an unknown status, a limit outside 1..500, a cursor it did not make, and repeated parameters', () => {
    for (const q of [{ status: 'Sleeping' }, { limit: '0' }, { limit: '501' }, { limit: '1e2' }, { cursor: 'not a cursor' }, { cursor: 'QQ' + '=' }, { locationId: ['a', 'b'] }]) {
      expect(() => parseLiveQuery(q), JSON.stringify(q)).to.throw(InvalidInput);
    }
  });
});
