// Sockets that never speak or that died: an unauthenticated/Pending socket must send a BootNotification
// within ocpp.firstMessageTimeoutSec, an Accepted one may be silent for its heartbeat interval × the offline
// multiple, and a socket that does not answer the server's ping is terminated. Each close is recorded.
import { once } from 'node:events';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, connectRaw, rawCall } from '../../helpers/charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { aBootNotification, aChargerId, aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import type { TestApp } from '../../helpers/app.ts';

/** Waits until the charger's row says disconnected and returns its Disconnected events' codes. */
async function recordedDisconnection(t: TestApp, id: string): Promise<unknown[]> {
  await eventually(async () => (await t.db('charge_points').where({ id }).first()).is_connected === false, `${id} recorded disconnected`);
  const events = await t.db('charge_point_events').where({ charge_point_id: id, type: 'Disconnected' });
  return events.map((e) => e.payload.code);
}

describe('e2e OCPP sockets that never send a BootNotification (ocpp.firstMessageTimeoutSec)', () => {
  const t = useTestApp({ overrides: { 'ocpp.acceptUnknownChargers': true, 'ocpp.firstMessageTimeoutSec': 1 } });

  it('should close a socket without credentials that sends no BootNotification with 1008, but not an Accepted charger that reconnects without one (OCPP 1.6)', async () => {
    // Arrange
    const silent = aChargerId('silent');
    const accepted = await aRegisteredCharger(t.app.services);
    const silentSock = await connectRaw(t, silent);
    const acceptedSock = await connectRaw(t, accepted, { password: CHARGER_PASSWORD });
    const closed = once(silentSock.ws, 'close');

    // Act
    const [code, reason] = (await closed) as [number, Buffer];
    const heartbeat = await rawCall(acceptedSock, 'Heartbeat', {});
    await acceptedSock.close();

    // Assert
    expect([code, reason.toString()]).to.deep.equal([1008, 'no BootNotification within 1 s']);
    expect(heartbeat[0]).to.equal(3);
    expect(await recordedDisconnection(t, silent)).to.deep.equal([1008]);
  });

  it('should keep a Pending charger that sent its BootNotification in time', async () => {
    const pending = await aRegisteredCharger(t.app.services, { status: 'Pending' });
    const silent = aChargerId('silent');
    const pendingSock = await connectRaw(t, pending, { password: CHARGER_PASSWORD });
    const silentSock = await connectRaw(t, silent);
    const boot = await rawCall(pendingSock, 'BootNotification', aBootNotification());

    await once(silentSock.ws, 'close');
    const heartbeat = await rawCall(pendingSock, 'Heartbeat', {});
    await pendingSock.close();

    expect([boot[2].status, heartbeat[0]]).to.deep.equal(['Pending', 3]);
  });
});

describe('e2e OCPP silent Accepted chargers (heartbeat interval × ocpp.offlineAfterMissedHeartbeats)', () => {
  const t = useTestApp({ overrides: { 'ocpp.heartbeatIntervalSec': 1, 'ocpp.pendingIntervalSec': 1, 'ocpp.offlineAfterMissedHeartbeats': 1 } });

  it('should close an Accepted charger that sends nothing for longer than its offline allowance with 1008 and record it', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    await client.call('BootNotification', aBootNotification());

    const [{ code, reason }] = (await once(client, 'close')) as [{ code: number; reason: Buffer | string }];

    expect([code, String(reason)]).to.deep.equal([1008, 'no message for 1 s']);
    expect(await recordedDisconnection(t, id)).to.deep.equal([1008]);
  });
});

describe('e2e OCPP WebSocket ping/pong (ocpp.pingIntervalSec)', () => {
  const t = useTestApp({ overrides: { 'ocpp.pingIntervalSec': 1 } });

  it('should terminate a socket that does not answer the ping, record its disconnection, and keep one that answers', async () => {
    // Arrange
    const deaf = await aRegisteredCharger(t.app.services);
    const alive = await aRegisteredCharger(t.app.services);
    const deafSock = await connectRaw(t, deaf, { password: CHARGER_PASSWORD, autoPong: false });
    const aliveClient = await connectCharger(t, alive, { password: CHARGER_PASSWORD });
    await eventually(async () => (await t.db('charge_points').where({ id: deaf }).first()).is_connected === true, 'the connection to be recorded');

    // Act
    const [code] = (await once(deafSock.ws, 'close')) as [number];
    const heartbeat = (await aliveClient.call('Heartbeat', {})) as { currentTime: string };
    await aliveClient.close();

    // Assert
    expect(code).to.equal(1006); // terminated: no close frame
    expect(heartbeat.currentTime).to.be.a('string');
    expect(await recordedDisconnection(t, deaf)).to.deep.equal([1006]);
  });
});
