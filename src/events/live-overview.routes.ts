import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { parsePaging } from '../admin/http.ts';
import { countEvses, listLocationOverview } from './live-overview.repo.ts';

/**
 * Admin API, the network overview of the dashboard (issue 11): `GET /live/summary`, the network's EVSE
 * counts (available, charging, faulted, offline); `GET /live/locations`, a page of locations with theirs.
 */
export function liveOverviewRoutes(deps: { db: Knex }): Router {
  const r = express.Router();
  r.get('/live/summary', async (_req, res) => void res.json(await countEvses(deps.db)));
  r.get('/live/locations', async (req, res) => void res.json({ data: await listLocationOverview(deps.db, parsePaging(req)) }));
  return r;
}
