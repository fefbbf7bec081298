// Issue 8 (reconnect storm): the connection records of many sockets share one transaction
// (ChargerConnectionService.connectWriter); each charger's row still names its own socket, and a socket
// that closes at once is recorded disconnected after its connection (never left "connected").
import { expect } from 'chai';
import type { BinaryLike } from 'node:crypto';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { connectCharger, handshakeStatus, type ChargerClient } from '../../helpers/charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { aRegisteredCharger } from '../../fixtures/chargers.ts';
import type { PasswordHasher } from '../../../src/shared/password.ts';

/** A hasher without a KDF (the KDF's bound would refuse a burst of handshakes with 503, not under test here). */
const plainPasswords: PasswordHasher = {
  hash: async (password: BinaryLike) => `plain$${String(password)}`,
  verify: async (password: BinaryLike, stored: string) => stored === `plain$${String(password)}`,
};
const PASSWORD = 'password-of-the-fleet';

describe('e2e connection records of many sockets at once', () => {
  let testDb: TestDb;
  let t: TestApp;
  const clients: ChargerClient[] = [];
  before(async () => {
    testDb = await createTestDb();
    t = await startTestApp(testDb, { passwords: plainPasswords });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close({ force: true })));
  });
  after(async () => {
    await t.close();
    await testDb.destroy();
  });

  async function fleet(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await aRegisteredCharger(t.app.services, { password: PASSWORD }));
    return ids;
  }

  it('should record each of many concurrent connections with its own socket, several per transaction', async () => {
    // Arrange
    const ids = await fleet(16);
    const before = { ...t.app.services.chargerConnections.connectWriter.stats };

    // Act
    clients.push(...(await Promise.all(ids.map((id) => connectCharger(t, id, { password: PASSWORD })))));

    // Assert
    const rows = await eventually(async () => {
      const r = await testDb.db('charge_points').whereIn('id', ids).where({ is_connected: true }).select('id', 'connection_id');
      return r.length === ids.length && r;
    }, 'every charger recorded as connected');
    const connectionIds = new Set(rows.map((r) => r.connection_id));
    expect(connectionIds.size).to.equal(ids.length);
    const events = await testDb.db('charge_point_events').whereIn('charge_point_id', ids).where({ type: 'Connected' }).select('charge_point_id', 'payload');
    expect(new Map(events.map((e) => [e.charge_point_id, (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload).connectionId]))).to.deep.equal(new Map(rows.map((r) => [r.id, r.connection_id])));
    const stats = t.app.services.chargerConnections.connectWriter.stats;
    expect(stats.items - before.items).to.equal(ids.length);
  });

  it('should record a socket that closes at once as disconnected, after its connection', async () => {
    // Arrange
    const ids = await fleet(12);

    // Act: each socket opens and is closed right away (handshakeStatus terminates it)
    const statuses = await Promise.all(ids.map((id) => handshakeStatus(t, id, { password: PASSWORD })));

    // Assert
    expect(statuses.map((s) => s.status)).to.deep.equal(ids.map(() => 101));
    await eventually(async () => {
      const events = await testDb.db('charge_point_events').whereIn('charge_point_id', ids).where({ type: 'Disconnected' }).count({ n: '*' }).first();
      return Number(events?.n) === ids.length;
    }, 'every disconnection recorded');
    const stillConnected = await testDb.db('charge_points').whereIn('id', ids).where({ is_connected: true }).pluck('id');
    expect(stillConnected).to.deep.equal([]);
  });
});
