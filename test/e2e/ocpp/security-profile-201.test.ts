// OCPP 2.0.1 security profiles (issue 13) over real TLS with certificates made in the test: A05 "Upgrade
// Charging Station Security Profile" (SetNetworkProfile → SetVariables NetworkConfigurationPriority → Reset
// OnIdle, recorded when the station reconnects with the new profile, no fall back afterwards: A00.FR), and
// profile 3 client certificates refused alike on both subprotocols. Raw 2.0.1 frames (ocpp-rpc, strict).
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RPCClient } from 'ocpp-rpc';
import { Agent, fetch as tlsFetch } from 'undici';
import { checkDocumentedAnswer } from '../../helpers/openapi-responses.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { trackOpen } from '../../helpers/leak-guard.ts';
import { nextEvent } from '../../helpers/wait.ts';
import { aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aClientCert, aTestCa, type TestCa, type TestClientCert } from '../../fixtures/certificates.ts';

const certFile = new URL('../../fixtures/tls/cert.pem', import.meta.url).pathname;
const keyFile = new URL('../../fixtures/tls/key.pem', import.meta.url).pathname;
const PRIORITY = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NetworkConfigurationPriority' } };

type Client = InstanceType<typeof RPCClient>;
type Answers = Partial<Record<'GetVariables' | 'SetNetworkProfile' | 'SetVariables' | 'Reset', Record<string, unknown>>>;

