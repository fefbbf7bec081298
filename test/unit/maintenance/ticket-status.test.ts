import { expect } from 'chai';
import { canMoveTicket, ticketStatusTimes } from '../../../src/maintenance/ticket-status.ts';
import type { TicketStatus } from '../../../src/maintenance/ticket.types.ts';

describe('maintenance ticket status', () => {
  const cases: Array<[TicketStatus, TicketStatus, boolean]> = [
    ['open', 'in_progress', true],
    ['resolved', 'in_progress', true],
    ['open', 'closed', true],
    ['closed', 'open', true],
    ['closed', 'in_progress', false],
    ['closed', 'resolved', false],
  ];
  for (const [from, to, allowed] of cases) {
    it(`should ${allowed ? 'allow' : 'refuse'} ${from} → ${to}`, () => {
      expect(canMoveTicket(from, to)).to.equal(allowed);
    });
  }

  it('should keep the first resolved time when closing and clear both on a reopen', () => {
    const resolvedAt = new Date('2026-01-01T00:00:00Z');
    const at = new Date('2026-01-02T00:00:00Z');

    expect(ticketStatusTimes('closed', { resolvedAt, closedAt: null }, at)).to.deep.equal({ resolvedAt, closedAt: at });
    expect(ticketStatusTimes('open', { resolvedAt, closedAt: at }, at)).to.deep.equal({ resolvedAt: null, closedAt: null });
  });
});
