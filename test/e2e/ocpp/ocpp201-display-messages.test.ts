// OCPP 2.0.1 display messages (issue 12, functional block O): Set/Get/ClearDisplayMessage through the admin API
// for stations that speak 2.0.1 (a 1.6 charger has no such message: 409), NotifyDisplayMessages kept.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectRaw, rawCall } from '../../helpers/charger.ts';
import { aBootedCharger, aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { aLocation, anEvseUid, aStatusNotification, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootedCharger201, aStatusNotification201 } from '../../fixtures/ocpp201.ts';

const aMessage = (o: Record<string, unknown> = {}) => ({ id: 7, priority: 'NormalCycle', state: 'Idle', message: { format: 'UTF8', language: 'en', content: '€0.61/kWh' }, ...o });

describe('e2e OCPP 2.0.1 display messages', () => {
  const t = useTestApp();

  it('OCPP201 O01/O02/O04: should send Set/Get/ClearDisplayMessage unchanged and keep the NotifyDisplayMessages report', async () => {
    // Arrange
    const { id, client } = await aBootedCharger201(t);
    const received: Array<[string, unknown]> = [];
    for (const action of ['SetDisplayMessage', 'GetDisplayMessages', 'ClearDisplayMessage']) {
      client.handle(action, async ({ params }) => {
        received.push([action, params]);
        return { status: action === 'ClearDisplayMessage' ? 'Unknown' : 'Accepted' };
      });
    }

    // Act
    const set = await t.api('POST', `/api/v1/chargers/${id}/commands/SetDisplayMessage`, { message: aMessage() });
    const get = await t.api('POST', `/api/v1/chargers/${id}/commands/GetDisplayMessages`, { requestId: 3 });
    const notified = await client.call('NotifyDisplayMessages', { requestId: 3, messageInfo: [aMessage()] });
    const clear = await t.api('POST', `/api/v1/chargers/${id}/commands/ClearDisplayMessage`, { id: 8 });
    await client.close();

    // Assert
    expect([set.body.response, get.body.response, clear.body.response, notified]).to.deep.equal([{ status: 'Accepted' }, { status: 'Accepted' }, { status: 'Unknown' }, {}]);
    expect(received).to.deep.equal([['SetDisplayMessage', { message: aMessage() }], ['GetDisplayMessages', { requestId: 3 }], ['ClearDisplayMessage', { id: 8 }]]);
    const event = await t.db('charge_point_events').where({ charge_point_id: id, type: 'NotifyDisplayMessages' }).first();
    expect(typeof event.payload === 'string' ? JSON.parse(event.payload) : event.payload).to.deep.equal({ requestId: 3, messageInfo: [aMessage()] });
  });

  it('should answer 409 for a display message to a 1.6 charger and 400 for one the 2.0.1 schema refuses', async () => {
    const v16 = await aBootedCharger(t);
    const v201 = await aBootedCharger201(t);

    const to16 = await t.api('POST', `/api/v1/chargers/${v16.id}/commands/SetDisplayMessage`, { message: aMessage() });
    const bad = await t.api('POST', `/api/v1/chargers/${v201.id}/commands/SetDisplayMessage`, { message: aMessage({ priority: 'Loud' }) });
    await v16.client.close();
    await v201.client.close();

    expect([to16.status, bad.status]).to.deep.equal([409, 400]);
  });

  it('OCPP-J 2.0.1 §4.3: should answer a malformed NotifyDisplayMessages with a 2.0.1 CALLERROR and keep nothing', async () => {
    const { id, client } = await aBootedCharger201(t);
    await client.close();
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });

    const reply = await rawCall(sock, 'NotifyDisplayMessages', { messageInfo: [aMessage()] }, 'm1');
    await sock.close();

    expect(reply[2]).to.equal('OccurrenceConstraintViolation');
    expect(await t.db('charge_point_events').where({ charge_point_id: id, type: 'NotifyDisplayMessages' })).to.deep.equal([]);
  });
});

describe('e2e OCPP 2.0.1 price before a session on the display', () => {
  const t = useTestApp();

  /** A 2.0.1 station on EVSE 1 of a location priced 0.50 EUR/kWh + 21 % VAT. */
  async function aPricedStation() {
    const locationId = await aLocation(t.app.services);
    const station = await aBootedCharger201(t, { locationId, evseUid: anEvseUid() });
    await station.client.call('StatusNotification', aStatusNotification201());
    await t.api('PUT', `/api/v1/tariffs/PD-${locationId}`, { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 21, step_size: 1 }] }] });
    await t.api('POST', `/api/v1/tariffs/PD-${locationId}/assignments`, { locationId });
    return station;
  }

  it('OCPP201 O01: should send the connector tariff in words as an Idle display message of that EVSE', async () => {
    const { id, client } = await aPricedStation();
    const received: any[] = [];
    client.handle('SetDisplayMessage', async ({ params }) => {
      received.push(params);
      return { status: 'Accepted' };
    });

    const res = await t.api('POST', `/api/v1/chargers/${id}/price-display`, { connectorId: 1, language: 'de' });
    await client.close();

    expect(res.status).to.equal(200);
    expect(received).to.have.length(1);
    const m = received[0].message;
    expect([m.id, m.state, m.priority, m.message.language, m.message.format]).to.deep.equal([900_001, 'Idle', 'NormalCycle', 'de', 'UTF8']);
    expect(m.message.content).to.match(/0,605/);
    expect(res.body).to.deep.equal({ message: m, response: { status: 'Accepted' } });
  });

  it('should answer 400 for a bad language or connector, 404 for an unknown connector, 409 without a tariff or for a 1.6 charger, sending nothing', async () => {
    const priced = await aPricedStation();
    const bare = await aBootedCharger201(t);
    await bare.client.call('StatusNotification', aStatusNotification201());
    const v16 = await aBootedChargerAtEvse(t);
    await v16.client.call('StatusNotification', aStatusNotification({ connectorId: 1 }));
    // priced too, so that only its OCPP version refuses the display message
    await t.api('PUT', `/api/v1/tariffs/PD16-${v16.locationId}`, { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, step_size: 1 }] }] });
    await t.api('POST', `/api/v1/tariffs/PD16-${v16.locationId}/assignments`, { locationId: v16.locationId });
    let sent = 0;
    for (const c of [priced.client, bare.client, v16.client]) {
      c.handle('SetDisplayMessage', async () => {
        sent += 1;
        return { status: 'Accepted' };
      });
    }

    const statuses = [
      (await t.api('POST', `/api/v1/chargers/${priced.id}/price-display`, { language: 'xx-toolongvalue' })).status,
      (await t.api('POST', `/api/v1/chargers/${priced.id}/price-display`, { connectorId: 0 })).status,
      (await t.api('POST', `/api/v1/chargers/${priced.id}/price-display`, { connectorId: 5 })).status,
      (await t.api('POST', `/api/v1/chargers/${bare.id}/price-display`, {})).status,
    ];
    const to16 = await t.api('POST', `/api/v1/chargers/${v16.id}/price-display`, {});
    statuses.push(to16.status);
    for (const c of [priced.client, bare.client, v16.client]) await c.close();

    expect([statuses, sent]).to.deep.equal([[400, 400, 404, 409, 409], 0]);
    expect(to16.body.error.message).to.match(/OCPP 2\.0\.1 action/);
  });
});
