import express, { type Router } from 'express';
import { optionalString, parsePaging, parseSerialId, requireString } from '../admin/http.ts';
import { actorOf } from '../admin/authenticate.ts';
import { InvalidInput } from '../shared/errors.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import type { DiagnosticsService } from './diagnostics.service.ts';

function optionalInt(b: Record<string, unknown>, field: string): number | undefined {
  const v = b[field];
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 86_400) throw new InvalidInput(`${field}: an integer from 0 to 86400`);
  return v as number;
}

const optionalTime = (b: Record<string, unknown>, field: string): Date | undefined => (b[field] === undefined ? undefined : parseTimestamp(requireString(b, field, 40), field));

/** Admin API: diagnostics requests (GetDiagnostics) and their upload status. */
export function diagnosticsAdminRoutes(deps: { diagnostics: DiagnosticsService }): Router {
  const r = express.Router();
  r.get('/diagnostics', async (req, res) => {
    res.json({ data: await deps.diagnostics.list({ ...parsePaging(req), chargePointId: optionalString(req.query, 'chargePointId', 48) }) });
  });
  r.post('/diagnostics', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const location = optionalString(b, 'location', 512);
    if (location !== undefined && !URL.canParse(location)) throw new InvalidInput('location: must be a URI');
    const ask = { chargePointId: requireString(b, 'chargePointId', 48), location, startTime: optionalTime(b, 'startTime'), stopTime: optionalTime(b, 'stopTime'), retries: optionalInt(b, 'retries'), retryInterval: optionalInt(b, 'retryInterval') };
    res.status(201).json(await deps.diagnostics.request(ask, actorOf(req)));
  });
  r.get('/diagnostics/:id', async (req, res) => {
    res.json(await deps.diagnostics.get(parseSerialId(req.params.id)));
  });
  return r;
}
