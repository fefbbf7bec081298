// The same migrations and the same value types on both engines (PGlite by default, PostgreSQL with DATABASE_URL).
import { expect } from 'chai';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { dbKind } from '../../../src/db/knex.ts';
import { isMigrated, migrateLatest } from '../../../src/db/migrate.ts';
import { getDefaultParty } from '../../../src/parties/party.repo.ts';
import { translatePg } from '../../../src/db/pg-errors.ts';
import { Conflict, InvalidInput } from '../../../src/shared/errors.ts';

describe('integration db', () => {
  const tdb = useTestDb();

  it('should run on the engine DATABASE_URL selects', () => {
    expect(dbKind(tdb.db)).to.equal(process.env.DATABASE_URL ? 'pg' : 'pglite');
  });

  it('should report every migration applied, and applying again should do nothing', async () => {
    expect(await isMigrated(tdb.db)).to.equal(true);
    expect(await migrateLatest(tdb.db)).to.deep.equal([]);
  });

  it('should have created the default operator party', async () => {
    const party = await getDefaultParty(tdb.db);
    expect([party.countryCode, party.partyId, party.isDefault]).to.deep.equal(['NL', 'CPM', true]);
  });

  it('should resolve a delete and an increment to the number of rows they changed, on both engines', async () => {
    // Arrange
    await tdb.db('job_runs').insert([1, 2, 3].map((i) => ({ job: 'count-test', node: `n${i}`, trigger: 'manual', status: 'running', started_at: new Date() })));
    // Act
    const incremented = await tdb.db('job_runs').where({ job: 'count-test' }).whereIn('node', ['n1', 'n2']).increment('id', 0);
    const deleted = await tdb.db('job_runs').where({ job: 'count-test' }).delete();
    const deletedAgain = await tdb.db('job_runs').where({ job: 'count-test' }).del();
    // Assert
    expect([incremented, deleted, deletedAgain]).to.deep.equal([2, 3, 0]);
  });

  it('should plan named statements for the values of each execution on every connection (plan_cache_mode)', async () => {
    // Act: three connections at once on a server (one on PGlite)
    const modes = await Promise.all([1, 2, 3].map(() => tdb.db.transaction(async (trx) => (await trx.raw('show plan_cache_mode')).rows[0].plan_cache_mode)));
    // Assert
    expect(modes).to.deep.equal(['force_custom_plan', 'force_custom_plan', 'force_custom_plan']);
  });

  it('should return int8 and numeric values as exact strings, never binary floats, on both engines', async () => {
    const { rows } = await tdb.db.raw('select 9007199254740993::int8 as big, 750::int8 as small, 12.750::numeric as num, count(*) as c from (select 1) x');
    expect(rows[0]).to.deep.equal({ big: '9007199254740993', small: '750', num: '12.750', c: '1' });
  });

  it('should store timestamps as timestamptz and return Date objects in UTC', async () => {
    const { rows } = await tdb.db.raw(`select '2026-03-29T01:30:00+02:00'::timestamptz as at`);
    expect(rows[0].at).to.be.instanceOf(Date);
    expect(rows[0].at.toISOString()).to.equal('2026-03-28T23:30:00.000Z');
  });

  it('should translate a unique violation to Conflict and a foreign key violation to InvalidInput', async () => {
    await tdb.db('charge_points').insert({ id: 'CP-dup-db' });

    const dup = await translatePg('charger CP-dup-db', () => tdb.db('charge_points').insert({ id: 'CP-dup-db' })).catch((e: unknown) => e);
    const fk = await translatePg('connector', () => tdb.db('connectors').insert({ charge_point_id: 'CP-missing-db', connector_number: 1, ocpi_id: '1' })).catch((e: unknown) => e);

    expect(dup).to.be.instanceOf(Conflict);
    expect(fk).to.be.instanceOf(InvalidInput);
  });

  it('should keep energy columns integer and money columns numeric', async () => {
    const { rows } = await tdb.db.raw(`select column_name, data_type from information_schema.columns where table_name = 'sessions' and column_name in ('energy_wh', 'meter_start_wh', 'total_cost_excl_vat') order by column_name`);
    expect(rows.map((r: any) => [r.column_name, r.data_type])).to.deep.equal([
      ['energy_wh', 'bigint'],
      ['meter_start_wh', 'bigint'],
      ['total_cost_excl_vat', 'numeric'],
    ]);
  });
});
