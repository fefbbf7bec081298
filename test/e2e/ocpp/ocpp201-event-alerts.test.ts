// OCPP 2.0.1 NotifyEvent faults → the same faults and CONNECTOR_FAULT alerts as OCPP 1.6 StatusNotification
// error codes (issue 12), closed once the station reports the problem cleared.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectRaw, rawCall } from '../../helpers/charger.ts';
import { CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootedCharger201 } from '../../fixtures/ocpp201.ts';

const anEvent = (o: Record<string, unknown>) => ({ eventId: 1, timestamp: new Date().toISOString(), trigger: 'Delta', actualValue: 'true', eventNotificationType: 'HardWiredNotification', component: { name: 'ConnectorPlugRetentionLock', evse: { id: 1 } }, variable: { name: 'Problem' }, ...o });
const aNotifyEvent = (...eventData: unknown[]) => ({ generatedAt: new Date().toISOString(), seqNo: 0, eventData });

describe('e2e OCPP 2.0.1 NotifyEvent faults and alerts', () => {
  const t = useTestApp();
  const evaluate = () => t.app.scheduler.runNow('alert-rules');
  const alertsOf = async (chargePointId: string) => (await t.api('GET', `/api/v1/alerts?chargePointId=${encodeURIComponent(chargePointId)}&kind=CONNECTOR_FAULT`)).body.data as any[];
  const openFaults = (id: string) => t.db('faults').where({ charge_point_id: id }).whereNull('cleared_at').orderBy('id');

  it('OCPP201 N07: should open one CONNECTOR_FAULT for a Problem reported twice (warning) and a Faulted one (critical), and close them when cleared', async () => {
    // Arrange
    const { id, client } = await aBootedCharger201(t);

    // Act 1: a lock problem (twice) and EVSE 2 Faulted
    await client.call('NotifyEvent', aNotifyEvent(anEvent({ techCode: 'L7' })));
    await client.call('NotifyEvent', aNotifyEvent(anEvent({ eventId: 2, techCode: 'L7' }), anEvent({ eventId: 3, component: { name: 'Connector', evse: { id: 2, connectorId: 1 } }, variable: { name: 'AvailabilityState' }, actualValue: 'Faulted' })));
    await evaluate();
    const whileOpen = await alertsOf(id);
    const faults = (await openFaults(id)).map((f) => [f.connector_number, f.error_code, f.vendor_error_code]);
    // Act 2: both cleared
    await client.call('NotifyEvent', aNotifyEvent(anEvent({ eventId: 4, actualValue: 'false' }), anEvent({ eventId: 5, component: { name: 'Connector', evse: { id: 2, connectorId: 1 } }, variable: { name: 'AvailabilityState' }, actualValue: 'Available' })));
    await evaluate();
    const after = await alertsOf(id);
    await client.close();

    // Assert
    expect(faults).to.deep.equal([[1, 'ConnectorLockFailure', 'L7'], [2, 'Faulted', null]]);
    expect(whileOpen.map((a) => [a.connectorId, a.severity, a.closedAt]).sort()).to.deep.equal([[1, 'warning', null], [2, 'critical', null]]);
    expect(after.every((a) => a.closedAt !== null)).to.equal(true);
    expect(await openFaults(id)).to.deep.equal([]);
  });

  it('OCPP-J 2.0.1 §4.3: should answer a malformed NotifyEvent with a 2.0.1 CALLERROR and open no fault', async () => {
    const { id, client } = await aBootedCharger201(t);
    await client.close();
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });

    const reply = await rawCall(sock, 'NotifyEvent', aNotifyEvent({ ...anEvent({}), trigger: 'Sometimes' }), 'm1');
    await sock.close();

    expect(reply[2]).to.equal('PropertyConstraintViolation');
    expect(await openFaults(id)).to.deep.equal([]);
  });
});
