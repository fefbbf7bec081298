// `cpms simulate` as a real process against the app started in this test process: --register creates the
// chargers and id tags through the admin API, the fleet runs to the end and the summary is printed.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aLocationViaApi, FLEET_PASSWORD } from '../../fixtures/simulator.ts';

const BIN = new URL('../../../bin/cpms.js', import.meta.url).pathname;

/** Runs `cpms simulate …` to its end; resolves with its exit code and output. */
function simulate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // A database no one can reach: the simulator is a client and must not open one (it would fail here).
  const env = { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', DATA_DIR: '/nonexistent/cpms-data' };
  const child = spawn(process.execPath, [BIN, 'simulate', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('e2e cpms simulate (a real process)', function () {
  this.timeout(120_000); // a process that loads the TypeScript sources, then runs for its --duration
  const t = useTestApp();

  it('should register its chargers and id tags, run sessions, print the summary and exit 0', async () => {
    // Arrange
    const prefix = `CLI${randomBytes(2).toString('hex').toUpperCase()}-`;
    const locationId = await aLocationViaApi(t);

    // Act
    const run = await simulate([
      '--url', t.ocppUrl, '--chargers', '2', '--duration', '6', '--register', '--api-key', t.adminKey, '--location', locationId,
      '--id-prefix', prefix, '--password', FLEET_PASSWORD, '--meter-interval', '0.1', '--session-probability', '1',
      '--session-duration', '0.5', '--idle-time', '0.1', '--reconnect-min', '0.1',
    ]);

    // Assert
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const ids = [`${prefix}00001`, `${prefix}00002`];
    expect((await t.db('charge_points').whereIn('id', ids).orderBy('id')).map((c) => [c.id, c.location_id])).to.deep.equal(ids.map((id) => [id, locationId]));
    expect((await t.db('id_tokens').whereIn('uid', [`T${prefix}00001`, `T${prefix}00002`])).length).to.equal(2);
    expect(run.stdout).to.include('registered at').and.include('chargers 2 created, 0 existing; id tags 2 created, 0 existing');
    expect(run.stdout).to.include('chargers: 2, connected 2, accepted 2');
    // The printed counts are the server's: every session started was also stopped at the end.
    const sessions = await t.db('sessions').whereIn('charge_point_id', ids);
    expect(sessions.every((s) => s.status === 'COMPLETED')).to.equal(true);
    expect(run.stdout).to.include(`sessions: started ${sessions.length}, stopped ${sessions.length}`);
    expect(run.stdout).to.match(/latency: p50 [\d.]+ ms, p99 [\d.]+ ms/).and.include('errors: 0');
  });

  it('should run a mixed fleet with --protocol mixed: every other charger speaks OCPP 2.0.1, and both run sessions', async () => {
    // Arrange
    const prefix = `CLM${randomBytes(2).toString('hex').toUpperCase()}-`;
    const locationId = await aLocationViaApi(t);

    // Act
    const run = await simulate([
      '--url', t.ocppUrl, '--chargers', '2', '--duration', '5', '--register', '--api-key', t.adminKey, '--location', locationId,
      '--id-prefix', prefix, '--password', FLEET_PASSWORD, '--protocol', 'mixed', '--meter-interval', '0.1', '--session-probability', '1',
      '--session-duration', '0.5', '--idle-time', '0.1', '--reconnect-min', '0.1',
    ]);
    const badShare = await simulate(['--url', t.ocppUrl, '--chargers', '1', '--duration', '1', '--protocol', 'mixed', '--ocpp201-share', '2']);

    // Assert
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const ids = [`${prefix}00001`, `${prefix}00002`];
    expect((await t.db('charge_points').whereIn('id', ids).orderBy('id')).map((c) => c.protocol)).to.deep.equal(['ocpp1.6', 'ocpp2.0.1']);
    const completed = await t.db('sessions').whereIn('charge_point_id', ids).where({ status: 'COMPLETED' }).distinct('charge_point_id');
    expect(completed.map((r) => r.charge_point_id).sort()).to.deep.equal(ids);
    expect(run.stdout).to.include('protocols: ocpp1.6 1, ocpp2.0.1 1').and.include('errors: 0');
    expect(badShare.code).to.equal(2); // a usage error
    expect(badShare.stderr + badShare.stdout).to.include('--ocpp201-share: must be between 0 and 1');
  });

  it('should keep what exists when registering again, and print the summary as JSON', async () => {
    const prefix = `CLJ${randomBytes(2).toString('hex').toUpperCase()}-`;
    const common = ['--url', t.ocppUrl, '--chargers', '1', '--duration', '1', '--register', '--api-key', t.adminKey, '--id-prefix', prefix, '--password', FLEET_PASSWORD, '--no-sessions'];
    await simulate(common);
    const again = await simulate([...common, '--json']);
    expect(again.code, again.stdout + again.stderr).to.equal(0);
    expect(again.stdout).to.include('chargers 0 created, 1 existing; id tags 0 created, 1 existing');
    const summary = JSON.parse(again.stdout.slice(again.stdout.indexOf('{')));
    expect([summary.chargers, summary.sessionsStarted]).to.deep.equal([1, 0]);
  });

  it('should print the connection errors and exit 1 when no charger can connect', async () => {
    const refused = await simulate(['--url', t.ocppUrl, '--chargers', '1', '--duration', '1', '--id-prefix', 'UNKNOWN-', '--password', 'not-registered-1']);
    expect(refused.code).to.equal(1);
    expect(refused.stdout).to.include('chargers: 1, connected 0, accepted 0').and.include('cannot connect: handshake refused: HTTP 401').and.include('error: no charger could connect');
  });
});
