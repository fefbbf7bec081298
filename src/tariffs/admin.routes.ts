import express, { type Router } from 'express';
import { optionalString, parsePaging, requireString } from '../admin/http.ts';
import { InvalidInput } from '../shared/errors.ts';
import { priceCdr } from './price-cdr.ts';
import type { AssignmentInput, AssignmentTarget, TariffService } from './tariff.service.ts';
import type { TariffAssignment } from './tariff-record.types.ts';

/** A rule as the admin API shows it: `partner` is the eMSP party it is for, as it is entered. */
const toView = ({ party, ...rule }: TariffAssignment) => ({ ...rule, partner: party });

type Body = Record<string, unknown>;

function bodyOf(req: express.Request): Body {
  const b = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new InvalidInput('body: must be a JSON object');
  return b as Body;
}

function readTarget(b: Body): AssignmentTarget {
  const given = ['chargePointId', 'evseUid', 'locationId'].filter((k) => b[k] !== undefined);
  if (given.length !== 1) throw new InvalidInput('target: give exactly one of chargePointId (+ connectorNumber), evseUid, locationId');
  if (given[0] === 'evseUid') return { evseUid: requireString(b, 'evseUid', 36) };
  if (given[0] === 'locationId') return { locationId: requireString(b, 'locationId', 36) };
  const connectorNumber = b.connectorNumber;
  if (!Number.isInteger(connectorNumber) || (connectorNumber as number) < 1) throw new InvalidInput('connectorNumber: required integer >= 1 with chargePointId');
  return { connector: { chargePointId: requireString(b, 'chargePointId', 48), connectorNumber: connectorNumber as number } };
}

function readAssignment(b: Body): AssignmentInput {
  const input: AssignmentInput = { target: readTarget(b) };
  if (b.partner !== undefined && b.partner !== null) {
    const p = b.partner as Body;
    if (typeof p !== 'object') throw new InvalidInput('partner: must be an object { countryCode, partyId }');
    input.partner = { countryCode: requireString(p, 'countryCode', 2), partyId: requireString(p, 'partyId', 3) };
  }
  const groupId = optionalString(b, 'groupId', 36);
  if (groupId !== undefined) input.groupId = groupId;
  if (b.priority !== undefined) {
    if (!Number.isInteger(b.priority)) throw new InvalidInput('priority: must be an integer');
    input.priority = b.priority as number;
  }
  return input;
}

function ruleId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new InvalidInput('assignmentId: must be a positive integer');
  return id;
}

/** Admin API: tariffs (OCPI 2.2.1 Tariff objects), their assignment rules, and pricing a CDR. */
export function tariffAdminRoutes(deps: { tariffs: TariffService }): Router {
  const r = express.Router();
  const svc = deps.tariffs;
  // Same engine as `cpms tariff price`: { tariff, cdr, timeZone? } -> the CDR with its totals.
  r.post('/tariffs/price', async (req, res) => {
    const b = bodyOf(req);
    const timeZone = optionalString(b, 'timeZone', 255);
    res.json(priceCdr(await svc.forPricing(b.tariff), b.cdr, timeZone ? { timeZone } : {}));
  });
  r.get('/tariffs', async (req, res) => {
    const { items, total } = await svc.listForOperator(parsePaging(req));
    res.json({ data: items, total });
  });
  r.put('/tariffs/:id', async (req, res) => {
    const { view, isNew } = await svc.put(req.params.id, bodyOf(req));
    res.status(isNew ? 201 : 200).json(view);
  });
  r.get('/tariffs/:id', async (req, res) => {
    res.json(await svc.getForOperator(req.params.id));
  });
  r.delete('/tariffs/:id', async (req, res) => {
    await svc.delete(req.params.id);
    res.status(204).end();
  });
  r.post('/tariffs/:id/assignments', async (req, res) => {
    res.status(201).json(toView(await svc.assign(req.params.id, readAssignment(bodyOf(req)))));
  });
  r.get('/tariffs/:id/assignments', async (req, res) => {
    res.json({ data: (await svc.listAssignments(req.params.id)).map(toView) });
  });
  r.delete('/tariffs/:id/assignments/:assignmentId', async (req, res) => {
    await svc.unassign(req.params.id, ruleId(req.params.assignmentId));
    res.status(204).end();
  });
  return r;
}
