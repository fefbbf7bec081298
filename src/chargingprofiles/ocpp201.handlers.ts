import type { ChargerService } from '../chargers/charger.service.ts';
import type { Ocpp201Handlers } from '../ocpp/router.ts';

/**
 * OCPP 2.0.1 smart-charging reports (functional block K) that cpms keeps for the operator: the station's
 * profiles (K09, after GetChargingProfiles), limits set by others (K12/K13: an EMS or the grid operator) and
 * the EV's own schedule (K17), in the charger's event log.
 */
export const chargingProfileHandlers201 = (chargers: Pick<ChargerService, 'recordEvent'>): Ocpp201Handlers => ({
  ReportChargingProfiles: async ({ chargePointId, params }) => {
    await chargers.recordEvent(chargePointId, 'ReportChargingProfiles', params);
    return {};
  },
  NotifyChargingLimit: async ({ chargePointId, params }) => {
    await chargers.recordEvent(chargePointId, 'NotifyChargingLimit', params);
    return {};
  },
  ClearedChargingLimit: async ({ chargePointId, params }) => {
    await chargers.recordEvent(chargePointId, 'ClearedChargingLimit', params);
    return {};
  },
  NotifyEVChargingSchedule: async ({ chargePointId, params }) => {
    await chargers.recordEvent(chargePointId, 'NotifyEVChargingSchedule', params);
    // OCPP 2.0.1 K17: Accepted = the schedule is within the limits cpms set; cpms plans with its own limits anyway.
    return { status: 'Accepted' };
  },
});
