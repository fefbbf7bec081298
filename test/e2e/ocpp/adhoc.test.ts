// Ad hoc access (issue 9): POST /adhoc/sessions starts a session at an EVSE with a generated token and
// RemoteStartTransaction where the location allows it, and cpms stops it with RemoteStopTransaction once its
// energy reaches the bound; refused where ad hoc charging is not allowed.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { aStartTransaction, aStatusNotification, aStopTransaction, anEnergyReading } from '../../fixtures/chargers.ts';
import { eventually, nextEvent } from '../../helpers/wait.ts';

describe('e2e ad hoc sessions', () => {
  const t = useTestApp();

  /** A charger on a new location's EVSE with connector 1, answering remote starts and stops as told. */
  async function anAdhocCharger(o: { start?: 'Accepted' | 'Rejected' } = {}) {
    const booted = await aBootedChargerAtEvse(t);
    await booted.client.call('StatusNotification', aStatusNotification({ connectorId: 1 }));
    const charger = { ...booted, starts: [] as any[], stops: [] as any[] };
    booted.client.handle('RemoteStartTransaction', async ({ params }: any) => {
      charger.starts.push(params);
      return { status: o.start ?? 'Accepted' };
    });
    booted.client.handle('RemoteStopTransaction', async ({ params }: any) => {
      charger.stops.push(params);
      return { status: 'Accepted' };
    });
    return charger;
  }

  it('should start a session with a generated AD_HOC_USER token and stop it with RemoteStopTransaction at the energy bound', async () => {
    // Arrange
    const charger = await anAdhocCharger();
    await t.api('PUT', `/api/v1/locations/${charger.locationId}/adhoc`, { allowed: true, maxEnergyWh: 5000 });

    // Act
    const created = await t.api('POST', '/api/v1/adhoc/sessions', { evseUid: charger.evseUid, maxEnergyWh: 3000 });
    const { idTag } = created.body;
    const authorized = (await charger.client.call('Authorize', { idTag })) as any;
    const started = (await charger.client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 10_000 }))) as any;
    await charger.client.call('MeterValues', anEnergyReading(started.transactionId, '12999'));
    const isStoppedBelowBound = await t.app.services.adhoc.stopAtBound(started.transactionId);
    await charger.client.call('MeterValues', anEnergyReading(started.transactionId, '13000'));
    const stops = await eventually(async () => (charger.stops.length > 0 ? charger.stops : undefined), 'RemoteStopTransaction');
    const shown = (await t.api('GET', `/api/v1/adhoc/sessions/${created.body.id}`)).body;
    await charger.client.call('StopTransaction', aStopTransaction(started.transactionId, { meterStop: 13_000, reason: 'Remote' }));
    await eventually(async () => ((await t.db('id_tokens').where({ uid: idTag }).first()).valid ? undefined : true), 'the ad hoc token blocked');
    const reused = (await charger.client.call('Authorize', { idTag })) as any;
    await charger.client.close();

    // Assert
    expect(created.status).to.equal(201);
    expect(created.body).to.deep.include({ evseUid: charger.evseUid, chargePointId: charger.id, connectorId: 1, maxEnergyWh: 3000, status: 'ACCEPTED' });
    expect(idTag).to.match(/^AH[0-9A-F]{18}$/);
    expect(charger.starts).to.deep.equal([{ connectorId: 1, idTag }]);
    expect([authorized.idTagInfo.status, started.idTagInfo.status]).to.deep.equal(['Accepted', 'Accepted']);
    expect(isStoppedBelowBound).to.equal(false);
    expect(stops).to.deep.equal([{ transactionId: started.transactionId }]);
    expect(shown.sessionId).to.equal(started.transactionId);
    expect((await t.db('id_tokens').where({ uid: idTag }).first()).type).to.equal('AD_HOC_USER');
    expect(reused.idTagInfo.status, 'an ad hoc token is good for one session').to.equal('Blocked');
  });

  it('should send RemoteStopTransaction once when several checks see the bound reached at the same time (race, PostgreSQL)', async () => {
    // Arrange
    const charger = await anAdhocCharger();
    await t.api('PUT', `/api/v1/locations/${charger.locationId}/adhoc`, { allowed: true, maxEnergyWh: 1000 });
    const { idTag } = (await t.api('POST', '/api/v1/adhoc/sessions', { evseUid: charger.evseUid })).body;
    const started = (await charger.client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 0 }))) as any;

    // Act: the MeterValues' own check races with five more
    await charger.client.call('MeterValues', anEnergyReading(started.transactionId, '1500'));
    const claims = await Promise.all(Array.from({ length: 5 }, () => t.app.services.adhoc.stopAtBound(started.transactionId)));
    await eventually(async () => (charger.stops.length > 0 ? true : undefined), 'RemoteStopTransaction');
    const lateClaim = await t.app.services.adhoc.stopAtBound(started.transactionId);
    await charger.client.close();

    // Assert
    expect(claims.filter(Boolean).length).to.be.at.most(1);
    expect(lateClaim).to.equal(false);
    expect(charger.stops).to.deep.equal([{ transactionId: started.transactionId }]);
  });

  it('should stop an ad hoc session when its cost so far (incl. VAT, priced as its CDR) reaches the amount bound', async () => {
    // Arrange: 0.50 EUR/kWh + 21% VAT = 0.605 EUR/kWh
    const charger = await anAdhocCharger();
    await t.api('PUT', `/api/v1/tariffs/ADHOC-${charger.locationId}`, { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 21, step_size: 1 }] }] });
    await t.api('POST', `/api/v1/tariffs/ADHOC-${charger.locationId}/assignments`, { locationId: charger.locationId });
    const configured = await t.api('PUT', `/api/v1/locations/${charger.locationId}/adhoc`, { allowed: true, maxAmount: 1.15 });
    const created = (await t.api('POST', '/api/v1/adhoc/sessions', { evseUid: charger.evseUid })).body;
    const minutesAgo = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
    const started = (await charger.client.call('StartTransaction', aStartTransaction(created.idTag, { meterStart: 0, timestamp: minutesAgo(10) }))) as any;

    // Act
    await charger.client.call('MeterValues', anEnergyReading(started.transactionId, '1800', { timestamp: minutesAgo(5) })); // 1.089 EUR
    const isStoppedBelow = await t.app.services.adhoc.stopAtBound(started.transactionId);
    await charger.client.call('MeterValues', anEnergyReading(started.transactionId, '1901', { timestamp: minutesAgo(1) })); // 1.150 EUR
    const stops = await eventually(async () => (charger.stops.length > 0 ? charger.stops : undefined), 'RemoteStopTransaction');
    await charger.client.close();

    // Assert
    expect(configured.body).to.deep.equal({ locationId: charger.locationId, allowed: true, maxEnergyWh: null, maxAmount: 1.15 });
    expect([created.maxAmount, created.maxEnergyWh]).to.deep.equal([1.15, null]);
    expect(isStoppedBelow).to.equal(false);
    expect(stops).to.deep.equal([{ transactionId: started.transactionId }]);
  });

  it('should answer 409 and block the token when the charger is not connected', async () => {
    const charger = await anAdhocCharger();
    await t.api('PUT', `/api/v1/locations/${charger.locationId}/adhoc`, { allowed: true, maxEnergyWh: 2000 });
    const disconnected = nextEvent(t.app.events, 'charger.disconnected', (e) => e.chargePointId === charger.id);
    await charger.client.close();
    await disconnected;

    const res = await t.api('POST', '/api/v1/adhoc/sessions', { evseUid: charger.evseUid });

    expect(res.status).to.equal(409);
    expect(await t.db('id_tokens').where({ type: 'AD_HOC_USER', valid: true }).whereIn('id', t.db('adhoc_sessions').where({ evse_uid: charger.evseUid }).select('token_fk'))).to.deep.equal([]);
    expect((await t.db('adhoc_sessions').where({ evse_uid: charger.evseUid })).map((r: any) => r.status)).to.deep.equal(['REJECTED']);
  });

  it("should bound a session by the operator's maximum when more is asked for", async () => {
    const charger = await anAdhocCharger();
    await t.api('PUT', `/api/v1/locations/${charger.locationId}/adhoc`, { allowed: true, maxEnergyWh: 2000 });

    const created = await t.api('POST', '/api/v1/adhoc/sessions', { evseUid: charger.evseUid, maxEnergyWh: 9000 });
    await charger.client.close();

    expect(created.body.maxEnergyWh).to.equal(2000);
  });

  it('should refuse with 409 where ad hoc charging is not allowed: not enabled, or a restricted location', async () => {
    // Arrange
    const notEnabled = await anAdhocCharger();
    const restricted = await anAdhocCharger();
    await t.api('PUT', `/api/v1/locations/${restricted.locationId}/adhoc`, { allowed: true, maxEnergyWh: 2000 });
    await t.api('PUT', `/api/v1/locations/${restricted.locationId}/access`, { accessMode: 'restricted' });

    // Act
    const results = [
      await t.api('POST', '/api/v1/adhoc/sessions', { evseUid: notEnabled.evseUid }),
      await t.api('POST', '/api/v1/adhoc/sessions', { evseUid: restricted.evseUid }),
    ];
    await Promise.all([notEnabled.client.close(), restricted.client.close()]);

    // Assert
    expect(results.map((r) => r.status)).to.deep.equal([409, 409]);
    expect(results[0].body.error.message).to.include('not allowed');
    expect([notEnabled.starts, restricted.starts]).to.deep.equal([[], []]);
  });

  it('should answer 409 when the charger rejects the start, 404 for an unknown EVSE and 400 for bad input', async () => {
    const charger = await anAdhocCharger({ start: 'Rejected' });
    await t.api('PUT', `/api/v1/locations/${charger.locationId}/adhoc`, { allowed: true, maxEnergyWh: 2000 });

    const results = [
      await t.api('POST', '/api/v1/adhoc/sessions', { evseUid: charger.evseUid }),
      await t.api('POST', '/api/v1/adhoc/sessions', { evseUid: 'NO-SUCH-EVSE' }),
      await t.api('POST', '/api/v1/adhoc/sessions', {}),
      await t.api('POST', '/api/v1/adhoc/sessions', { evseUid: charger.evseUid, maxEnergyWh: 0 }),
      await t.api('PUT', `/api/v1/locations/${charger.locationId}/adhoc`, { allowed: true }),
      await t.api('PUT', '/api/v1/locations/NO-SUCH-LOCATION/adhoc', { allowed: false }),
    ];
    await charger.client.close();

    expect(results.map((r) => r.status)).to.deep.equal([409, 404, 400, 400, 400, 404]);
    expect((await t.db('id_tokens').where({ uid: charger.starts[0].idTag }).first()).valid, 'the rejected start token').to.equal(false);
  });
});
