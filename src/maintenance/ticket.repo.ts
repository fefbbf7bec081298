import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import type { NewTicket, Ticket, TicketNote, TicketStatus } from './ticket.types.ts';

type Row = Record<string, any>;
const dateOrNull = (v: unknown): Date | null => (v ? new Date(v as string) : null);

const toTicket = (r: Row): Ticket => ({
  id: r.id, title: r.title, description: r.description ?? null, status: r.status, assignee: r.assignee ?? null, alertId: r.alert_fk === null ? null : Number(r.alert_fk),
  chargePointId: r.charge_point_id ?? null, connectorId: r.connector_id ?? null, createdBy: r.created_by, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
  resolvedAt: dateOrNull(r.resolved_at), closedAt: dateOrNull(r.closed_at),
});

const toNote = (r: Row): TicketNote => ({ id: Number(r.id), author: r.author, text: r.text, createdAt: new Date(r.created_at) });

export async function insertTicket(db: Db, t: NewTicket & { createdBy: string }, at: Date): Promise<Ticket> {
  const [row] = await db('maintenance_tickets')
    .insert({ title: t.title, description: t.description, status: 'open', assignee: t.assignee, alert_fk: t.alertId, charge_point_id: t.chargePointId, connector_id: t.connectorId, created_by: t.createdBy, created_at: at, updated_at: at })
    .returning('*');
  return toTicket(row);
}

/** The ticket, locked until the end of the transaction. */
export async function getTicketForUpdate(db: Db, id: number): Promise<Ticket> {
  const row = await db('maintenance_tickets').where({ id }).forUpdate().first();
  if (!row) throw new NotFound(`ticket ${id} not found`);
  return toTicket(row);
}

export async function getTicket(db: Db, id: number): Promise<Ticket> {
  const row = await db('maintenance_tickets').where({ id }).first();
  if (!row) throw new NotFound(`ticket ${id} not found`);
  return toTicket(row);
}

export async function updateTicket(db: Db, id: number, patch: Partial<Pick<Ticket, 'title' | 'description' | 'assignee' | 'status' | 'resolvedAt' | 'closedAt'>>, at: Date): Promise<Ticket> {
  const row: Row = { updated_at: at };
  if (patch.title !== undefined) row.title = patch.title;
  if (patch.description !== undefined) row.description = patch.description;
  if (patch.assignee !== undefined) row.assignee = patch.assignee;
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.resolvedAt !== undefined) row.resolved_at = patch.resolvedAt;
  if (patch.closedAt !== undefined) row.closed_at = patch.closedAt;
  const [updated] = await db('maintenance_tickets').where({ id }).update(row).returning('*');
  return toTicket(updated);
}

export interface TicketFilter {
  status?: TicketStatus;
  assignee?: string;
  chargePointId?: string;
  alertId?: number;
  limit: number;
  offset: number;
}

/** Tickets, newest first. */
export async function listTickets(db: Db, f: TicketFilter): Promise<Ticket[]> {
  const q = db('maintenance_tickets').orderBy('id', 'desc').limit(f.limit).offset(f.offset);
  if (f.status) q.where({ status: f.status });
  if (f.assignee) q.where({ assignee: f.assignee });
  if (f.chargePointId) q.where({ charge_point_id: f.chargePointId });
  if (f.alertId) q.where({ alert_fk: f.alertId });
  return (await q).map(toTicket);
}

export async function insertNote(db: Db, ticketId: number, n: { author: string; text: string }, at: Date): Promise<TicketNote> {
  const [row] = await db('maintenance_ticket_notes').insert({ ticket_fk: ticketId, author: n.author, text: n.text, created_at: at }).returning('*');
  return toNote(row);
}

/** A ticket's notes, oldest first. */
export async function listNotes(db: Db, ticketId: number): Promise<TicketNote[]> {
  return (await db('maintenance_ticket_notes').where({ ticket_fk: ticketId }).orderBy('id')).map(toNote);
}
