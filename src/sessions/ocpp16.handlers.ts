import type { Ocpp16Handlers } from '../ocpp/router.ts';
import type { SessionService } from './session.service.ts';

/** OCPP 1.6 transaction messages. */
export const sessionHandlers = (svc: SessionService): Ocpp16Handlers => ({
  StartTransaction: ({ chargePointId, params }) => svc.start(chargePointId, params),
  StopTransaction: ({ chargePointId, params }) => svc.stop(chargePointId, params),
  MeterValues: async ({ chargePointId, params }) => {
    await svc.recordMeterValues(chargePointId, params);
    return {};
  },
});
