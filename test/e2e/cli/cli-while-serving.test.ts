// The CLI while `cpms serve` runs on the embedded database (issue 7), all as real processes on one
// DATA_DIR: commands run inside the server through its control socket and act on its data at once; a
// second server is refused while the first keeps serving; a killed server's stale lock is taken over.
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectCharger } from '../../helpers/charger.ts';
import { aBootNotification } from '../../fixtures/chargers.ts';
import { cpmsEnv, runCpms, runCpmsIn, startServer, stopServer, type ServerProcess } from '../../helpers/cpms-process.ts';
import { acquireOwnerLock } from '../../../src/db/owner-lock.ts';

const ocppUrlOf = (server: ServerProcess) => server.lines.get('ocpp')!.url!.replace('/{chargePointId}', '');

describe('e2e cpms CLI while cpms serve runs (real processes, embedded database)', function () {
  this.timeout(180_000); // each process loads TypeScript; the server creates and migrates a database
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let server: ServerProcess;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cpms-cli-serve-'));
    env = cpmsEnv(dataDir, { LOG_LEVEL: 'warn' }); // CLI commands print only their own lines
    server = await startServer(cpmsEnv(dataDir));
  });
  after(async () => {
    if (server) await stopServer(server, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should add a charger and tokens through the running server, which accepts them at once (Authorize → Accepted)', async () => {
    // Act: the commands run while the server owns the database (three token adds at the same time)
    const charger = await runCpms(env, 'charger', 'add', 'CP-E2E-CLI-1', '--password', 'e2e-cli-password-1');
    const tokens = await Promise.all(['TAG-E2E-CLI-1', 'TAG-E2E-CLI-2', 'TAG-E2E-CLI-3'].map((uid) => runCpms(env, 'token', 'add', uid)));
    const client = await connectCharger({ ocppUrl: ocppUrlOf(server) }, 'CP-E2E-CLI-1', { password: 'e2e-cli-password-1' });
    try {
      const boot = await client.call('BootNotification', aBootNotification());
      const authorized = await Promise.all(['TAG-E2E-CLI-1', 'TAG-E2E-CLI-3', 'TAG-E2E-CLI-UNKNOWN'].map((idTag) => client.call('Authorize', { idTag })));

      // Assert
      expect([charger.code, charger.out]).to.deep.equal([0, 'charger CP-E2E-CLI-1 registered']);
      expect(tokens.map((t) => [t.code, t.out])).to.deep.equal([
        [0, 'token TAG-E2E-CLI-1 added (RFID)'],
        [0, 'token TAG-E2E-CLI-2 added (RFID)'],
        [0, 'token TAG-E2E-CLI-3 added (RFID)'],
      ]);
      expect((boot as { status: string }).status).to.equal('Accepted');
      expect(authorized.map((a) => (a as { idTagInfo: { status: string } }).idTagInfo.status)).to.deep.equal(['Accepted', 'Accepted', 'Invalid']);
    } finally {
      await client.close({ force: true });
    }
  });

  it('should import a CSV file named by a path relative to the caller, whose chargers the server accepts at once (issue 8)', async () => {
    // Arrange: the file is in the caller's working directory, not the server's
    const cwd = join(dataDir, 'imports');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'fleet.csv'), 'id,password\nCP-E2E-CSV-1,e2e-csv-password-1\nCP-E2E-CSV-2,e2e-csv-password-2\n');
    // Act
    const imported = await runCpmsIn(cwd, env, 'charger', 'import', 'fleet.csv');
    const client = await connectCharger({ ocppUrl: ocppUrlOf(server) }, 'CP-E2E-CSV-2', { password: 'e2e-csv-password-2' });
    try {
      const boot = await client.call('BootNotification', aBootNotification());
      // Assert
      expect([imported.code, imported.out]).to.deep.equal([0, 'line 2\tCP-E2E-CSV-1\tcreated\nline 3\tCP-E2E-CSV-2\tcreated\n2 created, 0 existing (unchanged)']);
      expect((boot as { status: string }).status).to.equal('Accepted');
    } finally {
      await client.close({ force: true });
    }
  });

  it('should set a load group price curve from a file named by a path relative to the caller, through the running server (issue 10)', async () => {
    // Arrange: the file is in the caller's working directory, not the server's
    const cwd = join(dataDir, 'curves');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'curve.json'), JSON.stringify({ currency: 'EUR', basePricePerKwh: 0.25 }));
    const added = await runCpms(env, 'load-group', 'add', 'Served site', '--max-current', '63', '--phases', '3');
    const id = /^load group (\d+) /.exec(added.out)![1]!;
    // Act
    const set = await runCpmsIn(cwd, env, 'load-group', 'price-curve', id, '--file', 'curve.json');
    // Assert
    expect(set.code, set.out).to.equal(0);
    expect(JSON.parse(set.out)).to.include({ groupId: Number(id), isInherited: false, currency: 'EUR', basePricePerKwh: 0.25 });
  });

  it("should invite a partner through the running server, whose token A works at once on the server's /ocpi/versions", async () => {
    const invite = await runCpms(env, 'partner', 'invite', '--country', 'DE', '--party', 'CLI', '--role', 'EMSP');

    expect(invite.code, invite.out).to.equal(0);
    const versionsUrl = /versions URL: (\S+)/.exec(invite.out)![1]!;
    const tokenA = /token A: (\S+)/.exec(invite.out)![1]!;
    expect(versionsUrl).to.equal(`${server.httpUrl}/ocpi/versions`); // the server's bound port, not PORT=0
    const res = await fetch(versionsUrl, { headers: { authorization: `Token ${Buffer.from(tokenA).toString('base64')}` } });
    expect([res.status, (await res.json()).status_code]).to.deep.equal([200, 1000]);
  });

  it('should add an operator through the running server, who logs in at once with the one-time password; the change is audited', async () => {
    const added = await runCpms(env, 'operator', 'add', 'e2e-cli@example.com', '--role', 'viewer');
    const oneTime = /one-time password \(shown only this once; to be changed at the first login\): (\S+)/.exec(added.out)?.[1];
    const login = await fetch(`${server.httpUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'e2e-cli@example.com', password: oneTime }) });
    const key = readFileSync(join(dataDir, 'initial-admin-key'), 'utf8').trim();
    const audit = await fetch(`${server.httpUrl}/api/v1/audit?entityType=operators&entityId=e2e-cli@example.com`, { headers: { authorization: `Bearer ${key}` } });

    expect(added.code, added.out).to.equal(0);
    expect([login.status, (await login.json()).operator.mustChangePassword]).to.deep.equal([200, true]);
    expect((await audit.json()).data.map((e: { source: string; action: string }) => [e.source, e.action])).to.deep.equal([['cli', 'cli operator add']]);
  });

  it('should exit 2 with the message for bad input and a duplicate run in the server, exactly as standalone', async () => {
    const shortPassword = await runCpms(env, 'charger', 'add', 'CP-E2E-CLI-BAD', '--password', 'short');
    const duplicate = await runCpms(env, 'charger', 'add', 'CP-E2E-CLI-DUP', '--password', 'e2e-cli-password-2').then(() => runCpms(env, 'charger', 'add', 'CP-E2E-CLI-DUP', '--password', 'e2e-cli-password-2'));
    const badRole = await runCpms(env, 'apikey', 'create', '--role', 'root');

    expect([shortPassword.code, duplicate.code, badRole.code]).to.deep.equal([2, 2, 2]);
    expect(shortPassword.out).to.match(/^error: password: /);
    expect(duplicate.out).to.match(/^error: .*CP-E2E-CLI-DUP.* already exists/);
    expect(badRole.out).to.match(/^error: role: /);
  });

  it('should refuse a second cpms serve on the same DATA_DIR with a message naming the first, which keeps serving', async () => {
    const second = await runCpms(env, 'serve');
    const health = await fetch(`${server.httpUrl}/healthz`);

    expect(second.code).to.equal(1);
    expect(second.out).to.include(`error: the embedded database in ${dataDir} is in use by process ${server.child.pid} (\`cpms serve\`, since `);
    expect(health.status).to.equal(200);
    expect(server.child.exitCode).to.equal(null);
  });

  it('should keep the first admin key out of the log, in DATA_DIR/initial-admin-key (0600), working on the admin API; the control socket is owner-only', async () => {
    const file = join(dataDir, 'initial-admin-key');
    const key = readFileSync(file, 'utf8').trim();
    const chargers = await fetch(`${server.httpUrl}/api/v1/chargers`, { headers: { authorization: `Bearer ${key}` } });

    expect(key).to.match(/^cpms_/);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(server.output()).not.to.include(key);
    expect(server.output()).to.include(file);
    expect(chargers.status).to.equal(200);
    expect(statSync(server.lines.get('cli')!.path!).mode & 0o777).to.equal(0o600);
  });
});

