import express, { type Router } from 'express';
import { parsePaging, parseSerialId, requireString } from '../admin/http.ts';
import { InvalidInput } from '../shared/errors.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import type { PhaseAmps } from './allocation.types.ts';
import type { LoadGroupService } from './load-group.service.ts';
import { PHASE_ROTATIONS, type LoadGroupPatch, type LoadGroupPeriod, type PhaseRotation } from './load.types.ts';

type Body = Record<string, unknown>;

const MAX_A = 100_000;
const MAX_PERIODS = 1000;

/** A current in A from `b[key]`, named `field` in the error (default: the key). */
function amps(b: Body, key: string, o: { min?: number; field?: string } = {}): number {
  const v = b[key];
  const field = o.field ?? key;
  const min = o.min ?? 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > MAX_A) throw new InvalidInput(`${field}: a number of amperes from ${min} to ${MAX_A}`);
  return Math.round(v * 10) / 10;
}

function phasesOf(b: Body): 1 | 3 {
  if (b.phases !== 1 && b.phases !== 3) throw new InvalidInput('phases: 1 or 3');
  return b.phases;
}

function parentOf(b: Body): number | null {
  if (b.parentId === undefined || b.parentId === null) return null;
  if (!Number.isInteger(b.parentId)) throw new InvalidInput('parentId: the id of a load group, or null for a root');
  return parseSerialId(String(b.parentId), 'parentId');
}

/** [{ startsAt, maxCurrentA }]: sorted by startsAt, no two at the same time. */
function scheduleOf(v: unknown, field: string): LoadGroupPeriod[] {
  if (!Array.isArray(v) || v.length > MAX_PERIODS) throw new InvalidInput(`${field}: an array of at most ${MAX_PERIODS} periods { startsAt, maxCurrentA }`);
  const periods = v.map((p, i) => {
    if (typeof p !== 'object' || p === null || typeof (p as Body).startsAt !== 'string') throw new InvalidInput(`${field}[${i}].startsAt: required date-time`);
    return { startsAt: parseTimestamp((p as Body).startsAt as string, `${field}[${i}].startsAt`), maxCurrentA: amps(p as Body, 'maxCurrentA', { field: `${field}[${i}].maxCurrentA` }) };
  });
  periods.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  if (periods.some((p, i) => i > 0 && p.startsAt.getTime() === periods[i - 1].startsAt.getTime())) throw new InvalidInput(`${field}: two periods start at the same time`);
  return periods;
}

function patchOf(b: Body): LoadGroupPatch {
  const patch: LoadGroupPatch = {};
  if (b.name !== undefined) patch.name = requireString(b, 'name', 100);
  if (b.parentId !== undefined) patch.parentId = parentOf(b);
  if (b.maxCurrentA !== undefined) patch.maxCurrentA = amps(b, 'maxCurrentA', { min: 0 });
  if (b.phases !== undefined) patch.phases = phasesOf(b);
  if (b.marginA !== undefined) patch.marginA = amps(b, 'marginA');
  if (b.schedule !== undefined) patch.schedule = scheduleOf(b.schedule, 'schedule');
  return patch;
}

function membershipOf(b: Body): { phaseRotation?: PhaseRotation; maxCurrentA?: number | null } {
  const o: { phaseRotation?: PhaseRotation; maxCurrentA?: number | null } = {};
  if (b.phaseRotation !== undefined) {
    if (!(PHASE_ROTATIONS as readonly unknown[]).includes(b.phaseRotation)) throw new InvalidInput(`phaseRotation: one of ${PHASE_ROTATIONS.join(', ')} (OCPP 1.6 ConnectorPhaseRotation)`);
    o.phaseRotation = b.phaseRotation as PhaseRotation;
  }
  if (b.maxCurrentA !== undefined) o.maxCurrentA = b.maxCurrentA === null ? null : amps(b, 'maxCurrentA');
  return o;
}

function unmanagedOf(b: Body): { amps: PhaseAmps | null; source: 'fixed' | 'measured' } {
  const source = b.source ?? 'measured';
  if (source !== 'fixed' && source !== 'measured') throw new InvalidInput('source: fixed or measured');
  if (b.L1 === undefined && b.L2 === undefined && b.L3 === undefined) throw new InvalidInput('L1, L2, L3: the unmanaged load per phase in A (0 for none)');
  const phase = (p: 'L1' | 'L2' | 'L3') => (b[p] === undefined ? 0 : amps(b, p));
  const a = { L1: phase('L1'), L2: phase('L2'), L3: phase('L3') };
  return { amps: a.L1 === 0 && a.L2 === 0 && a.L3 === 0 ? null : a, source };
}

const chargePointIdOf = (raw: string): string => {
  if (raw.length === 0 || raw.length > 48) throw new InvalidInput('chargePointId: 1 to 48 characters');
  return raw;
};

/** Admin API of load management (issue 10): the capacity tree, its chargers, schedules and unmanaged load. */
export function loadGroupAdminRoutes(deps: { loadGroups: LoadGroupService }): Router {
  const r = express.Router();
  const svc = deps.loadGroups;
  r.get('/load-groups', async (req, res) => {
    res.json({ data: await svc.list(parsePaging(req)) });
  });
  r.post('/load-groups', async (req, res) => {
    const b = (req.body ?? {}) as Body;
    const group = await svc.create({ name: requireString(b, 'name', 100), parentId: parentOf(b), maxCurrentA: amps(b, 'maxCurrentA'), phases: phasesOf(b), marginA: b.marginA === undefined ? 0 : amps(b, 'marginA'), schedule: b.schedule === undefined ? [] : scheduleOf(b.schedule, 'schedule') });
    res.status(201).json(group);
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
