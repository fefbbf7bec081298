import type { Knex } from 'knex';
import type { AlertService } from '../alerts/alert.service.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict } from '../shared/errors.ts';
import { canMoveTicket, ticketStatusTimes } from './ticket-status.ts';
import * as repo from './ticket.repo.ts';
import type { NewTicket, Ticket, TicketChange, TicketNote } from './ticket.types.ts';

/** Maintenance tickets (issue 9): by hand or from an alert, with an assignee, a status and append-only notes. */
export class TicketService {
  constructor(private readonly o: { db: Knex; clock: Clock; alerts: Pick<AlertService, 'get'> }) {}

  /** Opens a ticket; one from an alert takes the alert's charger, connector and (unless given) its message as title. */
  async open(input: Partial<NewTicket>, by: string): Promise<Ticket> {
    const alert = input.alertId ? await this.o.alerts.get(input.alertId) : undefined;
    const ticket: NewTicket = {
      title: input.title ?? (alert ? `${alert.kind}: ${alert.message}`.slice(0, 200) : ''),
      description: input.description ?? null,
      assignee: input.assignee ?? null,
      alertId: alert?.id ?? null,
      chargePointId: input.chargePointId ?? alert?.chargePointId ?? null,
      connectorId: input.connectorId ?? alert?.connectorId ?? null,
    };
    return repo.insertTicket(this.o.db, { ...ticket, createdBy: by }, this.o.clock.now());
  }

  /** Changes title, description, assignee or status (closed is final but for a reopen: 409). */
  async change(id: number, c: TicketChange): Promise<Ticket> {
    return this.o.db.transaction(async (trx) => {
      const current = await repo.getTicketForUpdate(trx, id);
      const now = this.o.clock.now();
      if (c.status === undefined || c.status === current.status) return repo.updateTicket(trx, id, { ...c, status: undefined }, now);
      if (!canMoveTicket(current.status, c.status)) throw new Conflict(`ticket ${id} is ${current.status}: it can only be reopened (status open)`);
      return repo.updateTicket(trx, id, { ...c, ...ticketStatusTimes(c.status, current, now) }, now);
    });
  }

  async addNote(id: number, note: { author: string; text: string }): Promise<TicketNote> {
    await repo.getTicket(this.o.db, id);
    return repo.insertNote(this.o.db, id, note, this.o.clock.now());
  }

  async get(id: number): Promise<Ticket & { notes: TicketNote[] }> {
    const ticket = await repo.getTicket(this.o.db, id);
    return { ...ticket, notes: await repo.listNotes(this.o.db, id) };
  }

  list(f: repo.TicketFilter): Promise<Ticket[]> {
    return repo.listTickets(this.o.db, f);
  }
}
