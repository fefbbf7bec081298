// OCPP 1.6-J security profile 2: Basic auth over TLS. The server is started with a test-only
// self-signed certificate (test/fixtures/tls); the charger trusts it as its CA.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { RPCClient } from 'ocpp-rpc';
import { WebSocket } from 'ws';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { trackOpen } from '../../helpers/leak-guard.ts';
import { aBootNotification, aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

const certFile = new URL('../../fixtures/tls/cert.pem', import.meta.url).pathname;
const keyFile = new URL('../../fixtures/tls/key.pem', import.meta.url).pathname;

describe('e2e OCPP security profile 2 (TLS)', () => {
  let wssUrl: string;
  const t = useTestApp({ overrides: { 'tls.certFile': certFile, 'tls.keyFile': keyFile } });

  before(async () => {
    wssUrl = t.ocppUrl.replace(/^ws:/, 'wss:');
  });

  function aTlsCharger(identity: string, password: string): InstanceType<typeof RPCClient> {
    const client = new RPCClient({
      endpoint: wssUrl,
      identity,
      password,
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
      wsOpts: { ca: readFileSync(certFile) },
    } as ConstructorParameters<typeof RPCClient>[0]);
    trackOpen({ name: `tls charger ${identity}`, isOpen: () => client.state !== RPCClient.CLOSED, forceClose: async () => void (await client.close({ force: true })) });
    return client;
  }

  it('OCPP 1.6-J security profile 2: should accept a charger with Basic auth over wss:// and answer its BootNotification', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const client = aTlsCharger(id, CHARGER_PASSWORD);

    await client.connect();
    const boot = (await client.call('BootNotification', aBootNotification())) as { status: string };
    await client.close();

    expect(boot.status).to.equal('Accepted');
    expect((await t.db('charge_points').where({ id }).first()).vendor).to.equal('TestVendor');
  });

  it('should refuse a wrong password over wss:// at the handshake', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const client = aTlsCharger(id, 'not-the-password');

    const failure = await client.connect().then(() => undefined, (err: Error) => err);
    await client.close({ force: true });

    expect(failure?.message).to.equal('Unauthorized');
  });

  it('should not serve a plain ws:// connection on the TLS port', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const auth = `Basic ${Buffer.from(`${id}:${CHARGER_PASSWORD}`).toString('base64')}`;
    const ws = new WebSocket(`${t.ocppUrl}/${id}`, ['ocpp1.6'], { headers: { authorization: auth } });

    // A TLS server reads the plain HTTP upgrade as a bad handshake and drops the socket.
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('error', () => resolve('refused'));
    });
    ws.terminate();

    expect(outcome).to.equal('refused');
    expect(t.app.connections.get(id)).to.equal(undefined);
  });
});
