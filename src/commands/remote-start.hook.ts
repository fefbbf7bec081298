import type { SessionStartHook } from '../sessions/session.service.ts';
import * as repo from './command.repo.ts';

/**
 * Links the session a charger starts after an OCPI START_SESSION to that command: the eMSP's token
 * (the same uid may exist for several parties) and its authorization_reference (commands §13.3.5: "this
 * reference will be provided in the relevant Session and/or CDR"), with AuthMethod COMMAND.
 * Register it before hooks that publish the session: it updates the session they are handed.
 */
export function remoteStartHook(): SessionStartHook {
  return async (trx, session) => {
    const start = await repo.findPendingRemoteStart(trx, { chargePointId: session.chargePointId, connectorNumber: session.connectorNumber, idTag: session.idTag, at: session.startAt });
    if (!start) return;
    await repo.markRemoteStartUsed(trx, start.id, session.id);
    const authorization = {
      tokenFk: start.tokenFk ?? session.tokenFk,
      authMethod: 'COMMAND',
      authorizationReference: start.authorizationReference ?? session.authorizationReference,
    };
    await repo.updateSessionAuthorization(trx, session.id, authorization);
    Object.assign(session, authorization);
  };
}
