import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { parsePaging } from '../admin/http.ts';
import { listJobRuns } from './job-run.repo.ts';
import type { JobScheduler } from './scheduler.ts';

/** Admin API: scheduled jobs, their runs, and running one on demand. */
export function jobAdminRoutes(deps: { scheduler: JobScheduler; db: Knex }): Router {
  const r = express.Router();
  r.get('/jobs', (_req, res) => {
    res.json({ data: deps.scheduler.names() });
  });
  r.get('/jobs/runs', async (req, res) => {
    res.json({ data: await listJobRuns(deps.db, { job: req.query.job as string | undefined, limit: parsePaging(req).limit }) });
  });
  r.post('/jobs/:name/run', async (req, res) => {
    res.json(await deps.scheduler.runNow(req.params.name, 'manual'));
  });
  return r;
}
