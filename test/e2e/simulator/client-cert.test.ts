// `cpms simulate --cert --key --ca` (OCPP 1.6 security profile 3) as a real process against a TLS test
// server that asks for client certificates: the CA, the charger's certificate and a wrong one are made in
// the test (test/fixtures/certificates.ts); the server's own certificate is test/fixtures/tls.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aRegisteredCharger } from '../../fixtures/chargers.ts';
import { aClientCert, aTestCa, type TestCa } from '../../fixtures/certificates.ts';

const BIN = new URL('../../../bin/cpms.js', import.meta.url).pathname;
const serverCert = new URL('../../fixtures/tls/cert.pem', import.meta.url).pathname;
const serverKey = new URL('../../fixtures/tls/key.pem', import.meta.url).pathname;

/** Runs `cpms simulate …` (from the sources) to its end; resolves with its exit code and output. */
function simulate(args: string[]): Promise<{ code: number | null; out: string }> {
  // A database no one can reach: the simulator is a client and must not open one.
  const env = { ...process.env, CPMS_FROM_SOURCE: '1', LOG_LEVEL: 'warn', DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', DATA_DIR: '/nonexistent/cpms-data' };
  const child = spawn(process.execPath, [BIN, 'simulate', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('e2e cpms simulate with a client certificate (security profile 3)', function () {
  this.timeout(120_000); // a process that loads the TypeScript sources, then runs for its --duration
  const dir = mkdtempSync(join(tmpdir(), 'cpms-simcert-'));
  const caFile = join(dir, 'ca.pem');
  let ca: TestCa;
  // Before the app's hook: the CA file must exist when the server starts.
  before(async () => {
    ca = await aTestCa('simulator test CA');
    writeFileSync(caFile, ca.certPem);
  });
  const t = useTestApp({ overrides: { 'tls.certFile': serverCert, 'tls.keyFile': serverKey, 'tls.caFile': caFile } });

  /** A registered charger the simulator will play (id = prefix + 00001) and PEM files of a certificate for `cn`. */
  async function aChargerWithCertFor(cn: (id: string) => string) {
    const prefix = `CC${randomBytes(3).toString('hex').toUpperCase()}-`;
    const id = await aRegisteredCharger(t.app.services, { id: `${prefix}00001` });
    const cert = await aClientCert(ca, cn(id));
    const certFile = join(dir, `${id}.crt`);
    const keyFile = join(dir, `${id}.key`);
    writeFileSync(certFile, cert.certPem);
    writeFileSync(keyFile, cert.keyPem);
    const args = ['--url', t.ocppUrl.replace(/^ws:/, 'wss:'), '--chargers', '1', '--duration', '2', '--id-prefix', prefix, '--no-sessions', '--ca', serverCert, '--cert', certFile, '--key', keyFile, '--reconnect-min', '5'];
    return { id, args };
  }

  it('OCPP 1.6 security §2.1 profile 3: should connect and boot with its certificate only (no password) and be recorded at profile 3', async () => {
    const { id, args } = await aChargerWithCertFor((id) => id);

    const run = await simulate(args);

    expect(run.code, run.out).to.equal(0);
    expect(run.out).to.include('chargers: 1, connected 1, accepted 1');
    expect((await t.db('charge_points').where({ id }).first()).security_profile).to.equal(3);
  });

  it('should be refused (401, exit 1) with a certificate naming another charger', async () => {
    const { id, args } = await aChargerWithCertFor(() => 'SOMEONE-ELSE');

    const run = await simulate(args);

    expect(run.code).to.equal(1);
    expect(run.out).to.include('connected 0').and.match(/401/);
    expect((await t.db('charge_points').where({ id }).first()).security_profile).to.equal(null);
  });

  it('should refuse --cert without --key, and a certificate over ws://', async () => {
    const { args } = await aChargerWithCertFor((id) => id);
    const withoutKey = args.slice(0, args.indexOf('--key'));
    const overWs = args.map((a) => a.replace(/^wss:/, 'ws:'));

    const [noKey, plain] = await Promise.all([simulate(withoutKey), simulate(overWs)]);

    expect([noKey.code, plain.code]).to.deep.equal([2, 2]); // bad input: exit 2, as for any bad flag
    expect(noKey.out).to.include('--cert and --key: give both');
    expect(plain.out).to.include('--cert: needs a wss:// url');
  });
});
