// Migration 20261204140000_evse_per_connector on data made before it: an EVSE holding several connectors of
// a charger is split, connector 1 keeping it, the others each on `<uid>-<n>` with its attributes and
// EVSE-scoped tariff rules (OCPI 2.2.1 locations §8.3.2 NOTE).
import { expect } from 'chai';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { rewindTo } from '../../helpers/migration.ts';

describe('migration evse_per_connector', () => {
  const tdb = useTestDb();

  it('should split an EVSE with several connectors, keep single-connector EVSEs and set each charger\'s primary EVSE', async () => {
    // Arrange: the schema before the migration, with one charger's three connectors on one EVSE
    const db = tdb.db;
    const migration = await rewindTo(db, '20261204140000_evse_per_connector.ts');
    const party = await db('parties').where({ is_default: true }).first();
    await db('locations').insert({ id: 'LOC-MIG', party_fk: party.id, address: 'A 1', city: 'B', country: 'NLD', latitude: '52.00000', longitude: '4.00000', time_zone: 'Europe/Amsterdam' });
    await db('charge_points').insert([{ id: 'CP-MIG', location_id: 'LOC-MIG' }, { id: 'CP-ONE', location_id: 'LOC-MIG' }]);
    const [shared] = await db('evses').insert({ location_id: 'LOC-MIG', uid: 'E-MIG', charge_point_id: 'CP-MIG', status: 'CHARGING', capabilities: JSON.stringify(['RFID_READER', 'RESERVABLE']), floor_level: '-1' }).returning('id');
    const [single] = await db('evses').insert({ location_id: 'LOC-MIG', uid: 'E-ONE', charge_point_id: 'CP-ONE', status: 'AVAILABLE' }).returning('id');
    for (const n of [3, 1, 2]) await db('connectors').insert({ charge_point_id: 'CP-MIG', connector_number: n, ocpi_id: String(n), evse_fk: shared.id, tariff_ids: JSON.stringify(['T-EVSE']) });
    await db('connectors').insert({ charge_point_id: 'CP-ONE', connector_number: 1, ocpi_id: '1', evse_fk: single.id });
    await db('tariffs').insert({ id: 'T-EVSE', party_fk: party.id, currency: 'EUR', elements: JSON.stringify([{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }]), last_updated: new Date() });
    await db('tariff_assignments').insert({ tariff_id: 'T-EVSE', evse_fk: shared.id, group_id: 'FLEET', priority: 2 });

    // Act
    await migration.reapply();

    // Assert
    const evses = await db('evses').where({ location_id: 'LOC-MIG' }).orderBy('uid');
    expect(evses.map((e) => [e.uid, e.charge_point_id, e.status, e.pending_location_push, e.capabilities, e.floor_level])).to.deep.equal([
      ['E-MIG', 'CP-MIG', 'UNKNOWN', true, ['RFID_READER', 'RESERVABLE'], '-1'],
      ['E-MIG-2', 'CP-MIG', 'UNKNOWN', true, ['RFID_READER', 'RESERVABLE'], '-1'],
      ['E-MIG-3', 'CP-MIG', 'UNKNOWN', true, ['RFID_READER', 'RESERVABLE'], '-1'],
      ['E-ONE', 'CP-ONE', 'AVAILABLE', false, null, null],
    ]);
    const uidOf = new Map(evses.map((e) => [e.id, e.uid]));
    const connectors = await db('connectors').whereIn('charge_point_id', ['CP-MIG', 'CP-ONE']).orderBy(['charge_point_id', 'connector_number']);
    expect(connectors.map((c) => [c.charge_point_id, c.connector_number, uidOf.get(c.evse_fk), c.tariff_ids])).to.deep.equal([
      ['CP-MIG', 1, 'E-MIG', ['T-EVSE']], ['CP-MIG', 2, 'E-MIG-2', ['T-EVSE']], ['CP-MIG', 3, 'E-MIG-3', ['T-EVSE']], ['CP-ONE', 1, 'E-ONE', null],
    ]);
    const rules = await db('tariff_assignments').where({ tariff_id: 'T-EVSE' }).orderBy('id');
    expect(rules.map((r) => [uidOf.get(r.evse_fk), r.group_id, r.priority])).to.deep.equal([['E-MIG', 'FLEET', 2], ['E-MIG-2', 'FLEET', 2], ['E-MIG-3', 'FLEET', 2]]);
    const chargers = await db('charge_points').whereIn('id', ['CP-MIG', 'CP-ONE']).orderBy('id');
    expect(chargers.map((c) => [c.id, uidOf.get(c.primary_evse_fk)])).to.deep.equal([['CP-MIG', 'E-MIG'], ['CP-ONE', 'E-ONE']]);
  });
});
