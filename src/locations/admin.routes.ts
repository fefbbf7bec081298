import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { optionalString, parsePaging, requireString } from '../admin/http.ts';
import { InvalidInput } from '../shared/errors.ts';
import * as repo from './location.repo.ts';
import type { LocationService } from './location.service.ts';
import type { Location } from './location.types.ts';
import { toAdminPublishTokens } from './publish-tokens.ts';

/** A location as the admin API shows it: publishAllowedTo in camelCase, as it is entered. */
const toView = (l: Location) => ({ ...l, publishAllowedTo: toAdminPublishTokens(l.publishAllowedTo) });

function bodyOf(req: express.Request): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw new InvalidInput('body: must be a JSON object');
  return req.body as Record<string, unknown>;
}

/** Admin API: locations and their EVSEs. */
export function locationAdminRoutes(deps: { db: Knex; locations: LocationService }): Router {
  const r = express.Router();
  r.post('/locations', async (req, res) => {
    const b = req.body;
    const location = await deps.locations.create({
      id: requireString(b, 'id', 36),
      name: optionalString(b, 'name', 255),
      address: requireString(b, 'address', 45),
      city: requireString(b, 'city', 45),
      postalCode: optionalString(b, 'postalCode', 10),
      state: optionalString(b, 'state', 20),
      country: requireString(b, 'country', 3),
      latitude: requireString(b, 'latitude', 10),
      longitude: requireString(b, 'longitude', 11),
      timeZone: requireString(b, 'timeZone', 255),
      parkingType: optionalString(b, 'parkingType', 40),
      gridLimitA: b?.gridLimitA,
      publish: b?.publish,
      publishAllowedTo: b?.publishAllowedTo,
    });
    res.status(201).json(toView(location));
  });
  r.get('/locations', async (req, res) => {
    res.json({ data: (await repo.listLocations(deps.db, parsePaging(req))).map(toView) });
  });
  r.get('/locations/:id', async (req, res) => {
    const location = await repo.getLocation(deps.db, req.params.id);
    res.json({ ...toView(location), evses: await repo.listEvsesOfLocation(deps.db, location.id) });
  });
  // OCPI 2.2.1 locations §8.3.1: an unpublished location is sent only to the eMSP parties it concerns.
  r.put('/locations/:id/publication', async (req, res) => {
    const b = bodyOf(req);
    const unknown = Object.keys(b).find((k) => k !== 'publish' && k !== 'publishAllowedTo');
    if (unknown) throw new InvalidInput(`${unknown}: unknown field (allowed: publish, publishAllowedTo)`);
    res.json(toView(await deps.locations.setPublication(req.params.id, { publish: b.publish, publishAllowedTo: b.publishAllowedTo })));
  });
  return r;
}
