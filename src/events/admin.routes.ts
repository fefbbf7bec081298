import express, { type Router } from 'express';
import type { Knex } from 'knex';
import type { Logger } from '../shared/logger.ts';
import { optionalString } from '../admin/http.ts';
import { parseLastEventId, parseTypes } from './event-filter.ts';
import type { EventHub } from './event-hub.ts';
import { streamEvents } from './sse-stream.ts';
import { parseLiveQuery } from './live-query.ts';
import type { LiveViewService } from './live-view.service.ts';

export interface EventRoutesDeps {
  db: Knex;
  hub: EventHub;
  live: LiveViewService;
  logger: Logger;
  heartbeatSec: number;
}

/**
 * Admin API, live monitoring (issue 9): `GET /events`, a server-sent-events stream filtered by
 * `locationId`, `chargePointId` and `types`, resumable with Last-Event-ID; `GET /live/chargers`, every
 * charger's connection, connectors and current session, a keyset page at a time.
 */
export function eventAdminRoutes(deps: EventRoutesDeps): Router {
  const r = express.Router();
  r.get('/events', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const filter = {
      locationId: optionalString(q, 'locationId', 36),
      chargePointId: optionalString(q, 'chargePointId', 48),
      types: parseTypes(optionalString(q, 'types', 1000)),
    };
    const lastEventId = parseLastEventId(req.get('Last-Event-ID') ?? optionalString(q, 'lastEventId', 20));
    await streamEvents(req, res, { db: deps.db, hub: deps.hub, logger: deps.logger, heartbeatMs: deps.heartbeatSec * 1000, filter, lastEventId });
  });
  r.get('/live/chargers', async (req, res) => {
    res.json(await deps.live.chargers(parseLiveQuery(req.query as Record<string, unknown>)));
  });
  return r;
}
