import express, { type Router } from 'express';
import { optionalString, parsePaging, parseSerialId } from '../admin/http.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { AccessService } from './access.service.ts';
import type { DriverService } from './driver.service.ts';

function bodyOf(req: express.Request): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw new InvalidInput('body: must be a JSON object');
  return req.body as Record<string, unknown>;
}

/** Admin API: drivers and the tokens they own (issue 9). */
export function driverAdminRoutes(deps: { drivers: DriverService }): Router {
  const r = express.Router();
  const d = deps.drivers;
  r.post('/drivers', async (req, res) => void res.status(201).json(await d.add(bodyOf(req))));
  r.get('/drivers', async (req, res) => void res.json({ data: await d.list(parsePaging(req)) }));
  r.get('/drivers/:id', async (req, res) => void res.json(await d.get(parseSerialId(req.params.id))));
  r.patch('/drivers/:id', async (req, res) => void res.json(await d.update(parseSerialId(req.params.id), bodyOf(req))));
  r.delete('/drivers/:id', async (req, res) => {
    await d.remove(parseSerialId(req.params.id));
    res.status(204).end();
  });
  r.put('/drivers/:id/tokens/:tokenId', async (req, res) => {
    await d.setTokenOwner(parseSerialId(req.params.tokenId, 'tokenId'), parseSerialId(req.params.id));
    res.status(204).end();
  });
  r.delete('/drivers/:id/tokens/:tokenId', async (req, res) => {
    parseSerialId(req.params.id);
    await d.setTokenOwner(parseSerialId(req.params.tokenId, 'tokenId'), null);
    res.status(204).end();
  });
  return r;
}

/** Admin API: groups of drivers, their members and access rules, and the locations' access modes (issue 9). */
export function groupAdminRoutes(deps: { drivers: DriverService; access: AccessService }): Router {
  const r = express.Router();
  const d = deps.drivers;
  r.post('/groups', async (req, res) => void res.status(201).json(await d.addGroup(bodyOf(req))));
  r.get('/groups', async (req, res) => void res.json({ data: await d.listGroups(parsePaging(req)) }));
  r.get('/groups/:id', async (req, res) => void res.json(await d.getGroup(parseSerialId(req.params.id))));
  r.delete('/groups/:id', async (req, res) => {
    await d.removeGroup(parseSerialId(req.params.id));
    res.status(204).end();
  });
  r.put('/groups/:id/members/:driverId', async (req, res) => {
    await d.addMember(parseSerialId(req.params.id), parseSerialId(req.params.driverId, 'driverId'));
    res.status(204).end();
  });
  r.delete('/groups/:id/members/:driverId', async (req, res) => {
    await d.removeMember(parseSerialId(req.params.id), parseSerialId(req.params.driverId, 'driverId'));
    res.status(204).end();
  });
  r.post('/groups/:id/rules', async (req, res) => void res.status(201).json(await d.addRule(parseSerialId(req.params.id), bodyOf(req))));
  r.delete('/groups/:id/rules/:ruleId', async (req, res) => {
    await d.removeRule(parseSerialId(req.params.id), parseSerialId(req.params.ruleId, 'ruleId'));
    res.status(204).end();
  });
  r.put('/locations/:id/access', async (req, res) => {
    const b = bodyOf(req);
    await d.setAccessMode(req.params.id, b.accessMode);
    res.json({ locationId: req.params.id, accessMode: b.accessMode });
  });
  r.get('/access-refusals', async (req, res) => {
    const f = { ...parsePaging(req), chargePointId: optionalString(req.query, 'chargePointId', 48), idTag: optionalString(req.query, 'idTag', 36) };
    res.json({ data: await deps.access.listRefusals(f) });
  });
  return r;
}
