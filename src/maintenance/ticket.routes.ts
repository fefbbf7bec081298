import express, { type Router } from 'express';
import { optionalEnum, optionalString, parsePaging, parseSerialId, requireString } from '../admin/http.ts';
import { actorOf } from '../admin/authenticate.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { TicketService } from './ticket.service.ts';
import { TICKET_STATUSES, type TicketChange } from './ticket.types.ts';

function objectBody(req: express.Request): Record<string, unknown> {
  const b = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new InvalidInput('body: a JSON object is required');
  return b;
}

function optionalInt(b: Record<string, unknown>, field: string, min: number, max: number): number | undefined {
  const v = b[field];
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) throw new InvalidInput(`${field}: an integer from ${min} to ${max}`);
  return v as number;
}

function changeOf(b: Record<string, unknown>): TicketChange {
  const c: TicketChange = {};
  if (b.title !== undefined) c.title = requireString(b, 'title', 200);
  if (b.description !== undefined) c.description = optionalString(b, 'description', 10_000) ?? null;
  if (b.assignee !== undefined) c.assignee = optionalString(b, 'assignee', 100) ?? null;
  if (b.status !== undefined) c.status = optionalEnum(b, 'status', TICKET_STATUSES);
  return c;
}

/** Admin API: maintenance tickets (`?status=&assignee=&chargePointId=&alertId=`) and their append-only notes. */
export function ticketAdminRoutes(deps: { tickets: TicketService }): Router {
  const r = express.Router();
  r.get('/tickets', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const alertId = q.alertId === undefined ? undefined : parseSerialId(String(q.alertId), 'alertId');
    const filter = { ...parsePaging(req), status: optionalEnum(q, 'status', TICKET_STATUSES), assignee: optionalString(q, 'assignee', 100), chargePointId: optionalString(q, 'chargePointId', 48), alertId };
    res.json({ data: await deps.tickets.list(filter) });
  });
  r.post('/tickets', async (req, res) => {
    const b = objectBody(req);
    const alertId = optionalInt(b, 'alertId', 1, 2 ** 31 - 1);
    const title = alertId && b.title === undefined ? undefined : requireString(b, 'title', 200);
    const input = { title, alertId, description: optionalString(b, 'description', 10_000), assignee: optionalString(b, 'assignee', 100), chargePointId: optionalString(b, 'chargePointId', 48), connectorId: optionalInt(b, 'connectorId', 0, 1000) };
    res.status(201).json(await deps.tickets.open(input, actorOf(req)));
  });
  r.get('/tickets/:id', async (req, res) => {
    res.json(await deps.tickets.get(parseSerialId(req.params.id)));
  });
  r.patch('/tickets/:id', async (req, res) => {
    res.json(await deps.tickets.change(parseSerialId(req.params.id), changeOf(objectBody(req))));
  });
  r.post('/tickets/:id/notes', async (req, res) => {
    const text = requireString(objectBody(req), 'text', 10_000);
    res.status(201).json(await deps.tickets.addNote(parseSerialId(req.params.id), { author: actorOf(req), text }));
  });
  return r;
}