describe('e2e OCPP 2.0.1 security profiles (A05 raise, A00 no fall back, profile 3 certificates)', () => {
  const caFile = join(mkdtempSync(join(tmpdir(), 'cpms-sec201-')), 'ca.pem');
  let ca: TestCa;
  let otherCa: TestCa;
  // Registered before the app's hook: the CA file must exist when the server starts.
  before(async () => {
    [ca, otherCa] = await Promise.all([aTestCa('operator CA'), aTestCa('someone else')]);
    writeFileSync(caFile, ca.certPem);
  });
  // Many refused handshakes from 127.0.0.1 in one file: no per-address back-off here (tested elsewhere).
  const t = useTestApp({ overrides: { 'tls.certFile': certFile, 'tls.keyFile': keyFile, 'tls.caFile': caFile, 'ocpp.callTimeoutSec': 2, 'ocpp.auth.backoff.failuresPerAddress': 0, 'ocpp.auth.backoff.failuresPerId': 0 } });

  /** The admin API over this server's HTTPS (t.api speaks plain HTTP), answers checked against openapi.yaml. */
  async function api(method: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
    const dispatcher = new Agent({ connect: { ca: readFileSync(certFile) } });
    try {
      const res = await tlsFetch(`${t.httpUrl.replace(/^http:/, 'https:')}${path}`, { method, dispatcher, headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const parsed = await res.json();
      checkDocumentedAnswer(method, path, res.status, parsed);
      return { status: res.status, body: parsed };
    } finally {
      await dispatcher.close();
    }
  }

  function aTlsStation(identity: string, o: { cert?: TestClientCert; password?: string; protocol?: string } = {}): Client {
    const client = new RPCClient({
      endpoint: t.ocppUrl.replace(/^ws:/, 'wss:'),
      identity,
      password: o.password ?? null,
      protocols: [o.protocol ?? 'ocpp2.0.1'],
      strictMode: true,
      reconnect: false,
      wsOpts: { ca: readFileSync(certFile), ...(o.cert ? { cert: o.cert.certPem, key: o.cert.keyPem } : {}) },
    } as ConstructorParameters<typeof RPCClient>[0]);
    trackOpen({ name: `tls station ${identity}`, isOpen: () => client.state !== RPCClient.CLOSED, forceClose: async () => void (await client.close({ force: true })) });
    return client;
  }

  async function tryConnect(client: Client): Promise<string> {
    const outcome = await client.connect().then(() => 'open', (err: Error) => err.message);
    await client.close({ force: true });
    return outcome;
  }

  const profileOf = async (id: string): Promise<number | null> => (await t.db('charge_points').where({ id }).first()).security_profile;

  const ACCEPTING: Required<Answers> = {
    GetVariables: { getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: '0', ...PRIORITY }] },
    SetNetworkProfile: { status: 'Accepted' },
    SetVariables: { setVariableResult: [{ attributeStatus: 'Accepted', ...PRIORITY }] },
    Reset: { status: 'Accepted' },
  };

  /** A registered 2.0.1 station connected at profile 2 (Basic auth over TLS), answering the A05 CALLs; the CALLs it got, in order. */
  async function aProfile2Station(answers: Answers = {}): Promise<{ id: string; client: Client; calls: Array<[string, any]> }> {
    const id = await aRegisteredCharger(t.app.services);
    const client = aTlsStation(id, { password: CHARGER_PASSWORD });
    const calls: Array<[string, any]> = [];
    for (const [action, answer] of Object.entries({ ...ACCEPTING, ...answers })) {
      client.handle(action, async ({ params }: { params?: unknown }) => (calls.push([action, params]), answer));
    }
    const connected = nextEvent(t.app.events, 'charger.connected', (e) => e.chargePointId === id);
    await client.connect();
    await connected;
    return { id, client, calls };
  }

  it('OCPP 2.0.1 A05: should send SetNetworkProfile with wss and the new profile, put its slot first, Reset OnIdle, and record profile 3 only when the station reconnects with it', async () => {
    // Arrange
    const { id, client, calls } = await aProfile2Station();

    // Act
    const res = await api('POST', `/api/v1/chargers/${id}/security-profile`, { profile: 3 });
    const recordedBefore = await profileOf(id);
    await client.close();
    const withCert = await tryConnect(aTlsStation(id, { cert: await aClientCert(ca, id) }));
    const recordedAfter = await profileOf(id);
    const fallBack = await tryConnect(aTlsStation(id, { password: CHARGER_PASSWORD }));

    // Assert
    expect([res.status, res.body]).to.deep.equal([200, { status: 'Accepted', securityProfile: 3, configurationSlot: 1 }]);
    expect(calls.map(([action]) => action)).to.deep.equal(['GetVariables', 'SetNetworkProfile', 'SetVariables', 'Reset']);
    const network = calls[1][1];
    expect(network.configurationSlot).to.equal(1);
    expect(network.connectionData).to.include({ ocppVersion: 'OCPP20', ocppTransport: 'JSON', securityProfile: 3, ocppInterface: 'Wired0' });
    expect(network.connectionData.ocppCsmsUrl).to.match(/^wss:\/\/127\.0\.0\.1:\d+\/ocpp\/$/);
    expect(calls[2][1]).to.deep.equal({ setVariableData: [{ ...PRIORITY, attributeValue: '1,0' }] });
    expect(calls[3][1]).to.deep.equal({ type: 'OnIdle' });
    expect([recordedBefore, withCert, recordedAfter, fallBack]).to.deep.equal([2, 'open', 3, 'Unauthorized']);
  });

  it('OCPP 2.0.1 A05: should write slot 1 and list only it when the station cannot report its NetworkConfigurationPriority, and a requested slot when given', async () => {
    const unknown = await aProfile2Station({ GetVariables: { getVariableResult: [{ attributeStatus: 'UnknownVariable', ...PRIORITY }] } });
    const requested = await aProfile2Station({ GetVariables: { getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: '0,1', ...PRIORITY }] } });

    const first = await api('POST', `/api/v1/chargers/${unknown.id}/security-profile`, { profile: 3 });
    const second = await api('POST', `/api/v1/chargers/${requested.id}/security-profile`, { profile: 3, configurationSlot: 2 });
    await Promise.all([unknown.client.close(), requested.client.close()]);

    expect([first.body.configurationSlot, unknown.calls[1][1].configurationSlot, unknown.calls[2][1].setVariableData[0].attributeValue]).to.deep.equal([1, 1, '1']);
    expect([second.body.configurationSlot, requested.calls[1][1].configurationSlot, requested.calls[2][1].setVariableData[0].attributeValue]).to.deep.equal([2, 2, '2,0,1']);
  });

  for (const [step, answers, sent] of [
    ['SetNetworkProfile', { SetNetworkProfile: { status: 'Rejected' } }, ['GetVariables', 'SetNetworkProfile']],
    ['SetVariables OCPPCommCtrlr.NetworkConfigurationPriority', { SetVariables: { setVariableResult: [{ attributeStatus: 'Rejected', ...PRIORITY }] } }, ['GetVariables', 'SetNetworkProfile', 'SetVariables']],
    ['Reset OnIdle', { Reset: { status: 'Rejected' } }, ['GetVariables', 'SetNetworkProfile', 'SetVariables', 'Reset']],
  ] as const) {
    it(`OCPP 2.0.1 A05: should answer 409 naming the step when the station rejects ${step.split(' ')[0]}, stop there and change nothing stored`, async () => {
      const { id, client, calls } = await aProfile2Station(answers);

      const res = await api('POST', `/api/v1/chargers/${id}/security-profile`, { profile: 3 });
      await client.close();

      expect([res.status, res.body.error.message]).to.deep.equal([409, `${step}: the station answered Rejected; its profile is unchanged`]);
      expect(calls.map(([action]) => action)).to.deep.equal(sent);
      expect(await profileOf(id)).to.equal(2);
      expect(await tryConnect(aTlsStation(id, { password: CHARGER_PASSWORD }))).to.equal('open');
    });
  }

  it('OCPP 2.0.1 A05: should answer 502 when the station answers a step with a CALLERROR, send nothing after it and store nothing', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const client = aTlsStation(id, { password: CHARGER_PASSWORD });
    const calls: string[] = [];
    client.handle('GetVariables', async () => (calls.push('GetVariables'), ACCEPTING.GetVariables));
    client.handle(async ({ method }: { method?: string }) => {
      calls.push(method ?? '?');
      throw new Error('not here');
    });
    const connected = nextEvent(t.app.events, 'charger.connected', (e) => e.chargePointId === id);
    await client.connect();
    await connected;

    const res = await api('POST', `/api/v1/chargers/${id}/security-profile`, { profile: 3 });
    await client.close();

    expect(res.status).to.equal(502);
    expect(res.body.error.message).to.match(/^SetNetworkProfile to station .+ failed: .+; its profile is unchanged$/);
    expect(calls).to.deep.equal(['GetVariables', 'SetNetworkProfile']);
    expect(await profileOf(id)).to.equal(2);
  });

  it('should refuse a configurationSlot that is not an integer >= 0 with 400 before sending anything, and a profile not above the recorded one with 409', async () => {
    const { id, client, calls } = await aProfile2Station();

    const badSlot = await api('POST', `/api/v1/chargers/${id}/security-profile`, { profile: 3, configurationSlot: -1 });
    const notHigher = await api('POST', `/api/v1/chargers/${id}/security-profile`, { profile: 2 });
    await client.close();

    expect([badSlot.status, badSlot.body.error.message]).to.deep.equal([400, 'configurationSlot: must be an integer >= 0']);
    expect([notHigher.status, notHigher.body.error.message]).to.deep.equal([409, `charger ${id} is at security profile 2: a profile can only be raised`]);
    expect(calls).to.deep.equal([]);
  });

  for (const protocol of ['ocpp2.0.1', 'ocpp1.6']) {
    it(`A00 / 1.6 security §2.1 (${protocol}): should refuse an expired client certificate and one of another CA with 401, even with the right password, and admit a valid one`, async () => {
      const id = await aRegisteredCharger(t.app.services);

      const expired = await tryConnect(aTlsStation(id, { protocol, cert: await aClientCert(ca, id, { expired: true }), password: CHARGER_PASSWORD }));
      const wrongCa = await tryConnect(aTlsStation(id, { protocol, cert: await aClientCert(otherCa, id), password: CHARGER_PASSWORD }));
      const wrongCn = await tryConnect(aTlsStation(id, { protocol, cert: await aClientCert(ca, `${id}-other`), password: CHARGER_PASSWORD }));
      const valid = await tryConnect(aTlsStation(id, { protocol, cert: await aClientCert(ca, id) }));

      expect([expired, wrongCa, wrongCn, valid]).to.deep.equal(['Unauthorized', 'Unauthorized', 'Unauthorized', 'open']);
      expect(await profileOf(id)).to.equal(3);
    });
  }

  it('A00.FR: should refuse a 2.0.1 station that connected with profile 3 when it falls back to Basic auth over TLS (profile 2)', async () => {
    const id = await aRegisteredCharger(t.app.services);

    const withCert = await tryConnect(aTlsStation(id, { cert: await aClientCert(ca, id) }));
    const fallBack = await tryConnect(aTlsStation(id, { password: CHARGER_PASSWORD }));

    expect([withCert, fallBack]).to.deep.equal(['open', 'Unauthorized']);
  });
});
