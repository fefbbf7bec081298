// Issue 8, group commit of StatusNotifications: the first report of each connector in a batch is written
// with a few multi-row statements (history, connector status, cleared faults), a connector seen for the
// first time is registered, a fault is opened or kept, and a connector's later report of the same batch
// follows it (newest wins). The EVSEs of a batch's reports are recomputed, and their status pushes read,
// together: a batch of 19 reports costs as many statements as a batch of one. The app's service is called
// directly, many reports at once.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aLocation, aRegisteredCharger, anEvseUid } from '../../fixtures/chargers.ts';
import type { StatusReport } from '../../../src/chargers/charger.types.ts';

describe('e2e OCPP ingest: group commit of StatusNotifications', function () {
  this.timeout(60_000);
  // A wide window, so that the reports sent at once surely meet in one batch.
  const t = useTestApp({ overrides: { 'ingest.batchWindowMs': 50, 'ingest.maxBatch': 500 } });
  const report = (status: string, at: Date, o: Partial<StatusReport> = {}): StatusReport => ({ connectorNumber: 1, status, errorCode: 'NoError', timestamp: at, ...o });

  it('OCPP16 §4.9: should store a batch of 20 chargers\' reports, clear and keep their faults and register a new connector, in a few statements', async () => {
    // Arrange: 20 chargers whose connector 1 is Faulted (an open fault each)
    const s = t.app.services;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await aRegisteredCharger(s));
    const t0 = Date.now() - 60_000;
    await Promise.all(ids.map((id) => s.chargers.reportStatus(id, report('Faulted', new Date(t0), { errorCode: 'GroundFailure' }))));
    const statements: Array<{ sql: string; tx?: string }> = [];
    const record = (q: { sql: string; __knexTxId?: string }) => void statements.push({ sql: q.sql, tx: q.__knexTxId });
    const before = { ...s.chargers.statusWriter.stats };
    t.db.on('query', record);

    // Act: all at once, 19 Available again, the last still Faulted, and charger 0's connector 2 for the first time
    await Promise.all([
      ...ids.map((id, i) => s.chargers.reportStatus(id, i === 19 ? report('Faulted', new Date(t0 + 1000), { errorCode: 'GroundFailure' }) : report('Available', new Date(t0 + 1000)))),
      s.chargers.reportStatus(ids[0]!, report('Available', new Date(t0 + 1000), { connectorNumber: 2 })),
    ]);
    t.db.off('query', record);

    // Assert
    expect(s.chargers.statusWriter.stats.batches - before.batches).to.equal(1);
    const connectors = await t.db('connectors').whereIn('charge_point_id', ids).orderBy(['charge_point_id', 'connector_number']);
    const statusOf = new Map(connectors.filter((c) => c.connector_number === 1).map((c) => [c.charge_point_id, c.ocpp_status]));
    expect(statusOf).to.deep.equal(new Map(ids.map((id, i) => [id, i === 19 ? 'Faulted' : 'Available'])));
    expect(connectors.filter((c) => c.connector_number === 2).map((c) => [c.charge_point_id, c.ocpp_status])).to.deep.equal([[ids[0], 'Available']]);
    const open = await t.db('faults').whereIn('charge_point_id', ids).whereNull('cleared_at');
    expect(open.map((f) => [f.charge_point_id, f.error_code])).to.deep.equal([[ids[19], 'GroundFailure']]);
    const [{ n }] = await t.db('status_history').whereIn('charge_point_id', ids).count({ n: '*' });
    expect(Number(n)).to.equal(20 + 21);
    // One transaction: history, connectors, their status, cleared faults, the fault kept, the new connector's registration.
    const tx = statements.find((q) => /insert into "status_history"/i.test(q.sql))?.tx;
    const inBatch = statements.filter((q) => q.tx === tx && !/^(begin|commit|rollback|savepoint|release)/i.test(q.sql.trim()));
    expect(inBatch.length).to.be.lessThan(12);
  });

  it('OCPP16 §4.9: should keep the newer of two reports of one connector in one batch, whatever their order, and both in the history', async () => {
    // Arrange
    const s = t.app.services;
    const id = await aRegisteredCharger(s);
    const t0 = Date.now() - 60_000;
    const before = { ...s.chargers.statusWriter.stats };

    // Act: the newer first (e.g. a replayed older report racing it)
    await Promise.all([s.chargers.reportStatus(id, report('Charging', new Date(t0 + 2000))), s.chargers.reportStatus(id, report('Preparing', new Date(t0 + 1000)))]);

    // Assert
    expect(s.chargers.statusWriter.stats.batches - before.batches).to.equal(1);
    expect((await t.db('connectors').where({ charge_point_id: id, connector_number: 1 }).first()).ocpp_status).to.equal('Charging');
    expect((await t.db('status_history').where({ charge_point_id: id }).orderBy('timestamp')).map((h) => h.status)).to.deep.equal(['Preparing', 'Charging']);
  });

  it('OCPP16 §4.9: should recompute the EVSEs of a batch together: each its status (maintenance winning), one evse.status each, as many statements as for one report', async () => {
    // Arrange: 20 online chargers, each on an EVSE of one location, connector 1 Available; charger 5 under maintenance
    const s = t.app.services;
    const locationId = await aLocation(s);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await aRegisteredCharger(s, { locationId, evseUid: anEvseUid() }));
    await t.db('charge_points').whereIn('id', ids).update({ is_online: true });
    const t0 = Date.now() - 60_000;
    await Promise.all(ids.map((id) => s.chargers.reportStatus(id, report('Available', new Date(t0)))));
    const now = new Date();
    await t.db('maintenance_windows').insert({ charge_point_id: ids[5], starts_at: now, ends_at: new Date(now.getTime() + 3_600_000), status: 'ACTIVE', created_by: 'test', created_at: now });
    const statements: Array<{ sql: string; tx?: string }> = [];
    const record = (q: { sql: string; __knexTxId?: string }) => void statements.push({ sql: q.sql, tx: q.__knexTxId });
    const batchStatements = () => {
      const tx = statements.find((q) => /insert into "status_history"/i.test(q.sql))?.tx;
      return statements.filter((q) => q.tx === tx && !/^(begin|commit|rollback|savepoint|release)/i.test(q.sql.trim())).length;
    };
    t.db.on('query', record);

    // Act: charger 0 alone, then the other 19 at once, all Charging
    await s.chargers.reportStatus(ids[0]!, report('Charging', new Date(t0 + 1000)));
    const one = batchStatements();
    statements.length = 0;
    const before = { ...s.chargers.statusWriter.stats };
    const changed: string[] = [];
    const off = t.app.events.on('evse.status', (e) => void changed.push(e.evseUid));
    await Promise.all(ids.slice(1).map((id) => s.chargers.reportStatus(id, report('Charging', new Date(t0 + 1000)))));
    t.db.off('query', record);
    off();

    // Assert
    expect(s.chargers.statusWriter.stats.batches - before.batches).to.equal(1);
    expect(batchStatements()).to.equal(one);
    const evses = await t.db('evses').whereIn('charge_point_id', ids).select('charge_point_id', 'status', 'uid');
    const statusOf = new Map(evses.map((e) => [e.charge_point_id, e.status]));
    expect(statusOf).to.deep.equal(new Map(ids.map((id, i) => [id, i === 5 ? 'INOPERATIVE' : 'CHARGING'])));
    // Charger 5's EVSE went from AVAILABLE to INOPERATIVE (the window), the others to CHARGING: one event each
    expect(changed.sort()).to.deep.equal(evses.filter((e) => e.charge_point_id !== ids[0]).map((e) => e.uid).sort());
  });
});
