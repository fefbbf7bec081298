import type { SessionStartHook } from '../sessions/session.service.ts';
import * as commands from './command.repo.ts';
import * as reservations from './reservation.repo.ts';

/**
 * OCPP 1.6 §4.8 / §5.13: a StartTransaction with the reservationId of an Accepted reservation at that
 * charger ends the reservation: it becomes Used. The session keeps the charger's reservationId (it is
 * the reservation's id, as sent in ReserveNow). When the reserving token started it, the session also
 * gets the eMSP's token and, unless it already has one, the RESERVE_NOW's authorization_reference
 * (OCPI 2.2.1 commands §13.3.4: "provided in the relevant Session and/or CDR"). Register it after the
 * remote-start hook and before hooks that publish the session.
 */
export function reservationUseHook(): SessionStartHook {
  return async (trx, session) => {
    if (session.reservationId === null) return;
    const used = await reservations.markReservationUsed(trx, { id: session.reservationId, chargePointId: session.chargePointId, startAt: session.startAt });
    // OCPP 1.6 §7.24 IdToken is case-insensitive; another idTag (a parentIdTag match) keeps its own token.
    if (!used || used.idTag.toUpperCase() !== session.idTag.toUpperCase()) return;
    const authorization = {
      tokenFk: used.tokenFk ?? session.tokenFk,
      authMethod: session.authMethod,
      authorizationReference: session.authorizationReference ?? used.authorizationReference,
    };
    if (authorization.tokenFk === session.tokenFk && authorization.authorizationReference === session.authorizationReference) return;
    await commands.updateSessionAuthorization(trx, session.id, authorization);
    Object.assign(session, authorization);
  };
}
