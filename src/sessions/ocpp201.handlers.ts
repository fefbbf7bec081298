import type { Ocpp201Handlers } from '../ocpp/router.ts';
import { idTokenInfo } from '../tokens/ocpp201.mapper.ts';
import type { TransactionEventService } from './transaction-event.service.ts';

/** OCPP 2.0.1 transaction messages (functional block E). */
export const sessionHandlers201 = (svc: TransactionEventService): Ocpp201Handlers => ({
  TransactionEvent: async ({ chargePointId, params }) => {
    const { idTagInfo } = await svc.handle(chargePointId, params);
    return idTagInfo ? { idTokenInfo: idTokenInfo(idTagInfo) } : {};
  },
});
