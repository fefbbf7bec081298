import type { Ocpp201Handlers } from '../ocpp/router.ts';
import type { Logger } from '../shared/logger.ts';
import type { ReservationService } from './reservation.service.ts';

/** OCPP 2.0.1 reservation messages (functional block H) onto the same reservations as 1.6 and OCPI. */
export const reservationHandlers201 = (reservations: Pick<ReservationService, 'endedByCharger'>, logger: Logger): Ocpp201Handlers => ({
  ReservationStatusUpdate: async ({ chargePointId, params }) => {
    const isChanged = await reservations.endedByCharger(chargePointId, params.reservationId, params.reservationUpdateStatus);
    // The response has no status to refuse with: an unknown or already ended reservation is only logged.
    if (!isChanged) logger.warn('ReservationStatusUpdate for no open reservation of this charger', { chargePointId, reservationId: params.reservationId, status: params.reservationUpdateStatus });
    return {};
  },
});
