import express, { type Router } from 'express';
import { parseSerialId } from '../admin/http.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { ConfigurationTemplateService } from './template.service.ts';

/** `chargePointIds` of a body or a comma-separated query: an optional subset of the chargers. */
function chargerIdsOf(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const ids = typeof v === 'string' ? v.split(',') : v;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 10_000 || !ids.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 48)) {
    throw new InvalidInput('chargePointIds: a non-empty list of charger ids');
  }
  return ids as string[];
}

/** Admin API: configuration templates per model, their drift per charger, and applying them. */
export function templateAdminRoutes(deps: { templates: ConfigurationTemplateService }): Router {
  const r = express.Router();
  r.get('/configuration-templates', async (_req, res) => {
    res.json({ data: await deps.templates.list() });
  });
  r.post('/configuration-templates', async (req, res) => {
    res.status(201).json(await deps.templates.create(req.body ?? {}));
  });
  r.get('/configuration-templates/:id', async (req, res) => {
    res.json(await deps.templates.get(parseSerialId(req.params.id)));
  });
  r.put('/configuration-templates/:id', async (req, res) => {
    res.json(await deps.templates.replace(parseSerialId(req.params.id), req.body ?? {}));
  });
  r.delete('/configuration-templates/:id', async (req, res) => {
    await deps.templates.remove(parseSerialId(req.params.id));
    res.status(204).end();
  });
  r.get('/configuration-templates/:id/drift', async (req, res) => {
    res.json({ data: await deps.templates.drift(parseSerialId(req.params.id), chargerIdsOf(req.query.chargePointIds)) });
  });
  r.post('/configuration-templates/:id/apply', async (req, res) => {
    res.json({ data: await deps.templates.apply(parseSerialId(req.params.id), chargerIdsOf((req.body ?? {}).chargePointIds)) });
  });
  return r;
}
