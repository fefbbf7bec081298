import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import * as cdrs from './cdr.repo.ts';
import { GRANULARITIES, lastClosedPeriod, periodOf, reconcile, settle, type DeliveryState, type Granularity, type Period, type Reconciliation, type SettlementLine } from './settlement.ts';
import { toStatementCsv } from './statement-csv.ts';
import * as repo from './statement.repo.ts';
import type { Statement } from './statement.types.ts';
import { listParties } from '../parties/party.service.ts';

export interface StatementServiceOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  /** A period closes this long after its end, so that CDRs committed around midnight are in it. */
  graceMs: number;
}

/** Whose statement: an own party (in its time zone) and a partner (eMSP; null = the operator's own tokens). */
interface StatementOwner { partyFk: number; timeZone: string; partnerFk: number | null }

/**
 * Settlement statements per own party, partner (eMSP; null = the operator's own tokens), granularity and
 * period: local days and months of the own party's time zone (UTC when it has none; issue 9).
 *
 * A CDR belongs to the period in which it was issued (its created_at = OCPI last_updated), so a credit CDR
 * lands in the period of the correction. A statement is written once, when its period has closed, and
 * never changes: re-running the job creates only missing statements. A CDR that turns up in an already
 * settled period (late commit, clock skew) goes into the partner's next statement, counted as late.
 */
export class StatementService {
  constructor(private readonly o: StatementServiceOptions) {}

  /** The `settlement` job: statements for every own party and closed period (in its zone) that has unsettled CDRs. */
  async settleClosedPeriods(): Promise<{ statements: number; cdrs: number }> {
    const now = this.o.clock.now();
    const counts = { statements: 0, cdrs: 0 };
    for (const party of await listParties(this.o.db)) {
      const timeZone = party.timeZone ?? 'UTC';
      for (const granularity of GRANULARITIES) {
        const closed = lastClosedPeriod(granularity, now, this.o.graceMs, timeZone);
        for (const partnerFk of await cdrs.listUnsettledPartners(this.o.db, { partyFk: party.id, granularity, before: closed.end })) {
          const made = await this.settlePartner({ partyFk: party.id, timeZone, partnerFk }, granularity, closed);
          counts.statements += made.statements;
          counts.cdrs += made.cdrs;
        }
      }
    }
    return counts;
  }

  private async settlePartner(who: StatementOwner, granularity: Granularity, lastClosed: Period): Promise<{ statements: number; cdrs: number }> {
    return this.o.db.transaction(async (trx) => {
      const lines = await cdrs.listUnsettled(trx, { partyFk: who.partyFk, partnerFk: who.partnerFk, granularity, before: lastClosed.end });
      const byPeriod = new Map<number, cdrs.LineRow[]>();
      for (const l of lines) {
        const start = periodOf(granularity, l.createdAt, who.timeZone).start.getTime();
        byPeriod.set(start, [...(byPeriod.get(start) ?? []), l]);
      }
      const made = { statements: 0, cdrs: 0 };
      let carried: cdrs.LineRow[] = []; // late: their own period was settled already
      const starts = [...byPeriod.keys()].sort((a, b) => a - b);
      if (starts[starts.length - 1] !== lastClosed.start.getTime()) starts.push(lastClosed.start.getTime());
      for (const start of starts) {
        const period = periodOf(granularity, new Date(start), who.timeZone);
        const own = byPeriod.get(start) ?? [];
        if (await repo.findStatementId(trx, { partyFk: who.partyFk, partnerFk: who.partnerFk, granularity, periodStart: period.start })) {
          carried = [...carried, ...own];
          continue;
        }
        if (own.length + carried.length === 0) continue;
        await this.insert(trx, { who, granularity, period, lines: [...carried, ...own], late: carried.length });
        made.statements += 1;
        made.cdrs += own.length + carried.length;
        carried = [];
      }
      return made;
    });
  }

  private async insert(trx: Knex.Transaction, s: { who: StatementOwner; granularity: Granularity; period: Period; lines: cdrs.LineRow[]; late: number }): Promise<void> {
    const id = await repo.insertStatement(trx, {
      partyFk: s.who.partyFk,
      timeZone: s.who.timeZone,
      partnerFk: s.who.partnerFk,
      granularity: s.granularity,
      periodStart: s.period.start,
      periodEnd: s.period.end,
      cdrCount: s.lines.length,
      lateCdrCount: s.late,
      createdAt: this.o.clock.now(),
    });
    await repo.insertStatementTotals(trx, id, settle(s.lines));
    await repo.insertStatementCdrs(trx, id, s.granularity, s.lines.map((l) => l.id));
    this.o.logger.info('statement closed', { statementId: id, partyFk: s.who.partyFk, partnerFk: s.who.partnerFk, granularity: s.granularity, periodStart: s.period.start.toISOString(), cdrs: s.lines.length, late: s.late });
  }

  list(filter: repo.StatementFilter): Promise<Statement[]> {
    return repo.listStatements(this.o.db, filter);
  }

  /** A statement with its reconciliation of deliveries, as of now (delivery goes on after closing). */
  async get(id: number): Promise<{ statement: Statement; lines: SettlementLine[]; delivery: Map<string, DeliveryState>; reconciliation: Reconciliation }> {
    const statement = await repo.getStatement(this.o.db, id);
    const lines = await cdrs.listStatementLines(this.o.db, id);
    const ids = lines.map((l) => l.cdrId);
    const found = statement.partnerFk === null ? new Map<string, DeliveryState>() : await cdrs.listDeliveryStates(this.o.db, statement.partnerFk, ids);
    const delivery = new Map<string, DeliveryState>(ids.map((cdrId) => [cdrId, found.get(cdrId) ?? 'NONE']));
    return { statement, lines, delivery, reconciliation: reconcile(ids.map((cdrId) => ({ cdrId, state: delivery.get(cdrId)! }))) };
  }

  async csv(id: number): Promise<string> {
    const { statement, lines, delivery } = await this.get(id);
    return toStatementCsv(statement, lines, delivery);
  }
}
