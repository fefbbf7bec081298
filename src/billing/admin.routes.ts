import express, { type Request, type Router } from 'express';
import { optionalEnum, optionalString, parsePaging, parseSerialId } from '../admin/http.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { CdrService } from './cdr.service.ts';
import { GRANULARITIES } from './settlement.ts';
import type { StatementService } from './statement.service.ts';

function idParam(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isInteger(id) || id < 1) throw new InvalidInput('id: must be a positive integer');
  return id;
}

/** `partner`: an OCPI partner id, or `local` for the operator's own tokens; absent = all. */
function partnerParam(req: Request): number | null | undefined {
  const raw = req.query.partner;
  if (raw === undefined) return undefined;
  if (raw === 'local') return null;
  const id = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(id) || id < 1) throw new InvalidInput('partner: must be a partner id or "local"');
  return id;
}

/** Admin API: CDRs (list, one, credit, a stopped session's missing CDR) and settlement statements (list, JSON, CSV). */
export function billingAdminRoutes(deps: { cdrs: CdrService; statements: StatementService }): Router {
  const r = express.Router();
  r.get('/cdrs', async (req, res) => {
    const page = await deps.cdrs.list({ ...parsePaging(req), partnerFk: partnerParam(req) });
    res.json({ data: page.items, total: page.total });
  });
  r.get('/cdrs/:id', async (req, res) => {
    res.json(await deps.cdrs.get(idParam(req)));
  });
  // The CDR of a stopped session that has none (cdrStatus FAILED), once its data was fixed.
  r.post('/sessions/:id/cdr', async (req, res) => {
    res.status(201).json(await deps.cdrs.billSession(parseSerialId(req.params.id)));
  });
  r.post('/cdrs/:id/credit', async (req, res) => {
    const remark = optionalString(req.body ?? {}, 'remark', 255);
    res.status(201).json(await deps.cdrs.credit(idParam(req), { remark }));
  });
  r.get('/statements', async (req, res) => {
    res.json({ data: await deps.statements.list({ ...parsePaging(req), partnerFk: partnerParam(req), granularity: optionalEnum(req.query, 'granularity', GRANULARITIES) }) });
  });
  r.get('/statements/:id.csv', async (req, res) => {
    const id = idParam(req);
    res.type('text/csv').attachment(`statement-${id}.csv`).send(await deps.statements.csv(id));
  });
  r.get('/statements/:id', async (req, res) => {
    const { statement, lines, delivery, reconciliation } = await deps.statements.get(idParam(req));
    res.json({ ...statement, reconciliation, lines: lines.map((l) => ({ ...l, delivery: delivery.get(l.cdrId) })) });
  });
  return r;
}
