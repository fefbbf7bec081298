// Issue 8 (reconnect storm): connection records of many sockets in one transaction of a few statements
// (ChargerConnectionService.connectWriter, connection-batch.repo.ts).
import { expect } from 'chai';
import type { App } from '../../../src/app.ts';
import { newUuid } from '../../../src/shared/ids.ts';
import type { TestDb } from '../../helpers/db.ts';
import { useAppOnTestDb } from '../../helpers/app.ts';
import { aChargerId } from '../../fixtures/chargers.ts';

describe('connection records group commit', () => {
  let t: TestDb;
  let app: App;

  useAppOnTestDb((db, a) => ((t = db), (app = a)));

  it('should record every known charger of a batch with its own socket and fail only the unknown one, clearing OFFLINE faults', async () => {
    // Arrange
    const ids = [aChargerId('conn'), aChargerId('conn'), aChargerId('conn')];
    await t.db('charge_points').insert(ids.map((id) => ({ id, registration_status: 'Accepted' })));
    await t.db('faults').insert({ charge_point_id: ids[1], connector_number: 0, kind: 'OFFLINE', error_code: 'Offline', opened_at: new Date() });
    const sockets = [...ids, aChargerId('gone')].map((id) => ({ id, connectionId: newUuid() }));

    // Act
    const results = await Promise.allSettled(sockets.map((s) => app.services.chargerConnections.onConnected(s.id, 'ocpp1.6', s.connectionId)));

    // Assert
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(((results[3] as PromiseRejectedResult).reason as Error).name).to.equal('NotFound');
    const rows = await t.db('charge_points').whereIn('id', ids).select('id', 'connection_id', 'is_connected', 'protocol');
    expect(new Map(rows.map((r) => [r.id, [r.connection_id, r.is_connected, r.protocol]]))).to.deep.equal(new Map(sockets.slice(0, 3).map((s) => [s.id, [s.connectionId, true, 'ocpp1.6']])));
    expect(await t.db('faults').where({ charge_point_id: ids[1], kind: 'OFFLINE' }).whereNull('cleared_at').pluck('id')).to.deep.equal([]);
    expect((await t.db('charge_point_events').whereIn('charge_point_id', ids).where({ type: 'Connected' }).pluck('charge_point_id')).sort()).to.deep.equal([...ids].sort());
  });
});
