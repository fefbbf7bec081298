import express, { type Router } from 'express';
import { optionalEnum, optionalString, parsePaging, parseSerialId } from '../admin/http.ts';
import { actorOf } from '../admin/authenticate.ts';
import { InvalidInput } from '../shared/errors.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import type { MaintenanceWindowService } from './window.service.ts';
import { WINDOW_STATUSES } from './window.types.ts';

function requiredTime(b: Record<string, unknown>, field: string): Date {
  if (typeof b[field] !== 'string') throw new InvalidInput(`${field}: required date-time`);
  return parseTimestamp(b[field] as string, field);
}

function optionalTime(q: Record<string, unknown>, field: string): Date | undefined {
  return q[field] === undefined ? undefined : parseTimestamp(String(q[field]), field);
}

/** Admin API: maintenance windows of a charger or an EVSE (scheduled, listed, cancelled or ended early). */
export function windowAdminRoutes(deps: { windows: MaintenanceWindowService }): Router {
  const r = express.Router();
  r.get('/maintenance-windows', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const filter = { ...parsePaging(req), chargePointId: optionalString(q, 'chargePointId', 48), status: optionalEnum(q, 'status', WINDOW_STATUSES), from: optionalTime(q, 'from'), to: optionalTime(q, 'to') };
    res.json({ data: await deps.windows.list(filter) });
  });
  r.post('/maintenance-windows', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const connectorId = b.connectorId;
    if (connectorId !== undefined && connectorId !== null && (!Number.isInteger(connectorId) || (connectorId as number) < 1 || (connectorId as number) > 1000)) throw new InvalidInput('connectorId: an integer from 1 to 1000, or absent for the whole charger');
    const window = await deps.windows.schedule({
      chargePointId: optionalString(b, 'chargePointId', 48),
      connectorId: (connectorId as number | null | undefined) ?? null,
      evseUid: optionalString(b, 'evseUid', 36),
      startsAt: requiredTime(b, 'startsAt'),
      endsAt: requiredTime(b, 'endsAt'),
      reason: optionalString(b, 'reason', 255) ?? null,
    }, actorOf(req));
    res.status(201).json(window);
  });
  r.get('/maintenance-windows/:id', async (req, res) => {
    res.json(await deps.windows.get(parseSerialId(req.params.id)));
  });
  r.post('/maintenance-windows/:id/cancel', async (req, res) => {
    res.json(await deps.windows.cancel(parseSerialId(req.params.id)));
  });
  return r;
}
