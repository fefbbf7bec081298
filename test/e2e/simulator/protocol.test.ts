// The simulated charger's OCPP-J behaviour against a scripted server on a raw `ws` socket: the handshake it
// makes, the CALLERRORs it answers bad or unknown commands with, and one outstanding call at a time.
import { expect } from 'chai';
import { eventually } from '../../helpers/wait.ts';
import { aFleet, FLEET_PASSWORD } from '../../fixtures/simulator.ts';
import { aScriptedServer, callCharger } from '../../fixtures/scripted-ocpp-server.ts';

describe('e2e simulator: OCPP-J behaviour against a scripted server', () => {
  it('OCPP-J 1.6 security profile 1: should connect to <url>/<id> with subprotocol ocpp1.6 and Basic auth, boot, then report its connectors', async () => {
    // Arrange
    const server = await aScriptedServer();
    const fleet = aFleet({ ocppUrl: server.url });
    const id = fleet.chargers[0].id;

    // Act
    fleet.start();
    await fleet.whenOnline();
    await eventually(async () => server.frames.filter((f) => f[2] === 'StatusNotification').length === 2, 'two status notifications');
    await fleet.stop();
    await server.close();

    // Assert
    expect(server.request?.url).to.equal(`/ocpp/${id}`);
    expect(server.request?.headers.authorization).to.equal(`Basic ${Buffer.from(`${id}:${FLEET_PASSWORD}`).toString('base64')}`);
    expect(server.request?.headers['sec-websocket-protocol']).to.equal('ocpp1.6');
    expect(server.frames.slice(0, 3).map((f) => [f[2], f[3].connectorId ?? '', f[3].status ?? ''])).to.deep.equal([
      ['BootNotification', '', ''],
      ['StatusNotification', 0, 'Available'],
      ['StatusNotification', 1, 'Available'],
    ]);
  });

  it('OCPP-J 1.6 §4.2.3: should answer an unknown action NotImplemented and a payload that breaks the schema with its CALLERROR code', async () => {
    const server = await aScriptedServer();
    const fleet = aFleet({ ocppUrl: server.url });
    fleet.start();
    await fleet.whenOnline();

    const unknown = await callCharger(server, 'c1', 'FlyToTheMoon', {});
    const missing = await callCharger(server, 'c2', 'Reset', {});
    const badEnum = await callCharger(server, 'c3', 'Reset', { type: 'Medium' });
    const badType = await callCharger(server, 'c4', 'UnlockConnector', { connectorId: 'one' });
    const extra = await callCharger(server, 'c5', 'ClearCache', { please: true });
    await fleet.stop();
    await server.close();

    expect([unknown, missing, badEnum, badType, extra].map((f) => [f[0], f[2]])).to.deep.equal([
      [4, 'NotImplemented'],
      [4, 'OccurenceConstraintViolation'],
      [4, 'PropertyConstraintViolation'],
      [4, 'TypeConstraintViolation'],
      [4, 'FormationViolation'],
    ]);
  });

  it('OCPP-J 1.6 §4.1.1: should keep one call outstanding, send the next after a timeout, and count the timeout', async () => {
    // Arrange: the server never answers the first StatusNotification
    const server = await aScriptedServer();
    let silenced = false;
    const answer = server.answer;
    server.answer = (action, payload) => {
      if (action === 'StatusNotification' && !silenced) {
        silenced = true;
        return undefined;
      }
      return answer(action, payload);
    };
    const fleet = aFleet({ ocppUrl: server.url }, { callTimeoutSec: 0.3 });

    // Act
    fleet.start();
    await eventually(async () => server.frames.filter((f) => f[2] === 'StatusNotification').length === 2, 'the second status notification');
    const summary = await fleet.stop();
    await server.close();

    // Assert: the second StatusNotification came only after the first one timed out
    expect(server.frames.map((f) => f[2])).to.deep.equal(['BootNotification', 'StatusNotification', 'StatusNotification']);
    expect(summary.resultsByAction.StatusNotification).to.deep.equal({ Timeout: 1, ok: 1 });
  });

  it('should spread the first connections over the ramp-up: the last charger is not connected when the first has booted', async () => {
    // Arrange: three chargers over 60 s: they connect at 0, 20 and 40 s
    const server = await aScriptedServer();
    const fleet = aFleet({ ocppUrl: server.url }, { chargers: 3, rampUpSec: 60 });

    // Act
    fleet.start();
    await fleet.chargers[0].whenOnline();
    const connected = fleet.stats.summary(0).connected;
    const summary = await fleet.stop();
    await server.close();

    // Assert
    expect([connected, summary.connected, server.frames.filter((f) => f[2] === 'BootNotification').length]).to.deep.equal([1, 1, 1]);
  });

  it('OCPP16 §4.6: should heartbeat at the interval the server gives in its BootNotification answer', async () => {
    // Arrange: the server asks for a heartbeat every second (the charger starts with 300 s)
    const server = await aScriptedServer();
    server.answer = (action) => (action === 'BootNotification' ? { status: 'Accepted', currentTime: new Date().toISOString(), interval: 1 } : {});
    const fleet = aFleet({ ocppUrl: server.url }, { heartbeatIntervalSec: 300 });

    // Act
    fleet.start();
    await eventually(async () => server.frames.filter((f) => f[2] === 'Heartbeat').length >= 2, 'two heartbeats', 10_000);
    await fleet.stop();
    await server.close();

    // Assert
    expect(server.frames.filter((f) => f[2] === 'Heartbeat').map((f) => f[3])).to.deep.include({});
  });
});
