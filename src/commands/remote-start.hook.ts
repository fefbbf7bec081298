import type { Knex } from 'knex';
import type { SessionStartHook } from '../sessions/session.service.ts';
import type { PreAuthorizer } from '../tokens/authorize.service.ts';
import * as repo from './command.repo.ts';

/**
 * Accepts the token of a pending START_SESSION at its charger (Authorize and StartTransaction) without
 * the stored whitelist or a real-time request: commands §13.3.5, the eMSP already authorized it and
 * no real-time authorization may be done for 15 minutes.
 */
export function remoteStartPreAuthorizer(db: Knex): PreAuthorizer {
  return {
    async find(idTag, ctx, now) {
      const start = await repo.findPendingRemoteStart(db, { chargePointId: ctx.chargePointId, connectorNumber: ctx.connectorId, idTag, at: now });
      return start ? { tokenFk: start.tokenFk, authorizationReference: start.authorizationReference } : undefined;
    },
  };
}

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
