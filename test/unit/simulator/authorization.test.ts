import { expect } from 'chai';
import { LocalAuthorization } from '../../../src/simulator/model/authorization.ts';

describe('simulator/model/authorization', () => {
  it('OCPP201 N09/N10: should tell what it holds about an id tag, and forget its cache entry but keep the local list', () => {
    // Arrange
    const auth = new LocalAuthorization(10);
    auth.update(1, 'Full', [{ idTag: 'LISTED', info: { status: 'Accepted' } }]);
    auth.remember('LISTED', { status: 'Blocked' });
    auth.remember('CACHED', { status: 'Accepted' });

    // Act
    const before = [auth.heldAbout('LISTED'), auth.heldAbout('CACHED'), auth.heldAbout('UNKNOWN')];
    auth.forget('LISTED');
    auth.forget('CACHED');
    const after = [auth.heldAbout('LISTED'), auth.heldAbout('CACHED')];

    // Assert
    expect(before).to.deep.equal([{ list: { status: 'Accepted' }, cache: { status: 'Blocked' } }, { list: undefined, cache: { status: 'Accepted' } }, { list: undefined, cache: undefined }]);
    expect(after).to.deep.equal([{ list: { status: 'Accepted' }, cache: undefined }, { list: undefined, cache: undefined }]);
  });
});
