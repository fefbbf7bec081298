import type { Ocpp201Handlers } from '../ocpp/router.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import type { CustomerInformationService } from './customer-information.service.ts';

/** OCPP 2.0.1 N09: the station's report on a customer, in parts. */
export const customerInformationHandlers201 = (svc: CustomerInformationService): Ocpp201Handlers => ({
  NotifyCustomerInformation: async ({ chargePointId, params }) => {
    const part = { seqNo: params.seqNo, data: params.data, tbc: params.tbc ?? false, generatedAt: parseTimestamp(params.generatedAt, 'generatedAt') };
    await svc.onPart(chargePointId, params.requestId, part);
    return {};
  },
});
