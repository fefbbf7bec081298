// Migration 20261204130003: sessions stopped before billing states were recorded get theirs, so the ones
// that ended without a CDR (and nobody noticed) show up as FAILED.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import * as billingState from '../../../migrations/20261204130003_sessions_billing_state.ts';
import { getDefaultParty } from '../../../src/parties/party.repo.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aChargerId } from '../../fixtures/chargers.ts';

describe('integration migration 20261204130003_sessions_billing_state', () => {
  const tdb = useTestDb();

  it('should mark stopped sessions CREATED (with a CDR), NOT_BILLABLE (INVALID) or FAILED (no CDR), and leave running ones unset', async () => {
    // Arrange: the schema before the migration
    const db = tdb.db;
    await db.transaction((trx) => billingState.down(trx));
    const party = await getDefaultParty(db);
    const cp = aChargerId('bsmig');
    await db('charge_points').insert({ id: cp });
    const session = async (o: { status: string; stopped: boolean; minute: number }) => {
      const [row] = await db('sessions')
        .insert({ uid: randomUUID(), party_fk: party.id, charge_point_id: cp, connector_number: 1, id_tag: 'T', meter_start_wh: 0, start_at: new Date(Date.UTC(2026, 0, 5, 10, o.minute)), status: o.status, stop_at: o.stopped ? new Date(Date.UTC(2026, 0, 5, 11, o.minute)) : null })
        .returning('id');
      return Number(row.id);
    };
    const billed = await session({ status: 'COMPLETED', stopped: true, minute: 1 });
    await db('cdrs').insert({ cdr_id: randomUUID(), party_fk: party.id, session_fk: billed, currency: 'EUR', total_cost_excl_vat: 1, total_cost_incl_vat: 1, kwh: 1, total_time_hours: 1, total_parking_hours: 0, body: '{}', created_at: new Date() });
    const refused = await session({ status: 'INVALID', stopped: true, minute: 2 });
    const lost = await session({ status: 'COMPLETED', stopped: true, minute: 3 });
    const running = await session({ status: 'ACTIVE', stopped: false, minute: 4 });

    // Act
    await db.transaction((trx) => billingState.up(trx));

    // Assert
    const rows = await db('sessions').whereIn('id', [billed, refused, lost, running]).orderBy('id');
    expect(rows.map((r) => r.cdr_status)).to.deep.equal(['CREATED', 'NOT_BILLABLE', 'FAILED', null]);
    expect(rows[2].cdr_error).to.match(/^no CDR was created when it stopped/);
  });
});
