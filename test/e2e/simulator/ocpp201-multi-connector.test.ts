// The simulated OCPP 2.0.1 station with two connectors on one EVSE (--connectors-per-evse 2) against a scripted
// CSMS. OCPP 2.0.1 Part 1 §2.2: an EVSE's connectors are numbered from 1 and one of them is used at a time.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '../../helpers/wait.ts';
import { aFleet } from '../../fixtures/simulator.ts';
import { aScriptedServer, callCharger } from '../../fixtures/scripted-ocpp-server.ts';

const EV = { spec: { maxCurrentA: 32, phases: 3, batteryWh: 60_000 }, socPct: 20 };

function answer201(action: string): unknown {
  const currentTime = new Date().toISOString();
  if (action === 'BootNotification') return { status: 'Accepted', currentTime, interval: 300 };
  if (action === 'Heartbeat') return { currentTime };
  if (action === 'Authorize' || action === 'TransactionEvent') return { idTokenInfo: { status: 'Accepted' } };
  return {};
}

describe('e2e simulator: an OCPP 2.0.1 station with several connectors per EVSE', () => {
  it('OCPP201 G01/E01/F05: should report (evseId, connectorId) statuses, run the transaction on the connector in use and keep the other Unavailable meanwhile', async () => {
    // Arrange
    const server = await aScriptedServer('ocpp2.0.1');
    server.answer = answer201;
    const fleet = aFleet({ ocppUrl: server.url }, { protocol: 'ocpp2.0.1', connectors: 2, connectorsPerEvse: 2 });
    const charger = fleet.chargers[0];
    fleet.start();
    await fleet.whenOnline();
    const sent = (action: string) => server.frames.filter((f) => f[0] === 2 && f[2] === action).map((f) => f[3]);
    const statuses = () => sent('StatusNotification').map((x) => [x.evseId, x.connectorId, x.connectorStatus]);
    const call = async (action: string, payload: unknown) => (await callCharger(server, randomUUID(), action, payload))[2];
    await eventually(async () => statuses().length === 2, 'the boot statuses');
    const atBoot = statuses();

    // Act
    const started = await charger.startSession(2, 'TAG-EVSE', EV);
    await eventually(async () => statuses().length === 4, 'the statuses of the EVSE in use');
    const whileInUse = { isOneFree: charger.model.isFree(1, 'OTHER'), unlock: await call('UnlockConnector', { evseId: 1, connectorId: 2 }), unknown: await call('UnlockConnector', { evseId: 1, connectorId: 3 }), noEvse2: await call('UnlockConnector', { evseId: 2, connectorId: 1 }) };
    await charger.stopSession(2);
    charger.model.unplug(2);
    await eventually(async () => statuses().length === 6, 'the statuses after the EV left');
    const summary = await fleet.stop();
    await server.close();

    // Assert
    expect(atBoot).to.deep.equal([[1, 1, 'Available'], [1, 2, 'Available']]);
    expect(started).to.equal('started');
    expect(statuses().slice(2)).to.have.deep.members([[1, 2, 'Occupied'], [1, 1, 'Unavailable'], [1, 2, 'Available'], [1, 1, 'Available']]);
    expect(sent('TransactionEvent').map((e) => [e.eventType, e.evse])).to.deep.include(['Started', { id: 1, connectorId: 2 }]);
    expect(whileInUse).to.deep.equal({ isOneFree: false, unlock: { status: 'OngoingAuthorizedTransaction' }, unknown: { status: 'UnknownConnector' }, noEvse2: { status: 'UnknownConnector' } });
    expect(summary.errors, summary.errorSamples.join('\n')).to.equal(0);
  });
});
