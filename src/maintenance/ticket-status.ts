// Pure rules of maintenance ticket status changes (issue 9). No I/O.
import type { TicketStatus } from './ticket.types.ts';

/**
 * Whether a ticket may move from `from` to `to`: any move between open, in_progress and resolved (work
 * found unfinished goes back); closed is final but for a reopen (closed → open).
 */
export function canMoveTicket(from: TicketStatus, to: TicketStatus): boolean {
  if (from === to) return true;
  if (from === 'closed') return to === 'open';
  return true;
}

/** The resolved/closed times after a move at `at`: set on entering the state, cleared when reopened. */
export function ticketStatusTimes(to: TicketStatus, current: { resolvedAt: Date | null; closedAt: Date | null }, at: Date): { resolvedAt: Date | null; closedAt: Date | null } {
  if (to === 'open' || to === 'in_progress') return { resolvedAt: null, closedAt: null };
  if (to === 'resolved') return { resolvedAt: current.resolvedAt ?? at, closedAt: null };
  return { resolvedAt: current.resolvedAt ?? at, closedAt: current.closedAt ?? at };
}
