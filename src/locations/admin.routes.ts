import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { optionalString, parsePaging, requireString } from '../admin/http.ts';
import * as repo from './location.repo.ts';
import type { LocationService } from './location.service.ts';

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
    });
    res.status(201).json(location);
  });
  r.get('/locations', async (req, res) => {
    res.json({ data: await repo.listLocations(deps.db, parsePaging(req)) });
  });
  r.get('/locations/:id', async (req, res) => {
    const location = await repo.getLocation(deps.db, req.params.id);
    res.json({ ...location, evses: await repo.listEvsesOfLocation(deps.db, location.id) });
  });
  return r;
}
