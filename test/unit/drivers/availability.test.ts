import { expect } from 'chai';
import { availabilityOf, maxPowerW } from '../../../src/drivers/availability.ts';

describe('drivers/availability', () => {
  const cases: [string | null, boolean, string][] = [
    ['Available', true, 'AVAILABLE'], ['Charging', true, 'CHARGING'], ['Preparing', true, 'OCCUPIED'], ['SuspendedEV', true, 'OCCUPIED'], ['Reserved', true, 'OCCUPIED'],
    ['Faulted', true, 'FAULTED'], ['Unavailable', true, 'UNAVAILABLE'], ['Available', false, 'OFFLINE'], [null, true, 'UNKNOWN'],
  ];
  for (const [status, online, want] of cases) it(`OCPP16 §7.7: should tell a driver ${want} for ${status} (${online ? 'online' : 'offline'})`, () => expect(availabilityOf(status, online)).to.equal(want));

  it('OCPI 2.2.1 locations §8.4.6: should take the operator\'s max power, else voltage × amperage × phases', () => {
    expect([
      maxPowerW({ maxElectricPower: 50_000, maxVoltage: 400, maxAmperage: 125, powerType: 'DC' }),
      maxPowerW({ maxElectricPower: null, maxVoltage: 230, maxAmperage: 32, powerType: 'AC_3_PHASE' }),
      maxPowerW({ maxElectricPower: null, maxVoltage: 230, maxAmperage: 16, powerType: 'AC_1_PHASE' }),
    ]).to.deep.equal([50_000, 22_080, 3_680]);
  });
});
