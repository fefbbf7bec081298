import express, { type Request, type Router } from 'express';
import { InvalidInput } from '../shared/errors.ts';
import { optionalString, parsePaging } from '../admin/http.ts';
import type { AuditService } from './audit.service.ts';

function optionalTime(req: Request, field: string): Date | undefined {
  const raw = req.query[field];
  if (raw === undefined) return undefined;
  const at = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(raw) ? new Date(raw) : undefined;
  if (!at || Number.isNaN(at.getTime())) throw new InvalidInput(`${field}: must be an ISO 8601 date or date-time with a time zone`);
  return at;
}

/** Admin API: the audit log, newest first, filtered by actor, entity and time ([from, to)). Admins only. */
export function auditAdminRoutes(deps: { audit: AuditService }): Router {
  const r = express.Router();
  r.get('/audit', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const data = await deps.audit.list({
      ...parsePaging(req),
      actor: optionalString(q, 'actor', 254),
      entityType: optionalString(q, 'entityType', 50),
      entityId: optionalString(q, 'entityId', 255),
      from: optionalTime(req, 'from'),
      to: optionalTime(req, 'to'),
    });
    res.json({ data });
  });
  return r;
}
