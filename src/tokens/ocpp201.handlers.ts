import type { Ocpp201Handlers } from '../ocpp/router.ts';
import type { AuthorizeService } from './authorize.service.ts';
import { idTokenInfo } from './ocpp201.mapper.ts';

/** OCPP 2.0.1 C01 Authorize: the same AuthorizeService and access rules as OCPP 1.6 Authorize. */
export const tokenHandlers201 = (svc: AuthorizeService): Ocpp201Handlers => ({
  Authorize: async ({ chargePointId, params }) => ({ idTokenInfo: idTokenInfo((await svc.authorize(params.idToken.idToken, { chargePointId })).info) }),
});
