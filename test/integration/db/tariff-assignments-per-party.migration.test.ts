// Migration 20261204140100_tariff_assignments_per_party on rules made before it: a rule for a partner
// connection becomes a rule for that partner's own OCPI party (upper-case); other rules are unchanged.
import { expect } from 'chai';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { rewindTo } from '../../helpers/migration.ts';
import { aRegisteredPartner } from '../../fixtures/partners.ts';

describe('migration tariff_assignments_per_party', () => {
  const tdb = useTestDb();

  it("should turn partner rules into rules for the partner's party, keep the others, and refuse a duplicate afterwards", async () => {
    // Arrange: rules as they were stored before
    const db = tdb.db;
    const { partner } = await aRegisteredPartner(db, { countryCode: 'de', partyId: 'mig' });
    const migration = await rewindTo(db, '20261204140100_tariff_assignments_per_party.ts');
    const party = await db('parties').where({ is_default: true }).first();
    await db('locations').insert({ id: 'LOC-PARTY', party_fk: party.id, address: 'A 1', city: 'B', country: 'NLD', latitude: '52.00000', longitude: '4.00000', time_zone: 'Europe/Amsterdam' });
    await db('tariffs').insert({ id: 'T-PARTY', party_fk: party.id, currency: 'EUR', elements: JSON.stringify([{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }]), last_updated: new Date() });
    await db('tariff_assignments').insert([
      { tariff_id: 'T-PARTY', location_id: 'LOC-PARTY', partner_fk: partner.id, priority: 1 },
      { tariff_id: 'T-PARTY', location_id: 'LOC-PARTY', partner_fk: null, group_id: 'FLEET' },
    ]);

    // Act
    await migration.reapply();

    // Assert
    const rules = await db('tariff_assignments').where({ tariff_id: 'T-PARTY' }).orderBy('id');
    expect(rules.map((r) => [r.emsp_country_code, r.emsp_party_id, r.group_id, r.priority])).to.deep.equal([['DE', 'MIG', null, 1], [null, null, 'FLEET', 0]]);
    expect(rules[0]).to.not.have.property('partner_fk');
    const duplicate = await db('tariff_assignments').insert({ tariff_id: 'T-PARTY', location_id: 'LOC-PARTY', emsp_country_code: 'DE', emsp_party_id: 'MIG' }).then(() => 'inserted', (e: { code?: string }) => e.code);
    expect(duplicate).to.equal('23505');
  });
});
