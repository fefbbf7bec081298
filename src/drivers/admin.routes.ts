import express, { type Router } from 'express';
import { optionalString, parsePaging, parseSerialId } from '../admin/http.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import type { AccessService } from './access.service.ts';
import type { AdhocService } from './adhoc.service.ts';
import type { DriverService } from './driver.service.ts';
import type { DriverAccountService } from './driver-account.service.ts';
import type { LocalListService } from './local-list.service.ts';

function bodyOf(req: express.Request): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw new InvalidInput('body: must be a JSON object');
  return req.body as Record<string, unknown>;
}

/** Admin API: drivers and the tokens they own (issue 9). */
export function driverAdminRoutes(deps: { drivers: DriverService; accounts: DriverAccountService }): Router {
  const r = express.Router();
  const d = deps.drivers;
  // The driver's password for the driver app (issue 11); its sessions there end.
  r.post('/drivers/:id/password', async (req, res) => {
    await deps.accounts.setPassword(parseSerialId(req.params.id), bodyOf(req).password);
    res.status(204).end();
  });
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
  r.get('/locations/:id/access', async (req, res) => void res.json(await d.getAccess(req.params.id)));
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

/** Admin API: a charger's OCPP 1.6 local authorization list as the access rules make it (issue 9). */
export function localListAdminRoutes(deps: { localLists: LocalListService }): Router {
  const r = express.Router();
  r.get('/chargers/:id/local-list', async (req, res) => {
    const state = await deps.localLists.state(req.params.id);
    if (!state) throw new NotFound(`no local list was sent to charger ${req.params.id}`);
    res.json({ chargePointId: state.chargePointId, listVersion: state.sent?.version ?? null, entries: state.sent?.entries ?? [], lastStatus: state.lastStatus, lastAttemptAt: state.lastAttemptAt, syncedAt: state.syncedAt });
  });
  // GetLocalListVersion, then SendLocalList when the charger's list is not what the rules want.
  r.post('/chargers/:id/local-list/sync', async (req, res) => void res.json(await deps.localLists.sync(req.params.id)));
  return r;
}

/** Admin API: ad hoc starts (driver app, QR code) and where they are allowed (issue 9). */
export function adhocAdminRoutes(deps: { adhoc: AdhocService }): Router {
  const r = express.Router();
  r.put('/locations/:id/adhoc', async (req, res) => void res.json(await deps.adhoc.configure(req.params.id, bodyOf(req))));
  r.post('/adhoc/sessions', async (req, res) => void res.status(201).json(await deps.adhoc.start(bodyOf(req))));
  r.get('/adhoc/sessions/:id', async (req, res) => void res.json(await deps.adhoc.get(parseSerialId(req.params.id))));
  return r;
}
