import type { Ocpp16Handlers } from '../ocpp/router.ts';
import type { AuthorizeService } from './authorize.service.ts';

/** OCPP 1.6 §4.1 Authorize. */
export const tokenHandlers = (svc: AuthorizeService): Ocpp16Handlers => ({
  Authorize: async ({ chargePointId, params }) => ({ idTagInfo: (await svc.authorize(params.idTag, { chargePointId })).info }),
});
