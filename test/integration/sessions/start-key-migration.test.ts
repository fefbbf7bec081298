// Migration 20261204130001: sessions that the missing start-key constraint duplicated are merged before
// the unique index is created, losing no meter value, link or CDR.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import * as startKey from '../../../migrations/20261204130001_sessions_start_key.ts';
import { getDefaultParty } from '../../../src/parties/party.repo.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aChargerId } from '../../fixtures/chargers.ts';
import { aRegisteredPartner } from '../../fixtures/partners.ts';
import { withImmediateTriggers } from '../../../src/db/migrate.ts';

describe('integration migration 20261204130001_sessions_start_key', () => {
  const tdb = useTestDb();

  it('should merge duplicated starts into the billed, else stopped, else first session, keep duplicates that have their own CDR, then refuse new duplicates', async () => {
    // Arrange: the schema before the migration, with three duplicated starts and one distinct session
    const db = tdb.db;
    // (knex runs each migration in a transaction: its temporary table lives on that one connection)
    await db.transaction((trx) => withImmediateTriggers(trx, startKey.down));
    const party = await getDefaultParty(db);
    const cp = aChargerId('mig');
    await db('charge_points').insert({ id: cp });
    const session = async (o: { idTag: string; stopped?: boolean }) => {
      const [row] = await db('sessions')
        .insert({ uid: randomUUID(), party_fk: party.id, charge_point_id: cp, connector_number: 1, id_tag: o.idTag, meter_start_wh: 100, start_at: new Date('2026-01-05T10:00:00Z'), status: o.stopped ? 'COMPLETED' : 'ACTIVE', stop_at: o.stopped ? new Date('2026-01-05T11:00:00Z') : null })
        .returning('id');
      return Number(row.id);
    };
    const sample = (sessionFk: number, value: string) => db('meter_values').insert({ charge_point_id: cp, connector_number: 1, session_fk: sessionFk, timestamp: new Date(`2026-01-05T10:${value.padStart(2, '0')}:00Z`), measurand: 'Energy.Active.Import.Register', value });
    const cdr = (sessionFk: number) => db('cdrs').insert({ cdr_id: randomUUID(), party_fk: party.id, session_fk: sessionFk, currency: 'EUR', total_cost_excl_vat: 1, total_cost_incl_vat: 1, kwh: 1, total_time_hours: 1, total_parking_hours: 0, body: '{}', created_at: new Date() });
    // 1: first ACTIVE, second stopped, third with a remote start link: the stopped one stays
    const [a1, a2, a3] = [await session({ idTag: 'DUP-A' }), await session({ idTag: 'DUP-A', stopped: true }), await session({ idTag: 'DUP-A' })];
    await sample(a1, '1');
    await sample(a3, '3');
    const { partner } = await aRegisteredPartner(db);
    const [remote] = await db('ocpi_remote_starts').insert({ partner_fk: partner.id, charge_point_id: cp, id_tag: 'DUP-A', created_at: new Date(), expires_at: new Date(), session_fk: a3 }).returning('id');
    // 2: both billed: the first billed one stays, the other is kept as its duplicate
    const [b1, b2] = [await session({ idTag: 'DUP-B', stopped: true }), await session({ idTag: 'DUP-B', stopped: true })];
    await cdr(b1);
    await cdr(b2);
    // 3: the second is billed: it stays although the first came first
    const [c1, c2] = [await session({ idTag: 'DUP-C' }), await session({ idTag: 'DUP-C', stopped: true })];
    await sample(c1, '5');
    await cdr(c2);
    const single = await session({ idTag: 'SINGLE' });

    // Act
    await db.transaction((trx) => withImmediateTriggers(trx, startKey.up));

    // Assert
    const rows = await db('sessions').where({ charge_point_id: cp }).orderBy('id');
    expect(rows.map((r) => [r.id, r.id_tag, r.duplicate_of])).to.deep.equal([[a2, 'DUP-A', null], [b1, 'DUP-B', null], [b2, 'DUP-B', b1], [c2, 'DUP-C', null], [single, 'SINGLE', null]]);
    const samples = await db('meter_values').where({ charge_point_id: cp }).orderBy('value');
    expect(samples.map((m) => [m.value, m.session_fk])).to.deep.equal([['1', a2], ['3', a2], ['5', c2]]);
    expect((await db('ocpi_remote_starts').where({ id: remote.id }).first()).session_fk).to.equal(a2);
    expect((await db('cdrs').whereIn('session_fk', [b1, b2, c2])).length).to.equal(3);
    const again = await db('sessions').insert({ uid: randomUUID(), party_fk: party.id, charge_point_id: cp, connector_number: 1, id_tag: 'DUP-B', meter_start_wh: 100, start_at: new Date('2026-01-05T10:00:00Z') }).catch((err: { code?: string }) => err.code);
    expect(again).to.equal('23505');
  });
});
