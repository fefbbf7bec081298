import express, { type Router } from 'express';
import { optionalEnum, optionalString, parsePaging } from '../admin/http.ts';
import type { AlertService } from './alert.service.ts';

/** Admin API: alerts, newest first (`?status=open|closed&chargePointId=`). */
export function alertAdminRoutes(deps: { alerts: AlertService }): Router {
  const r = express.Router();
  r.get('/alerts', async (req, res) => {
    const status = optionalEnum(req.query, 'status', ['open', 'closed'] as const);
    const chargePointId = optionalString(req.query, 'chargePointId', 48);
    res.json({ data: await deps.alerts.list({ ...parsePaging(req), status, chargePointId }) });
  });
  return r;
}
