import express, { type Request, type Router } from 'express';
import { optionalEnum, optionalString, parsePaging, parseSerialId } from '../admin/http.ts';
import { RESERVATION_STATUSES } from './reservation.repo.ts';
import type { ReservationService } from './reservation.service.ts';

function partnerParam(req: Request): number | undefined {
  const raw = req.query.partner;
  return raw === undefined ? undefined : parseSerialId(String(raw), 'partner');
}

/** Admin API: the eMSPs' reservations (OCPI RESERVE_NOW), and their cancellation by the CPO. */
export function reservationAdminRoutes(deps: { reservations: ReservationService }): Router {
  const r = express.Router();
  r.get('/reservations', async (req, res) => {
    const chargePointId = optionalString(req.query as Record<string, unknown>, 'chargePointId', 48);
    const page = await deps.reservations.list({ ...parsePaging(req), status: optionalEnum(req.query, 'status', RESERVATION_STATUSES), chargePointId, partnerFk: partnerParam(req) });
    res.json({ data: page.items, total: page.total });
  });
  r.get('/reservations/:id', async (req, res) => {
    res.json(await deps.reservations.get(parseSerialId(req.params.id)));
  });
  r.post('/reservations/:id/cancel', async (req, res) => {
    res.json(await deps.reservations.cancel(parseSerialId(req.params.id)));
  });
  return r;
}
