// OCPP 2.0.1 K15 NotifyEVChargingNeeds → OCPI charging preferences (what load management plans with).
import { expect } from 'chai';
import { evChargingPreferences } from '../../../src/sessions/ocpp201.mapper.ts';

const AC = { energyAmount: 12_345, evMinCurrent: 6, evMaxCurrent: 16, evMaxVoltage: 400 };

describe('unit OCPP 2.0.1 EV charging needs as charging preferences', () => {
  const cases: Array<{ name: string; needs: any; o: any; want: unknown }> = [
    { name: 'OCPP201 K15: should add what the session delivered to the EV energy still needed (kWh) and keep the departure', needs: { requestedEnergyTransfer: 'AC_three_phase', departureTime: '2026-12-05T06:00:00Z', acChargingParameters: AC }, o: { deliveredWh: 5_000 }, want: { profile_type: 'REGULAR', energy_need: 17.345, departure_time: '2026-12-05T06:00:00Z' } },
    { name: 'should read a DC energy amount, and nothing when the EV names none', needs: { requestedEnergyTransfer: 'DC', dcChargingParameters: { evMaxCurrent: 200, evMaxVoltage: 800, energyAmount: 30_000 } }, o: { deliveredWh: 0 }, want: { profile_type: 'REGULAR', energy_need: 30 } },
    { name: 'should keep only the departure when the EV names no energy', needs: { requestedEnergyTransfer: 'DC', departureTime: '2026-12-05T06:00:00Z', dcChargingParameters: { evMaxCurrent: 200, evMaxVoltage: 800 } }, o: { deliveredWh: 100 }, want: { profile_type: 'REGULAR', departure_time: '2026-12-05T06:00:00Z' } },
    { name: 'should let what an eMSP set win field by field (the driver\'s choice)', needs: { requestedEnergyTransfer: 'AC_single_phase', departureTime: '2026-12-05T06:00:00Z', acChargingParameters: AC }, o: { deliveredWh: 0, emsp: { profile_type: 'REGULAR', departure_time: '2026-12-05T08:00:00Z', energy_need: undefined } }, want: { profile_type: 'REGULAR', energy_need: 12.345, departure_time: '2026-12-05T08:00:00Z' } },
  ];
  for (const c of cases) it(c.name, () => expect(evChargingPreferences(c.needs, c.o)).to.deep.equal(c.want));
});
