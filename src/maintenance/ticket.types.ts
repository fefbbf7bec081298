/** Maintenance ticket status (issue 9). */
export type TicketStatus = 'open' | 'in_progress' | 'resolved' | 'closed';

export const TICKET_STATUSES: readonly TicketStatus[] = ['open', 'in_progress', 'resolved', 'closed'];

export interface TicketNote {
  id: number;
  author: string;
  text: string;
  createdAt: Date;
}

export interface Ticket {
  id: number;
  title: string;
  description: string | null;
  status: TicketStatus;
  assignee: string | null;
  alertId: number | null;
  chargePointId: string | null;
  connectorId: number | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

export interface NewTicket {
  title: string;
  description: string | null;
  assignee: string | null;
  alertId: number | null;
  chargePointId: string | null;
  connectorId: number | null;
}

export interface TicketChange {
  title?: string;
  description?: string | null;
  assignee?: string | null;
  status?: TicketStatus;
}
