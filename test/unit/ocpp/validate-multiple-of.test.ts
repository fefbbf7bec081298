import { expect } from 'chai';
import { createOcppValidator } from '../../../src/ocpp/validate.ts';

const profileWithLimit = (limit: number) => ({
  connectorId: 1,
  csChargingProfiles: {
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
  },
});

describe('ocpp/validate multipleOf', () => {
  const validator = createOcppValidator('ocpp1.6');

  // OCPP 1.6 §7.15 ChargingSchedulePeriod.limit is decimal with one digit; 7.1 / 0.1 is not an integer in floats.
  for (const limit of [7.1, 0.3, 22.2, 16]) {
    it(`OCPP16 §7.15: should accept a one-decimal limit of ${limit}`, () => {
      expect(() => validator.check('SetChargingProfile', 'req', profileWithLimit(limit))).not.to.throw();
    });
  }

  it('OCPP16 §7.15: should still reject a limit with two decimals', () => {
    expect(() => validator.check('SetChargingProfile', 'req', profileWithLimit(7.15))).to.throw(/multiple of 0.1/);
  });
});
