// OCPP 2.0.1 display messages (issue 12, functional block O): Set/Get/ClearDisplayMessage through the admin API
// for stations that speak 2.0.1 (a 1.6 charger has no such message: 409), NotifyDisplayMessages kept.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectRaw, rawCall } from '../../helpers/charger.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootedCharger201 } from '../../fixtures/ocpp201.ts';

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
