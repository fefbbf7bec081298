// OCPP 1.6 security whitepaper §2.1 security profile 3: TLS with a client certificate, on the same port as
// profiles 1 and 2. The certificate must chain to a CA in tls.caFile, be valid now and name the charger
// as its subject CN; a charger raised to a profile may not connect with a lower one. Certificates are made
// in the test (test/fixtures/certificates.ts); the server's own is test/fixtures/tls.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RPCClient } from 'ocpp-rpc';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { trackOpen } from '../../helpers/leak-guard.ts';
import { aBootNotification, aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aClientCert, aTestCa, type TestCa, type TestClientCert } from '../../fixtures/certificates.ts';

const certFile = new URL('../../fixtures/tls/cert.pem', import.meta.url).pathname;
const keyFile = new URL('../../fixtures/tls/key.pem', import.meta.url).pathname;

describe('e2e OCPP security profile 3 (TLS client certificates)', () => {
  const caFile = join(mkdtempSync(join(tmpdir(), 'cpms-sec13-')), 'ca.pem');
  let ca: TestCa;
  let otherCa: TestCa;
  // Registered before the app's hook: the CA file must exist when the server starts.
  before(async () => {
    [ca, otherCa] = await Promise.all([aTestCa('operator CA'), aTestCa('someone else')]);
    writeFileSync(caFile, ca.certPem);
  });
  const t = useTestApp({ overrides: { 'tls.certFile': certFile, 'tls.keyFile': keyFile, 'tls.caFile': caFile, 'ocpp.callTimeoutSec': 2 } });

  function aTlsCharger(identity: string, o: { cert?: TestClientCert; password?: string }): InstanceType<typeof RPCClient> {
    const client = new RPCClient({
      endpoint: t.ocppUrl.replace(/^ws:/, 'wss:'),
      identity,
      password: o.password ?? null,
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
      wsOpts: { ca: readFileSync(certFile), ...(o.cert ? { cert: o.cert.certPem, key: o.cert.keyPem } : {}) },
    } as ConstructorParameters<typeof RPCClient>[0]);
    trackOpen({ name: `tls charger ${identity}`, isOpen: () => client.state !== RPCClient.CLOSED, forceClose: async () => void (await client.close({ force: true })) });
    return client;
  }

  /** The handshake's outcome: 'open', or the refusal's message (ocpp-rpc names the HTTP status). */
  async function tryConnect(client: InstanceType<typeof RPCClient>): Promise<string> {
    const outcome = await client.connect().then(() => 'open', (err: Error) => err.message);
    await client.close({ force: true });
    return outcome;
  }

  const profileOf = async (id: string): Promise<number | null> => (await t.db('charge_points').where({ id }).first()).security_profile;

  it('OCPP 1.6 security §2.1 profile 3: should accept a charger whose client certificate names it and chains to the CA, and record profile 3', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const client = aTlsCharger(id, { cert: await aClientCert(ca, id) });

    await client.connect();
    const boot = (await client.call('BootNotification', aBootNotification())) as { status: string };
    await client.close();

    expect(boot.status).to.equal('Accepted');
    expect(await profileOf(id)).to.equal(3);
  });

  it('should refuse a client certificate issued by another CA with 401, even with the right password', async () => {
    const id = await aRegisteredCharger(t.app.services);

    expect(await tryConnect(aTlsCharger(id, { cert: await aClientCert(otherCa, id), password: CHARGER_PASSWORD }))).to.equal('Unauthorized');
  });

  it('should refuse an expired client certificate with 401, even with the right password', async () => {
    const id = await aRegisteredCharger(t.app.services);

    expect(await tryConnect(aTlsCharger(id, { cert: await aClientCert(ca, id, { expired: true }), password: CHARGER_PASSWORD }))).to.equal('Unauthorized');
  });

  it('should refuse a client certificate whose subject CN is another charger with 401, even with the right password', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const other = await aRegisteredCharger(t.app.services);

    expect(await tryConnect(aTlsCharger(id, { cert: await aClientCert(ca, other), password: CHARGER_PASSWORD }))).to.equal('Unauthorized');
  });

  it('should refuse a valid certificate of a charger that is not registered with 401', async () => {
    expect(await tryConnect(aTlsCharger('CP-unknown-sec13', { cert: await aClientCert(ca, 'CP-unknown-sec13') }))).to.equal('Unauthorized');
  });

  it('OCPP 1.6 security §2.1: should record profile 2 for Basic auth over TLS, and refuse it once the charger used profile 3', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const first = await tryConnect(aTlsCharger(id, { password: CHARGER_PASSWORD }));
    const profileBefore = await profileOf(id);

    const withCert = await tryConnect(aTlsCharger(id, { cert: await aClientCert(ca, id) }));
    const fallBack = await tryConnect(aTlsCharger(id, { password: CHARGER_PASSWORD }));

    expect([first, profileBefore, withCert, fallBack]).to.deep.equal(['open', 2, 'open', 'Unauthorized']);
    expect(await profileOf(id)).to.equal(3);
  });

  it('should raise a charger to profile 3 by ChangeConfiguration SecurityProfile once it answers Accepted, and then refuse its Basic-auth handshake', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const client = aTlsCharger(id, { password: CHARGER_PASSWORD });
    const seen: unknown[] = [];
    client.handle('ChangeConfiguration', async ({ params }) => {
      seen.push(params);
      return { status: 'Accepted' };
    });
    await client.connect();

    const answer = await t.app.services.chargerSecurity.raiseSecurityProfile(id, 3);
    await client.close();
    const fallBack = await tryConnect(aTlsCharger(id, { password: CHARGER_PASSWORD }));

    expect(seen).to.deep.equal([{ key: 'SecurityProfile', value: '3' }]);
    expect(answer).to.deep.equal({ status: 'Accepted', securityProfile: 3 });
    expect(fallBack).to.equal('Unauthorized');
  });

  it('should leave the profile unchanged when the charger rejects SecurityProfile (409), and refuse lowering it', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const client = aTlsCharger(id, { password: CHARGER_PASSWORD });
    client.handle('ChangeConfiguration', async () => ({ status: 'Rejected' }));
    await client.connect();

    const rejected = await t.app.services.chargerSecurity.raiseSecurityProfile(id, 3).catch((e: Error) => e.message);
    const lower = await t.app.services.chargerSecurity.raiseSecurityProfile(id, 1).catch((e: Error) => e.message);
    await client.close();

    expect(rejected).to.equal('ChangeConfiguration SecurityProfile: the charger answered Rejected; its profile is unchanged');
    expect(lower).to.equal(`charger ${id} is at security profile 2: a profile can only be raised`);
    expect(await profileOf(id)).to.equal(2);
  });
});
