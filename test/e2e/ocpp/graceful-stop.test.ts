// A graceful stop (app.close(), SIGTERM in `cpms serve`): no new handshakes, every charger socket closed
// with 1001 (going away) and every disconnection recorded before close() resolves (the database is
// destroyed right after), and no write aborted on the way.
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import winston from 'winston';
import { startTestApp } from '../../helpers/app.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { nextEvent } from '../../helpers/wait.ts';
import { aBootNotification, aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

/** A logger that keeps every entry (level info and up) for the test to read. */
function aRecordingLogger() {
  const entries: Array<{ level: string; message: string }> = [];
  const stream = new Writable({
    objectMode: true,
    write(info: { level: string; message: string }, _encoding, done) {
      entries.push(info);
      done();
    },
  });
  return { logger: winston.createLogger({ level: 'info', transports: [new winston.transports.Stream({ stream })] }), entries };
}

describe('e2e graceful stop with chargers connected', () => {
  let testDb: TestDb;
  before(async () => {
    testDb = await createTestDb();
  });
  after(async () => {
    await testDb?.destroy();
  });

  it('should close 20 chargers with 1001 and record all 20 disconnected, each with a Disconnected event, before close() resolves, logging no failure', async () => {
    // Arrange
    const { logger, entries } = aRecordingLogger();
    const t = await startTestApp(testDb, { logger });
    const ids = await Promise.all(Array.from({ length: 20 }, () => aRegisteredCharger(t.app.services)));
    const connected = ids.map((id) => nextEvent(t.app.events, 'charger.connected', (e) => e.chargePointId === id));
    const clients = await Promise.all(ids.map((id) => connectCharger(t, id, { password: CHARGER_PASSWORD })));
    await Promise.all(clients.map((c) => c.call('BootNotification', aBootNotification())));
    await Promise.all(connected);
    const closes = clients.map((c) => once(c, 'close') as Promise<[{ code: number }]>);

    // Act
    await t.close();

    // Assert
    const rows = await testDb.db('charge_points').whereIn('id', ids).select('is_connected', 'connected_node', 'connection_id');
    expect(rows.filter((r) => r.is_connected || r.connected_node || r.connection_id)).to.deep.equal([]);
    const events = await testDb.db('charge_point_events').whereIn('charge_point_id', ids).where({ type: 'Disconnected' });
    expect(events.map((e) => e.charge_point_id).sort()).to.deep.equal([...ids].sort());
    expect(new Set(events.map((e) => e.payload.code))).to.deep.equal(new Set([1001]));
    expect((await Promise.all(closes)).map(([e]) => e.code)).to.deep.equal(ids.map(() => 1001));
    expect(entries.filter((e) => e.level === 'error' || /failed/.test(e.message))).to.deep.equal([]);
  });

});
