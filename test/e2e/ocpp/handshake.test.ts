// OCPP-J 1.6 §3 connection set-up: path, subprotocol, HTTP Basic auth (security profile 1), onboarding.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, handshakeStatus } from '../../helpers/charger.ts';
import { nextEvent } from '../../helpers/wait.ts';
import { aBootNotification, aChargerId, aRegisteredCharger, aStartTransaction, aStatusNotification, aToken, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e OCPP handshake', () => {
  const t = useTestApp();

  it('OCPP-J §3.1.2: should negotiate ocpp1.6 with a charger offering only ocpp1.6 and record the charger as connected', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const connected = nextEvent(t.app.events, 'charger.connected', (e) => e.chargePointId === id);

    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD, protocols: ['ocpp1.6'] });
    await connected;

    expect(client.protocol).to.equal('ocpp1.6');
    const row = await t.db('charge_points').where({ id }).first();
    expect([row.is_connected, row.is_online, row.connected_node]).to.deep.equal([true, true, 'test-node']);
    const disconnected = nextEvent(t.app.events, 'charger.disconnected', (e) => e.chargePointId === id);
    await client.close();
    await disconnected;
    expect((await t.db('charge_points').where({ id }).first()).is_connected).to.equal(false);
  });

  it('OCPP security profile 1: should refuse a wrong password with 401 before the socket opens', async () => {
    const id = await aRegisteredCharger(t.app.services);

    const res = await handshakeStatus(t, id, { password: 'not-the-password' });

    expect(res.status).to.equal(401);
    expect(t.app.connections.get(id)).to.equal(undefined);
  });

  it('OCPP security profile 1: should refuse a registered charger that sends no credentials with 401', async () => {
    const id = await aRegisteredCharger(t.app.services);

    expect((await handshakeStatus(t, id)).status).to.equal(401);
  });

  it('OCPP security profile 1: should refuse Basic credentials whose user is another charger', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const other = await aRegisteredCharger(t.app.services);

    const res = await handshakeStatus(t, id, { authorization: `Basic ${Buffer.from(`${other}:${CHARGER_PASSWORD}`).toString('base64')}` });

    expect(res.status).to.equal(401);
  });

  it('OCPP security profile 1: should refuse an unknown charger with 401 and create no row', async () => {
    const id = aChargerId('unknown');

    const res = await handshakeStatus(t, id, { password: CHARGER_PASSWORD });

    expect(res.status).to.equal(401);
    expect(await t.db('charge_points').where({ id }).first()).to.equal(undefined);
  });

  it('OCPP-J §3.1.2: should refuse a client offering no supported subprotocol', async () => {
    const id = await aRegisteredCharger(t.app.services);

    const res = await handshakeStatus(t, id, { password: CHARGER_PASSWORD, protocols: ['ocpp1.5', 'wamp'] });

    expect(res.status).to.equal(400);
    expect(res.body).to.match(/subprotocol/);
  });

  it('should refuse a handshake on a path outside the OCPP endpoint with 404', async () => {
    const res = await handshakeStatus({ ocppUrl: `${t.httpUrl.replace('http', 'ws')}/not-ocpp` }, 'CP-x', { password: CHARGER_PASSWORD });

    expect(res.status).to.equal(404);
  });

  it('should drop the older socket when the same charger connects again', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const first = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    const firstClosed = new Promise((resolve) => first.once('close', resolve));

    const second = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    await firstClosed;
    const res = (await second.call('Heartbeat', {})) as { currentTime: string };
    await second.close();

    expect(res.currentTime).to.be.a('string');
  });
});

describe('e2e OCPP onboarding (ocpp.acceptUnknownChargers)', () => {
  const t = useTestApp({ overrides: { 'ocpp.acceptUnknownChargers': true } });

  it('OCPP16 §4.2.1 BootNotification: should answer Pending with the pending interval to an unknown charger and register it', async () => {
    const id = aChargerId('onboard');
    const client = await connectCharger(t, id, { password: 'onboarding-pw-1' });

    const res = (await client.call('BootNotification', aBootNotification())) as any;
    await client.close();

    expect([res.status, res.interval]).to.deep.equal(['Pending', t.config.ocpp.pendingIntervalSec]);
    const row = await t.db('charge_points').where({ id }).first();
    expect(row.registration_status).to.equal('Pending');
  });

  it('OCPP16 §4.2.1: should refuse StartTransaction from a Pending charger with SecurityError but accept StatusNotification', async () => {
    const id = aChargerId('onboard');
    const idTag = await aToken(t.app.services);
    const client = await connectCharger(t, id, { password: 'onboarding-pw-2' });
    await client.call('BootNotification', aBootNotification());

    const status = await client.call('StatusNotification', aStatusNotification());
    const start = await client.call('StartTransaction', aStartTransaction(idTag)).catch((e: unknown) => e);
    await client.close();

    expect(status).to.deep.equal({});
    expect((start as { rpcErrorCode: string }).rpcErrorCode).to.equal('SecurityError');
  });

  it('should let an operator accept an onboarded charger, which then boots as Accepted', async () => {
    // Arrange
    const id = aChargerId('onboard');
    const first = await connectCharger(t, id, { password: 'onboarding-pw-3' });
    await first.call('BootNotification', aBootNotification());
    await first.close();

    // Act
    const put = await t.api('PUT', `/api/v1/chargers/${id}/registration`, { status: 'Accepted' });
    const again = await connectCharger(t, id, { password: 'onboarding-pw-3' });
    const res = (await again.call('BootNotification', aBootNotification())) as any;
    await again.close();

    // Assert
    expect(put.status).to.equal(200);
    expect(res.status).to.equal('Accepted');
  });

  it('should keep the password an onboarding charger first presented', async () => {
    const id = aChargerId('onboard');
    const client = await connectCharger(t, id, { password: 'onboarding-pw-4' });
    await client.close();

    const res = await handshakeStatus(t, id, { password: 'another-password' });

    expect(res.status).to.equal(401);
  });

  it('OCPP16 §4.2.1 BootNotification: should answer Rejected to a charger an operator rejected', async () => {
    const id = await aRegisteredCharger(t.app.services, { status: 'Rejected' });
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });

    const res = (await client.call('BootNotification', aBootNotification())) as any;
    await client.close();

    expect(res.status).to.equal('Rejected');
  });
});
