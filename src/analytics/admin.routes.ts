import express, { type Router } from 'express';
import { InvalidInput } from '../shared/errors.ts';
import { toAnalyticsCsv } from './analytics-csv.ts';
import { parseAnalyticsQuery } from './analytics-query.ts';
import type { AnalyticsService } from './analytics.service.ts';
import { METRICS, type Metric } from './analytics.types.ts';

const wantsCsv = (req: express.Request): boolean =>
  req.query.format === 'csv' || (req.query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');

/** Admin API: GET /analytics/{metric} as JSON `{ data: [...] }`, or CSV with format=csv or Accept: text/csv. */
export function analyticsAdminRoutes(deps: { analytics: AnalyticsService }): Router {
  const r = express.Router();
  r.get('/analytics/:metric', async (req, res) => {
    const metric = req.params.metric;
    if (!(METRICS as readonly string[]).includes(metric)) throw new InvalidInput(`metric: one of ${METRICS.join(', ')}`);
    const { format, ...rest } = req.query as Record<string, unknown>;
    if (format !== undefined && format !== 'csv' && format !== 'json') throw new InvalidInput('format: csv or json');
    const q = parseAnalyticsQuery(rest);
    const rows = await deps.analytics.report(metric as Metric, q);
    if (wantsCsv(req)) {
      res.type('text/csv').attachment(`${metric}.csv`).send(toAnalyticsCsv(metric as Metric, rows, q.per));
      return;
    }
    res.json({ data: rows });
  });
  return r;
}
