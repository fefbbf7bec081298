// The embedded database's upkeep (issue 8): PGlite has no autovacuum, so cpms vacuums and analyzes by its rules.
// The statements are plain PostgreSQL: the same test runs on the server (where autovacuum does this on its own).
import { expect } from 'chai';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { listTableActivity, readWalPosition, runEmbeddedUpkeep } from '../../../src/db/embedded-upkeep.ts';
import { AUTOVACUUM_DEFAULTS } from '../../../src/db/upkeep-policy.ts';
import { insertEvents } from '../../../src/events/event.repo.ts';

describe('integration db: the embedded database upkeep', () => {
  const t = useTestDb();

  it('should report each table counters, catalogs included, without toast tables', async () => {
    // Arrange
    await insertEvents(t.db, Array.from({ length: 30 }, (_v, i) => ({ type: 'charger.connected' as const, chargePointId: `CP${i}`, locationId: null, occurredAt: new Date(), data: {} })));
    // Act
    const tables = await listTableActivity(t.db);
    // Assert
    const events = tables.find((x) => x.table === 'public.events');
    expect(events?.insertedSinceVacuum).to.be.at.least(30);
    expect(tables.some((x) => x.table === 'pg_catalog.pg_class')).to.equal(true);
    expect(tables.some((x) => x.table.startsWith('pg_toast.'))).to.equal(false);
    expect(events?.xidAge).to.be.greaterThan(0);
  });

  it('should vacuum and analyze a table after many inserts, then leave it alone until it changes again', async () => {
    // Arrange: 2,000 inserted rows pass both the insert (1,000) and the analyze (50) thresholds of a never-vacuumed table
    await insertEvents(t.db, Array.from({ length: 2000 }, (_v, i) => ({ type: 'connector.status' as const, chargePointId: `CP${i % 50}`, locationId: null, occurredAt: new Date(), data: { i } })));
    // Act
    const first = await runEmbeddedUpkeep(t.db);
    const second = await runEmbeddedUpkeep(t.db);
    // Assert: the planner now knows the table's size, and the second run had nothing to do for it
    expect(first.actions.find((a) => a.table === 'public.events')).to.deep.include({ vacuum: true, analyze: true });
    expect(first.vacuumed).to.be.at.least(1);
    expect(first.analyzed).to.be.at.least(1);
    const { rows } = await t.db.raw("select reltuples, relallvisible from pg_class where oid = 'public.events'::regclass");
    expect(Number(rows[0].reltuples)).to.be.at.least(2000);
    expect(Number(rows[0].relallvisible)).to.be.greaterThan(0);
    expect(second.actions.map((a) => a.table)).to.not.include('public.events');
  });

  it('should analyze a large table from a smaller sample and leave the connection default statistics target as it was', async () => {
    // Arrange: a "large table" of 1,500 rows, by the limits given (and analyzed again although the last test did a moment ago)
    await insertEvents(t.db, Array.from({ length: 1500 }, (_v, i) => ({ type: 'connector.status' as const, chargePointId: `CP${i}`, locationId: null, occurredAt: new Date(), data: { i } })));
    // Act
    const result = await runEmbeddedUpkeep(t.db, { ...AUTOVACUUM_DEFAULTS, largeTableRows: 1000, analyzeIntervalSec: 0 });
    // Assert: the charger ids are all distinct: a target of 10 keeps at most 11 histogram bounds (100: 101)
    expect(result.actions.find((a) => a.table === 'public.events')).to.deep.include({ analyze: true, statisticsTarget: 10 });
    const { rows } = await t.db.raw("select array_length(histogram_bounds::text::text[], 1) as n from pg_stats where schemaname = 'public' and tablename = 'events' and attname = 'charge_point_id'");
    expect(Number(rows[0].n)).to.be.within(2, 11);
    const { rows: setting } = await t.db.raw('show default_statistics_target');
    expect(setting[0].default_statistics_target).to.equal('100');
  });

  it('should checkpoint once enough WAL was written since the last checkpoint, and not again at once', async () => {
    // Arrange: WAL since the last checkpoint, and a threshold under it
    await insertEvents(t.db, Array.from({ length: 500 }, (_v, i) => ({ type: 'connector.status' as const, chargePointId: `CP${i}`, locationId: null, occurredAt: new Date(), data: { i } })));
    const before = await readWalPosition(t.db);
    const limits = { ...AUTOVACUUM_DEFAULTS, checkpointWalBytes: 64 * 1024 };
    // Act
    const first = await runEmbeddedUpkeep(t.db, limits);
    const after = await readWalPosition(t.db);
    const second = await runEmbeddedUpkeep(t.db, limits);
    // Assert: the checkpoint moved the redo point past the WAL written before it
    expect(before.bytesSinceCheckpoint).to.be.greaterThan(64 * 1024);
    expect(first.checkpoint).to.match(/bytes of WAL since the last checkpoint$/);
    expect(after.bytesSinceCheckpoint).to.be.lessThan(64 * 1024);
    expect(after.secondsSinceCheckpoint).to.be.lessThan(60);
    expect(second.checkpoint).to.equal(undefined);
  });
});
