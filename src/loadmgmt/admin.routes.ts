import express, { type Router } from 'express';
import { parsePaging, parseSerialId } from '../admin/http.ts';
import { priceCurveOf } from './price-curve-input.ts';
import type { LoadGroupService } from './load-group.service.ts';
import { chargePointIdOf, membershipOf, newGroupOf, parentFilterOf, patchOf, scheduleOf, unmanagedOf, type Body } from './load-group-input.ts';

/** Admin API of load management (issue 10): the capacity tree, its chargers, schedules and unmanaged load. */
export function loadGroupAdminRoutes(deps: { loadGroups: LoadGroupService }): Router {
  const r = express.Router();
  const svc = deps.loadGroups;
  r.get('/load-groups', async (req, res) => {
    res.json({ data: await svc.list({ ...parsePaging(req), parentId: parentFilterOf(req.query.parentId) }) });
  });
  r.post('/load-groups', async (req, res) => {
    res.status(201).json(await svc.create(newGroupOf((req.body ?? {}) as Body)));
  });
  r.get('/load-groups/:id', async (req, res) => {
    res.json(await svc.view(parseSerialId(req.params.id)));
  });
  r.patch('/load-groups/:id', async (req, res) => {
    res.json(await svc.update(parseSerialId(req.params.id), patchOf((req.body ?? {}) as Body)));
  });
  r.delete('/load-groups/:id', async (req, res) => {
    await svc.delete(parseSerialId(req.params.id));
    res.status(204).end();
  });
  // A time-varying limit pushed from outside (grid operator's peak hours, a solar forecast): replaces the schedule.
  r.put('/load-groups/:id/schedule', async (req, res) => {
    res.json(await svc.setSchedule(parseSerialId(req.params.id), scheduleOf(((req.body ?? {}) as Body).periods, 'periods')));
  });
  // The energy price curve (time of use) the allocator moves flexible energy by; inherited by the groups below.
  r.get('/load-groups/:id/price-curve', async (req, res) => {
    res.json(await svc.priceCurve(parseSerialId(req.params.id)));
  });
  r.put('/load-groups/:id/price-curve', async (req, res) => {
    const id = parseSerialId(req.params.id);
    res.json(await svc.setPriceCurve(id, priceCurveOf((req.body ?? {}) as Body)));
  });
  r.delete('/load-groups/:id/price-curve', async (req, res) => {
    await svc.clearPriceCurve(parseSerialId(req.params.id));
    res.status(204).end();
  });
  r.put('/load-groups/:id/unmanaged-load', async (req, res) => {
    const u = unmanagedOf((req.body ?? {}) as Body);
    res.json(await svc.setUnmanaged(parseSerialId(req.params.id), u.amps, u.source));
  });
  r.put('/load-groups/:id/chargers/:chargePointId', async (req, res) => {
    res.json(await svc.attach(parseSerialId(req.params.id), chargePointIdOf(req.params.chargePointId), membershipOf((req.body ?? {}) as Body)));
  });
  r.delete('/load-groups/:id/chargers/:chargePointId', async (req, res) => {
    await svc.detach(parseSerialId(req.params.id), chargePointIdOf(req.params.chargePointId));
    res.status(204).end();
  });
  return r;
}
