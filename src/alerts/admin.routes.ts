import express, { type Router } from 'express';
import { actorOf } from '../admin/authenticate.ts';
import { optionalEnum, optionalString, parsePaging, parseSerialId } from '../admin/http.ts';
import type { AlertService } from './alert.service.ts';

const SEVERITIES = ['info', 'warning', 'critical'] as const;


/** Admin API: alerts, newest first (`?status=open|closed&chargePointId=&kind=&severity=&acknowledged=`), and their acknowledgement. */
export function alertAdminRoutes(deps: { alerts: AlertService }): Router {
  const r = express.Router();
  r.get('/alerts', async (req, res) => {
    const status = optionalEnum(req.query, 'status', ['open', 'closed'] as const);
    const chargePointId = optionalString(req.query, 'chargePointId', 48);
    const kind = optionalString(req.query, 'kind', 40);
    const severity = optionalEnum(req.query, 'severity', SEVERITIES);
    const acknowledged = optionalEnum(req.query, 'acknowledged', ['true', 'false'] as const);
    res.json({ data: await deps.alerts.list({ ...parsePaging(req), status, chargePointId, kind, severity, acknowledged: acknowledged === undefined ? undefined : acknowledged === 'true' }) });
  });
  r.get('/alerts/:id', async (req, res) => {
    res.json(await deps.alerts.get(parseSerialId(req.params.id)));
  });
  r.post('/alerts/:id/ack', async (req, res) => {
    const id = parseSerialId(req.params.id);
    const note = optionalString(req.body ?? {}, 'note', 500) ?? null;
    res.json(await deps.alerts.acknowledge(id, actorOf(req), note));
  });
  return r;
}
