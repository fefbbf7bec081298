// Issue 8, durability of the group commit: a real `cpms serve` receiving MeterValues from several chargers
// is killed with SIGKILL; every MeterValues a charger got a CALLRESULT for must be in the database when it
// is opened again (a CALLRESULT is sent only after the COMMIT of the batch holding it). On the embedded
// database (a data directory), or on the PostgreSQL server when DATABASE_URL is set.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpmsEnv, startServer, stopServer, type ServerProcess } from '../../helpers/cpms-process.ts';
import { connectCharger, type ChargerClient } from '../../helpers/charger.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { eventually } from '../../helpers/wait.ts';
import { createDb } from '../../../src/db/knex.ts';
import { aBootNotification, aChargerId } from '../../fixtures/chargers.ts';
import type { MeterValuesRequest } from '../../../src/ocpp/v16/types.ts';

const CHARGERS = 10;
/** Answered MeterValues after which the server is killed (while the chargers keep sending). */
const KILL_AFTER = 200;
const T0 = Date.parse('2030-01-01T00:00:00Z');

/** Reading `k` of a charger: its own timestamp, so each answered MeterValues is one row to look for. */
const aReading = (k: number): MeterValuesRequest => ({
  connectorId: 1,
  meterValue: [{ timestamp: new Date(T0 + k * 1000).toISOString(), sampledValue: [{ value: String(k), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
});

describe('e2e cpms serve killed with SIGKILL while receiving MeterValues (a real process)', function () {
  this.timeout(180_000); // a fresh embedded database is created and migrated, then opened again
  let dataDir: string;
  let server: ServerProcess | undefined;
  let testDb: TestDb | undefined;
  const clients: ChargerClient[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cpms-crash-'));
    if (process.env.DATABASE_URL) testDb = await createTestDb();
  });
  after(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await Promise.all(clients.map((c) => c.close({ force: true })));
    await testDb?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function registeredChargers(adminUrl: string, adminKey: string): Promise<string[]> {
    const ids = Array.from({ length: CHARGERS }, () => aChargerId('crash'));
    for (const id of ids) {
      const res = await fetch(`${adminUrl}/chargers`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ id, password: `password-of-${id}` }) });
      expect(res.status, await res.text()).to.equal(201);
    }
    return ids;
  }

  /** Sends readings 1, 2, … in a closed loop until a call fails (the server died); returns the k answered. */
  async function sendUntilKilled(client: ChargerClient, answered: number[], onAnswer: () => void): Promise<void> {
    for (let k = 1; ; k++) {
      try {
        await client.call('MeterValues', aReading(k));
      } catch {
        return;
      }
      answered.push(k);
      onAnswer();
    }
  }

  it('should have stored every MeterValues it answered before it was killed', async () => {
    // Arrange: registered chargers, connected and booted
    server = await startServer(cpmsEnv(dataDir, { DATABASE_URL: testDb?.databaseUrl ?? '' }), ['ocpp', 'admin', 'health']);
    const ocppUrl = server.lines.get('ocpp')!.url!.replace('/{chargePointId}', '');
    const keyFile = join(dataDir, 'initial-admin-key');
    const adminKey = await eventually(async () => (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() || undefined : undefined), 'the first admin key file', 30_000);
    const ids = await registeredChargers(server.lines.get('admin')!.url!, adminKey);
    for (const id of ids) clients.push(await connectCharger({ ocppUrl }, id, { password: `password-of-${id}` }));
    await Promise.all(clients.map((c) => c.call('BootNotification', aBootNotification())));

    // Act: all send in a closed loop; SIGKILL once enough were answered
    const answered: number[][] = ids.map(() => []);
    let total = 0;
    const killed = server;
    const onAnswer = () => {
      if (++total === KILL_AFTER) killed.child.kill('SIGKILL');
    };
    await Promise.all(clients.map((c, i) => sendUntilKilled(c, answered[i]!, onAnswer)));
    expect(await stopServer(killed)).to.equal(null); // died of the signal, not of its own accord

    // Assert: the database opened again (the embedded one recovers from its WAL) holds every answered reading
    const db = testDb ? testDb.db : createDb({ databaseUrl: '', dataDir });
    try {
      const rows = await db('meter_values').whereIn('charge_point_id', ids).select('charge_point_id', 'value');
      const stored = new Set(rows.map((r) => `${r.charge_point_id}#${r.value}`));
      const missing = ids.flatMap((id, i) => answered[i]!.filter((k) => !stored.has(`${id}#${k}`)).map((k) => `${id}#${k}`));
      expect(total).to.be.at.least(KILL_AFTER);
      expect(missing, `${missing.length} of ${total} answered MeterValues lost`).to.deep.equal([]);
    } finally {
      if (!testDb) await db.destroy();
    }
  });
});
