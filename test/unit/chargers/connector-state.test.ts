import { expect } from 'chai';
import { aggregateEvseStatus, connectorEvseStatus, isFault, type EvseStatus } from '../../../src/chargers/connector-state.ts';

describe('unit chargers/connector-state', () => {
  const mapping: Array<[string, EvseStatus]> = [
    ['Available', 'AVAILABLE'],
    ['Preparing', 'CHARGING'],
    ['Charging', 'CHARGING'],
    ['SuspendedEV', 'CHARGING'],
    ['SuspendedEVSE', 'CHARGING'],
    ['Finishing', 'CHARGING'],
    ['Reserved', 'RESERVED'],
    ['Unavailable', 'INOPERATIVE'],
    ['Faulted', 'OUTOFORDER'],
    ['Unknown', 'UNKNOWN'],
  ];
  for (const [ocpp, ocpi] of mapping) {
    it(`OCPP16 §7.7 ChargePointStatus ${ocpp}: should map to OCPI EVSE status ${ocpi} while online`, () => {
      expect(connectorEvseStatus(ocpp, true)).to.equal(ocpi);
    });
  }

  it('should report UNKNOWN for any connector of a charger that is offline', () => {
    expect(mapping.map(([ocpp]) => connectorEvseStatus(ocpp, false))).to.deep.equal(mapping.map(() => 'UNKNOWN'));
  });

  const aggregates: Array<[string, EvseStatus[], EvseStatus]> = [
    ['no connectors', [], 'UNKNOWN'],
    ['one charging connector among available ones', ['AVAILABLE', 'CHARGING'], 'CHARGING'],
    ['a reservation over availability', ['AVAILABLE', 'RESERVED'], 'RESERVED'],
    ['one available connector next to a faulted one', ['OUTOFORDER', 'AVAILABLE'], 'AVAILABLE'],
    ['all connectors faulted', ['OUTOFORDER', 'OUTOFORDER'], 'OUTOFORDER'],
    ['inoperative over out of order', ['OUTOFORDER', 'INOPERATIVE'], 'INOPERATIVE'],
  ];
  for (const [name, input, expected] of aggregates) {
    it(`OCPI 2.2.1 locations §8.4.22: should aggregate ${name} to ${expected}`, () => {
      expect(aggregateEvseStatus(input)).to.equal(expected);
    });
  }

  it('OCPP16 §7.6: should treat an error code other than NoError, or status Faulted, as a fault', () => {
    expect([isFault('Available', 'NoError'), isFault('Charging', 'EVCommunicationError'), isFault('Faulted', 'NoError'), isFault('Available', 'OtherError')]).to.deep.equal([false, true, true, true]);
  });
});
