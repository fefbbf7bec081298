// SIGTERM to a real `cpms serve` with chargers connected: it must record them disconnected (the embedded
// database is closed only after that) and exit 0, instead of exiting at once with them recorded as connected.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpmsEnv, startServer, stopServer, type ServerProcess } from '../../helpers/cpms-process.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { createDb } from '../../../src/db/knex.ts';
import { aBootNotification, aChargerId } from '../../fixtures/chargers.ts';

describe('e2e cpms serve stopped by SIGTERM with chargers connected (a real process)', function () {
  this.timeout(120_000); // a fresh embedded database is created and migrated, twice opened
  let dataDir: string;
  let server: ServerProcess | undefined;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cpms-sigterm-'));
  });
  after(() => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should close the chargers, record them disconnected in the data dir and exit 0', async () => {
    // Arrange: three chargers onboarded (Pending, with their own passwords) and recorded as connected
    server = await startServer(cpmsEnv(dataDir, { OCPP_ACCEPT_UNKNOWN_CHARGERS: 'true' }), ['ocpp', 'admin', 'health']);
    const { lines } = server;
    const ocppUrl = lines.get('ocpp')!.url!.replace('/{chargePointId}', '');
    // The first admin key is written to DATA_DIR/initial-admin-key (never to the log), just after the log lines.
    const keyFile = join(dataDir, 'initial-admin-key');
    const adminKey = await eventually(async () => (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() || undefined : undefined), 'the first admin key file');
    const ids = [aChargerId('term'), aChargerId('term'), aChargerId('term')];
    const clients = await Promise.all(ids.map((id, i) => connectCharger({ ocppUrl }, id, { password: `charger-password-${i}` })));
    await Promise.all(clients.map((c) => c.call('BootNotification', aBootNotification())));
    const isConnected = async (id: string) => (await (await fetch(`${lines.get('admin')!.url}/chargers/${id}`, { headers: { authorization: `Bearer ${adminKey}` } })).json()).isConnected;
    for (const id of ids) await eventually(() => isConnected(id), `${id} recorded as connected`);
    const closes = clients.map((c) => new Promise<number>((resolve) => c.once('close', ({ code }: { code: number }) => resolve(code))));

    // Act
    const code = await stopServer(server);

    // Assert
    expect(code, server.output()).to.equal(0);
    expect(await Promise.all(closes)).to.deep.equal([1001, 1001, 1001]);
    expect(server.output()).to.not.match(/failed/);
    const db = createDb({ databaseUrl: '', dataDir });
    try {
      const rows = await db('charge_points').whereIn('id', ids).orderBy('id');
      expect(rows.map((r) => [r.id, r.is_connected])).to.deep.equal([...ids].sort().map((id) => [id, false]));
      const events = await db('charge_point_events').whereIn('charge_point_id', ids).where({ type: 'Disconnected' });
      expect(events.map((e) => [e.charge_point_id, e.payload.code]).sort()).to.deep.equal([...ids].sort().map((id) => [id, 1001]));
    } finally {
      await db.destroy();
    }
  });
});
