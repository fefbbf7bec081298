// Change stamps (issue 8): every committed transaction that changes what the OCPI locations list shows moves the
// stamp once; a rolled back one, a read or a write that changes nothing leaves it.
import { expect } from 'chai';
import { readChangeStamp } from '../../../src/db/change-stamps.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aLocationRow, anEvseRow } from '../../fixtures/ocpi-rows.ts';

describe('integration db change stamps', () => {
  const t = useTestDb();
  const stamp = async () => BigInt(await readChangeStamp(t.db, 'ocpi_locations'));
  const party = async () => (await t.db('parties').first('id')).id as number;

  it('should move the stamp once per committed transaction, however many rows and tables it writes', async () => {
    // Arrange
    const partyFk = await party();
    const before = await stamp();

    // Act
    await t.db.transaction(async (trx) => {
      const id = await aLocationRow(trx, { partyFk });
      await anEvseRow(trx, { locationId: id });
      await anEvseRow(trx, { locationId: id });
    });

    // Assert
    expect(await stamp()).to.equal(before + 1n);
  });

  it('should leave the stamp after a rollback, a read, or an update that writes the same values', async () => {
    // Arrange
    const id = await aLocationRow(t.db, { partyFk: await party() });
    const before = await stamp();

    // Act
    await t.db
      .transaction(async (trx) => {
        await trx('locations').where({ id }).update({ name: 'renamed' });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await t.db('locations').where({ id }).first();
    await t.db('locations').where({ id }).update({ city: 'Brussel' });

    // Assert
    expect(await stamp()).to.equal(before);
  });

  it('should move the stamp for an insert, an update and a delete of each table a page shows', async () => {
    // Arrange: one row of each watched kind
    const partyFk = await party();
    const locationId = await aLocationRow(t.db, { partyFk });
    const { id: evseId, connectorFk } = await anEvseRow(t.db, { locationId });
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['location update', () => t.db('locations').where({ id: locationId }).update({ publish: false })],
      ['EVSE update', () => t.db('evses').where({ id: evseId }).update({ status: 'CHARGING' })],
      ['connector update', () => t.db('connectors').where({ id: connectorFk }).update({ tariff_ids: JSON.stringify(['OTHER']) })],
      ['party code', () => t.db('parties').insert({ country_code: 'BE', party_id: 'ZZ9', name: 'z' }).then(() => undefined)],
      ['party code change', () => t.db('parties').where({ country_code: 'BE', party_id: 'ZZ9' }).update({ party_id: 'ZZ8' })],
      ['tariff', () => t.db('tariffs').insert({ id: 'T-STAMP', party_fk: partyFk, currency: 'EUR', elements: JSON.stringify([]), last_updated: new Date() })],
      ['tariff rule', () => t.db('tariff_assignments').insert({ tariff_id: 'T-STAMP', location_id: locationId, emsp_country_code: 'DE', emsp_party_id: 'EMS' })],
      ['token', () => t.db('id_tokens').insert({ country_code: 'DE', party_id: 'EMS', uid: 'STAMP1', type: 'RFID', contract_id: 'DE-EMS-C1', issuer: 'x' })],
      ['connector delete', () => t.db('connectors').where({ id: connectorFk }).delete()],
    ];

    // Act + Assert
    for (const [what, write] of writes) {
      const before = await stamp();
      await write();
      expect(await stamp(), what).to.equal(before + 1n);
    }
  });
});
