// Limits on what one charger can make the server do: the frame size (a 16 MB DataTransfer was stored) and
// the rate of its calls. Each is configurable and refused with a clear close code or CALLERROR, storing
// nothing, without affecting other chargers.
import { once } from 'node:events';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, connectRaw, rawCall } from '../../helpers/charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { aBootNotification, aRegisteredCharger, aStatusNotification, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e OCPP frame size limit (ocpp.maxFrameBytes)', () => {
  const t = useTestApp();

  it('RFC 6455 §7.4.1: should close the socket of a charger sending a 1 MB DataTransfer with 1009, store nothing, and keep serving another charger', async () => {
    // Arrange
    const big = await aRegisteredCharger(t.app.services);
    const other = await aRegisteredCharger(t.app.services);
    const sock = await connectRaw(t, big, { password: CHARGER_PASSWORD });
    const otherClient = await connectCharger(t, other, { password: CHARGER_PASSWORD });
    const closed = once(sock.ws, 'close');

    // Act
    sock.send([2, 'big-1', 'DataTransfer', { vendorId: 'acme', data: 'x'.repeat(1024 * 1024) }]);
    const [code] = (await closed) as [number];
    const heartbeat = (await otherClient.call('Heartbeat', {})) as { currentTime: string };
    await otherClient.close();

    // Assert
    expect(code).to.equal(1009);
    expect(heartbeat.currentTime).to.be.a('string');
    expect(await t.db('charge_point_events').where({ charge_point_id: big, type: 'DataTransfer' })).to.deep.equal([]);
    await eventually(async () => (await t.db('charge_points').where({ id: big }).first()).is_connected === false, 'the disconnection to be recorded');
  });

  it('should take a DataTransfer just below the limit', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });

    const res = await client.call('DataTransfer', { vendorId: 'acme', data: 'x'.repeat(t.config.ocpp.maxFrameBytes - 200) });
    await client.close();

    expect(res).to.deep.equal({ status: 'UnknownVendorId' });
  });
});

describe('e2e OCPP inbound call rate limit (ocpp.rateLimit)', () => {
  const clock = fixedClock(new Date('2026-03-01T10:00:00Z'));
  const t = useTestApp({ clock, overrides: { 'ocpp.rateLimit.callsPerSec': 1, 'ocpp.rateLimit.burst': 3 } });

  it('should answer the calls beyond the burst with a GenericError naming the limit and store nothing of them, until the bucket refills; other chargers unaffected', async () => {
    // Arrange
    const id = await aRegisteredCharger(t.app.services);
    const other = await aRegisteredCharger(t.app.services);
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD });
    await rawCall(sock, 'BootNotification', aBootNotification());
    const status = (n: number) => aStatusNotification({ connectorId: n, timestamp: clock.now().toISOString() });

    // Act
    const allowed = [await rawCall(sock, 'StatusNotification', status(1)), await rawCall(sock, 'StatusNotification', status(2))];
    const refused = await rawCall(sock, 'StatusNotification', status(3), 'over-1');
    const otherSock = await connectRaw(t, other, { password: CHARGER_PASSWORD });
    const otherBoot = await rawCall(otherSock, 'BootNotification', aBootNotification());
    clock.advance(1000);
    const refilled = await rawCall(sock, 'StatusNotification', status(4));
    await sock.close();
    await otherSock.close();

    // Assert
    expect(allowed.map((f) => f[0])).to.deep.equal([3, 3]);
    expect(refused).to.deep.equal([4, 'over-1', 'GenericError', 'rate limit exceeded: at most 1 calls per second (bursts of 3)', {}]);
    expect([otherBoot[0], refilled[0]]).to.deep.equal([3, 3]);
    const stored = await t.db('status_history').where({ charge_point_id: id }).orderBy('connector_number');
    expect(stored.map((r) => r.connector_number)).to.deep.equal([1, 2, 4]);
  });
});
