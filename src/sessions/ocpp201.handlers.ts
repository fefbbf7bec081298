import type { Ocpp201Handlers } from '../ocpp/router.ts';
import { idTokenInfo } from '../tokens/ocpp201.mapper.ts';
import type { EvChargingNeedsService } from './ev-charging-needs.service.ts';
import type { TransactionEventService } from './transaction-event.service.ts';

/** OCPP 2.0.1 transaction messages (functional block E), meter values (J01) and the EV's charging needs (K15). */
export const sessionHandlers201 = (svc: TransactionEventService, needs: EvChargingNeedsService): Ocpp201Handlers => ({
  MeterValues: async ({ chargePointId, params }) => {
    await svc.recordMeterValues(chargePointId, params.evseId, params.meterValue);
    return {};
  },
  NotifyEVChargingNeeds: async ({ chargePointId, params }) => ({ status: await needs.record(chargePointId, params.evseId, params.chargingNeeds) }),
  TransactionEvent: async ({ chargePointId, params }) => {
    const { idTagInfo, totalCost } = await svc.handle(chargePointId, params);
    return { ...(idTagInfo ? { idTokenInfo: idTokenInfo(idTagInfo) } : {}), ...(totalCost !== undefined ? { totalCost } : {}) };
  },
});
