// The driver API (issue 11) against a simulated charger: the finder with availability, connector, power and
// the price in words, an ad hoc start by EVSE, the session followed and stopped by its key, the CDR's cost.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aPricedAdhocSite } from '../../fixtures/web.ts';

describe('e2e web: driver API', () => {
  const t = useTestApp();
  const driver = (method: string, path: string, body?: unknown) => t.api(method, `/api/v1/driver${path}`, body, { key: null });

  it('should list and open an EVSE with its availability, connector, power and price in plain words, without credentials', async () => {
    // Arrange
    const site = await aPricedAdhocSite(t);
    await site.fleet.whenOnline();
    await eventually(async () => (await driver('GET', `/evses/${site.evseUid}`)).body.availability === 'AVAILABLE' || undefined, 'the EVSE available');

    // Act
    const list = await driver('GET', `/evses?locationId=${site.locationId}&limit=10`);
    const one = await driver('GET', `/evses/${site.evseUid}`);
    const missing = await driver('GET', '/evses/NO-SUCH-EVSE');
    await site.fleet.stop();

    // Assert
    expect(list.status).to.equal(200);
    expect(list.body.data.map((e: any) => e.evseUid)).to.deep.equal([site.evseUid]);
    expect(one.body).to.deep.include({ evseUid: site.evseUid, availability: 'AVAILABLE', connectorType: 'IEC_62196_T2', maxPowerKw: 22.08, price: '€0.35/kWh, €2.00/h after 2 h parking', adhocAllowed: true });
    expect(one.body.location).to.deep.include({ id: site.locationId, latitude: 52.09, longitude: 5.12 });
    expect(missing.status).to.equal(404);
  });

  it('should start ad hoc, show the running cost, stop with the key and show the final cost from the CDR', async () => {
    // Arrange
    const site = await aPricedAdhocSite(t);
    await site.fleet.whenOnline();
    await eventually(async () => (await driver('GET', `/evses/${site.evseUid}`)).body.availability === 'AVAILABLE' || undefined, 'the EVSE available');

    // Act
    const started = await driver('POST', `/evses/${site.evseUid}/start`, {});
    const key = started.body.key;
    const charging = await eventually(async () => {
      const s = (await driver('GET', `/sessions/${key}`)).body;
      return s.status === 'CHARGING' && s.cost && s.cost.amount > 0 ? s : undefined;
    }, 'a running cost', 20_000);
    const stopped = await driver('POST', `/sessions/${key}/stop`);
    const final = await eventually(async () => {
      const s = (await driver('GET', `/sessions/${key}`)).body;
      return s.status === 'STOPPED' && s.cdrId ? s : undefined;
    }, 'the CDR', 20_000);
    const cdr = await t.db('cdrs').where({ cdr_id: final.cdrId }).first();
    const stopAgain = await driver('POST', `/sessions/${key}/stop`);
    const badKey = await driver('GET', '/sessions/not-a-key');
    await site.fleet.stop();

    // Assert
    expect(started.status).to.equal(201);
    expect(started.body.evseUid).to.equal(site.evseUid);
    expect(charging.cost.currency).to.equal('EUR');
    expect(charging.cost.text).to.match(/^€\d+\.\d{2}/);
    expect(stopped.body).to.deep.equal({ status: 'Accepted' });
    expect(final.cost.amount).to.equal(Number(cdr.total_cost_incl_vat));
    expect(final.kWh).to.be.greaterThan(0);
    expect(stopAgain.status).to.equal(409);
    expect(badKey.status).to.equal(400);
  });

  it('should refuse an ad hoc start where the location does not allow it with 409', async () => {
    // Arrange
    const site = await aPricedAdhocSite(t, { start: false });
    await t.api('PUT', `/api/v1/locations/${site.locationId}/adhoc`, { allowed: false });

    // Act
    const res = await driver('POST', `/evses/${site.evseUid}/start`, {});
    await site.fleet.stop();

    // Assert
    expect(res.status).to.equal(409);
    expect(res.body.error.message).to.match(/not allowed/);
  });

  it('should answer bad input with a 4xx naming it, never a 500', async () => {
    // Arrange
    const site = await aPricedAdhocSite(t, { start: false });
    await site.fleet.stop();

    // Act
    const answers = await Promise.all([
      driver('GET', '/evses?limit=0'),
      driver('GET', '/evses/%00'),
      driver('GET', `/evses/${'x'.repeat(300)}`),
      t.api('POST', `/api/v1/driver/evses/${site.evseUid}/start`, undefined, { key: null, rawBody: '[1]' }),
      t.api('POST', `/api/v1/driver/evses/${site.evseUid}/start`, undefined, { key: null, rawBody: '{"maxEnergyWh' }),
      driver('POST', `/evses/${site.evseUid}/start`, { maxEnergyWh: -1 }),
      driver('POST', '/sessions/AH000000000000000000/stop'),
      driver('GET', '/no-such-route'),
    ]);

    // Assert
    expect(answers.map((a) => a.status)).to.deep.equal([400, 400, 404, 400, 400, 400, 404, 404]);
    expect(answers.every((a) => typeof a.body.error?.message === 'string')).to.equal(true);
  });
});
