// OCPP 2.0.1 NotifyEvent reports as OCPP 1.6 StatusNotification faults (the alert rules' terms).
import { expect } from 'chai';
import { eventFaults } from '../../../src/chargers/ocpp201-events.mapper.ts';
import type { EventDataType } from '../../../src/ocpp/v201/types.ts';

const TS = '2026-12-05T01:00:00.000Z';
const anEvent = (o: Partial<EventDataType>): EventDataType => ({ eventId: 1, timestamp: TS, trigger: 'Delta', actualValue: 'true', eventNotificationType: 'HardWiredNotification', component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'Problem' }, ...o });

describe('unit OCPP 2.0.1 NotifyEvent faults', () => {
  const cases: Array<{ name: string; event: EventDataType; fault: unknown }> = [
    { name: 'OCPP201 N07: should read a plug retention lock Problem as ConnectorLockFailure of its EVSE with techCode', event: anEvent({ component: { name: 'ConnectorPlugRetentionLock', evse: { id: 2 } }, techCode: 'E42' }), fault: { connectorNumber: 2, errorCode: 'ConnectorLockFailure', info: 'ConnectorPlugRetentionLock.Problem=true', vendorErrorCode: 'E42', isCleared: false, timestamp: TS } },
    { name: 'should read Problem=false as the fault cleared', event: anEvent({ actualValue: 'false', component: { name: 'TokenReader' } }), fault: { connectorNumber: 0, errorCode: 'ReaderFailure', info: 'TokenReader.Problem=false', vendorErrorCode: null, isCleared: true, timestamp: TS } },
    { name: 'should read AvailabilityState Faulted as Faulted and another state as its end', event: anEvent({ variable: { name: 'AvailabilityState' }, actualValue: 'Faulted' }), fault: { connectorNumber: 1, errorCode: 'Faulted', info: 'Connector.AvailabilityState=Faulted', vendorErrorCode: null, isCleared: false, timestamp: TS } },
    { name: 'OCPP201 N07: should read a monitor Alerting on Temperature as HighTemperature, cleared with cleared=true', event: anEvent({ trigger: 'Alerting', cleared: true, component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Temperature' }, actualValue: '61' }), fault: { connectorNumber: 1, errorCode: 'HighTemperature', info: 'EVSE.Temperature=61', vendorErrorCode: null, isCleared: true, timestamp: TS } },
    { name: 'OCPP201 §2.2: should put a fault of an EVSE\'s connector 2 on that connector (102), not on the EVSE\'s first', event: anEvent({ variable: { name: 'AvailabilityState' }, actualValue: 'Faulted', component: { name: 'Connector', evse: { id: 1, connectorId: 2 } } }), fault: { connectorNumber: 102, errorCode: 'Faulted', info: 'Connector.AvailabilityState=Faulted', vendorErrorCode: null, isCleared: false, timestamp: TS } },
    { name: 'should read an unknown component Problem as OtherError', event: anEvent({ component: { name: 'VendorThing' } }), fault: { connectorNumber: 0, errorCode: 'OtherError', info: 'VendorThing.Problem=true', vendorErrorCode: null, isCleared: false, timestamp: TS } },
  ];
  for (const c of cases) it(c.name, () => expect(eventFaults([c.event])).to.deep.equal([c.fault]));

  it('should ignore plain value reports (Delta/Periodic of other variables) and cut info to 50 characters', () => {
    const plain = eventFaults([anEvent({ variable: { name: 'Power' }, actualValue: '7000' }), anEvent({ trigger: 'Periodic', variable: { name: 'Temperature' }, actualValue: '30' })]);
    const long = eventFaults([anEvent({ component: { name: 'A'.repeat(60) } })]);

    expect(plain).to.deep.equal([]);
    expect(long[0].info).to.have.length(50);
  });

  it('should end AvailabilityState Faulted on another state', () => {
    expect(eventFaults([anEvent({ variable: { name: 'AvailabilityState' }, actualValue: 'Available' })])[0]).to.include({ errorCode: 'Faulted', isCleared: true });
  });
});
