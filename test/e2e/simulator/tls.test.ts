// OCPP 1.6-J security profile 2 for the simulator: Basic auth over wss://, trusting the CA it is given.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { registerFleet } from '../../../src/simulator/index.ts';
import { aFleet } from '../../fixtures/simulator.ts';

const certFile = new URL('../../fixtures/tls/cert.pem', import.meta.url).pathname;
const keyFile = new URL('../../fixtures/tls/key.pem', import.meta.url).pathname;

describe('e2e simulator over TLS (security profile 2)', () => {
  const t = useTestApp({ overrides: { 'tls.certFile': certFile, 'tls.keyFile': keyFile } });

  it('should register through https and boot over wss:// when trusting the server certificate', async () => {
    const fleet = aFleet({ ocppUrl: t.ocppUrl.replace(/^ws:/, 'wss:') }, { ca: readFileSync(certFile) });
    const registered = await registerFleet(fleet, { apiUrl: `${t.httpUrl.replace(/^http:/, 'https:')}/api/v1`, apiKey: t.adminKey });
    fleet.start();
    await fleet.whenOnline();
    const summary = await fleet.stop();
    expect([registered.chargers.created, summary.accepted]).to.deep.equal([1, 1]);
    expect((await t.db('charge_points').where({ id: fleet.chargers[0].id }).first()).vendor).to.equal('cpms');
  });

  it('should refuse a server certificate it was not told to trust', async () => {
    const fleet = aFleet({ ocppUrl: t.ocppUrl.replace(/^ws:/, 'wss:') });
    fleet.start();
    await eventually(async () => fleet.stats.errors > 0, 'a refused connection');
    const summary = await fleet.stop();
    expect(summary.connected).to.equal(0);
    expect(summary.errorSamples[0]).to.match(new RegExp(`^${fleet.chargers[0].id}: cannot connect: .*certificate`));
  });
});
