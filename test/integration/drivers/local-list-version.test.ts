// OCPP 1.6 §3.5 local lists across cluster nodes: two nodes syncing one charger at once reserve the next list
// version in one SQL statement each, so they never send the same version; and an accepted update never
// replaces a higher version recorded meanwhile. Meant for PostgreSQL (DATABASE_URL), where the two
// reservations really run at once on two connections; PGlite runs them one after the other.
import { expect } from 'chai';
import { findLocalList, reserveLocalListVersion, upsertAcceptedLocalList } from '../../../src/drivers/local-list.repo.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';

describe('drivers: local list versions across nodes', () => {
  const t = useTestDb();
  const at = new Date('2026-03-01T00:00:00Z');

  before(async () => {
    await t.db('charge_points').insert([{ id: 'CP-LL-1' }, { id: 'CP-LL-2' }]);
  });

  it('should hand two concurrent bumps of one charger two different versions above the accepted one', async () => {
    // Arrange: the charger holds version 4
    await upsertAcceptedLocalList(t.db, 'CP-LL-1', { version: 4, entries: [] }, at);

    // Act: two nodes plan version 5 at the same time
    const versions = await Promise.all([reserveLocalListVersion(t.db, 'CP-LL-1', 5), reserveLocalListVersion(t.db, 'CP-LL-1', 5)]);

    // Assert
    expect([...versions].sort()).to.deep.equal([5, 6]);
    expect(await reserveLocalListVersion(t.db, 'CP-LL-1', 1)).to.equal(7);
  });

  it('should reserve for a charger without a list yet, and keep the higher accepted version', async () => {
    const [a, b] = await Promise.all([reserveLocalListVersion(t.db, 'CP-LL-2', 1), reserveLocalListVersion(t.db, 'CP-LL-2', 1)]);
    await upsertAcceptedLocalList(t.db, 'CP-LL-2', { version: 2, entries: [{ idTag: 'NEW', idTagInfo: { status: 'Accepted' } }] }, at);
    await upsertAcceptedLocalList(t.db, 'CP-LL-2', { version: 1, entries: [] }, at); // the overtaken one answers last

    expect([a, b].sort()).to.deep.equal([1, 2]);
    expect((await findLocalList(t.db, 'CP-LL-2'))?.sent).to.deep.equal({ version: 2, entries: [{ idTag: 'NEW', idTagInfo: { status: 'Accepted' } }] });
  });
});
