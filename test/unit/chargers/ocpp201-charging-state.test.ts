// OCPP 2.0.1 E01 chargingState as the 1.6 status of an occupied connector; O01 the price display message.
import { expect } from 'chai';
import { chargingStatus16, OCCUPIED_STATUSES, priceDisplayMessage } from '../../../src/chargers/ocpp201.mapper.ts';

describe('unit OCPP 2.0.1 chargingState and price display', () => {
  it('OCPP201 E01: should read each chargingState as a 1.6 occupied status, Idle as none', () => {
    const read = ['Charging', 'SuspendedEV', 'SuspendedEVSE', 'EVConnected', 'Idle'].map(chargingStatus16);

    expect(read).to.deep.equal(['Charging', 'SuspendedEV', 'SuspendedEVSE', 'SuspendedEV', undefined]);
    expect(read.filter((s) => s !== undefined).every((s) => OCCUPIED_STATUSES.has(s!))).to.equal(true);
    expect(['Available', 'Faulted', 'Unavailable', 'Reserved'].some((s) => OCCUPIED_STATUSES.has(s))).to.equal(false);
  });

  it('OCPP201 O01: should build an Idle NormalCycle message per EVSE, cut to 512 characters', () => {
    const m = priceDisplayMessage(2, 'x'.repeat(600), 'de');

    expect([m.message.id, m.message.state, m.message.priority, m.message.message.format, m.message.message.language, m.message.message.content.length]).to.deep.equal([900_002, 'Idle', 'NormalCycle', 'UTF8', 'de', 512]);
  });
});
