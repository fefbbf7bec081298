import { expect } from 'chai';
import { areaOf, isAllowed, rolesAllowed } from '../../../src/access/permissions.ts';

describe('unit access permissions', () => {
  it('should put a path in the area of its first segment, and a session CDR in billing', () => {
    expect([areaOf('/chargers/CP1/commands/Reset'), areaOf('/sessions/5'), areaOf('/sessions/5/cdr'), areaOf('/audit'), areaOf('/auth/me')]).to.deep.equal(['network', 'sessions', 'billing', 'accounts', 'self']);
  });

  it('should find the area whatever the case of the path, as express routes it', () => {
    expect([areaOf('/OPERATORS'), isAllowed('viewer', 'GET', '/Operators'), isAllowed('operator', 'POST', '/CHARGERS')]).to.deep.equal(['accounts', false, true]);
  });

  it('should allow only admins a path in no area (deny by default)', () => {
    expect(rolesAllowed('GET', '/something-new')).to.deep.equal(['admin']);
    expect(areaOf('/constructor')).to.equal(undefined); // no prototype key is an area
  });

  it('should let viewers read but never write', () => {
    expect([isAllowed('viewer', 'GET', '/tariffs'), isAllowed('viewer', 'HEAD', '/tariffs'), isAllowed('viewer', 'PUT', '/tariffs/T1')]).to.deep.equal([true, true, false]);
  });

  it('should let operators change the network but not billing, and finance the reverse', () => {
    expect([isAllowed('operator', 'POST', '/chargers'), isAllowed('operator', 'POST', '/cdrs/1/credit')]).to.deep.equal([true, false]);
    expect([isAllowed('finance', 'POST', '/chargers'), isAllowed('finance', 'POST', '/cdrs/1/credit')]).to.deep.equal([false, true]);
  });

  it('should let every role read live monitoring (events, live views) and only admins change anything there', () => {
    expect(['/events', '/live/chargers'].map((p) => rolesAllowed('GET', p))).to.deep.equal([['admin', 'operator', 'viewer', 'finance'], ['admin', 'operator', 'viewer', 'finance']]);
    expect(rolesAllowed('POST', '/events')).to.deep.equal(['admin']);
  });
});