describe('e2e cpms serve after kill -9, and the CLI without a server (real processes)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let server: ServerProcess | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cpms-cli-stale-'));
    env = cpmsEnv(dataDir, { LOG_LEVEL: 'warn' });
  });
  afterEach(async () => {
    if (server) await stopServer(server, 'SIGKILL');
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should let a new serve take over the lock and socket of a killed one, keep the data, and leave no lock after SIGTERM', async () => {
    // Arrange: a server that is killed without any chance to clean up
    server = await startServer(cpmsEnv(dataDir));
    expect((await runCpms(env, 'token', 'add', 'TAG-E2E-STALE')).code).to.equal(0);
    await stopServer(server, 'SIGKILL');
    const leftBehind = [existsSync(join(dataDir, 'cpms.lock')), existsSync(join(dataDir, 'cpms.sock'))];

    // Act
    server = await startServer(cpmsEnv(dataDir));
    const forwarded = await runCpms(env, 'token', 'add', 'TAG-E2E-STALE');
    const code = await stopServer(server);

    // Assert
    expect(leftBehind).to.deep.equal([true, true]);
    expect([forwarded.code, forwarded.out]).to.deep.equal([2, 'error: token TAG-E2E-STALE already exists']);
    expect(code, server.output()).to.equal(0);
    expect([existsSync(join(dataDir, 'cpms.lock')), existsSync(join(dataDir, 'cpms.sock'))]).to.deep.equal([false, false]);
  });

  it('should run the CLI standalone on the same directory when no server runs, and refuse it clearly while another command owns it', async () => {
    const added = await runCpms(env, 'token', 'add', 'TAG-E2E-ALONE');
    const holder = acquireOwnerLock(dataDir, 'cpms partner register');
    let refused: Awaited<ReturnType<typeof runCpms>>;
    try {
      refused = await runCpms(env, 'token', 'add', 'TAG-E2E-REFUSED');
    } finally {
      holder.release();
    }

    expect([added.code, added.out]).to.deep.equal([0, 'token TAG-E2E-ALONE added (RFID)']);
    expect(refused.code).to.equal(1);
    expect(refused.out).to.include(`is in use by process ${process.pid} (\`cpms partner register\`, since `).and.include('It takes no CLI commands');
  });
});
