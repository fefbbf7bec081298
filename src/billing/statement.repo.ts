import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import type { CurrencyTotals, Granularity } from './settlement.ts';
import type { Statement } from './statement.types.ts';

// Statements are written once, in one transaction with their totals and CDR links, and never updated.

type Row = Record<string, any>;

const toTotals = (r: Row): CurrencyTotals => ({
  currency: r.currency,
  cdrCount: r.cdr_count,
  creditCount: r.credit_count,
  kwh: String(r.kwh),
  totalTimeHours: String(r.total_time_hours),
  totalParkingHours: String(r.total_parking_hours),
  costExclVat: String(r.cost_excl_vat),
  costInclVat: String(r.cost_incl_vat),
});

const toStatement = (r: Row, totals: CurrencyTotals[]): Statement => ({
  id: r.id,
  partyFk: r.party_fk,
  partnerFk: r.partner_fk,
  granularity: r.granularity,
  periodStart: new Date(r.period_start),
  periodEnd: new Date(r.period_end),
  timeZone: r.time_zone,
  cdrCount: r.cdr_count,
  lateCdrCount: r.late_cdr_count,
  totals,
  createdAt: new Date(r.created_at),
});

export interface NewStatement {
  partyFk: number;
  timeZone: string;
  partnerFk: number | null;
  granularity: Granularity;
  periodStart: Date;
  periodEnd: Date;
  cdrCount: number;
  lateCdrCount: number;
  createdAt: Date;
}

export async function insertStatement(db: Db, s: NewStatement): Promise<number> {
  const [row] = await db('statements')
    .insert({ party_fk: s.partyFk, partner_fk: s.partnerFk, granularity: s.granularity, period_start: s.periodStart, period_end: s.periodEnd, time_zone: s.timeZone, cdr_count: s.cdrCount, late_cdr_count: s.lateCdrCount, created_at: s.createdAt })
    .returning('id');
  return row.id;
}

export async function insertStatementTotals(db: Db, statementFk: number, totals: CurrencyTotals[]): Promise<void> {
  if (totals.length === 0) return;
  await db('statement_totals').insert(
    totals.map((t) => ({
      statement_fk: statementFk,
      currency: t.currency,
      cdr_count: t.cdrCount,
      credit_count: t.creditCount,
      kwh: t.kwh,
      total_time_hours: t.totalTimeHours,
      total_parking_hours: t.totalParkingHours,
      cost_excl_vat: t.costExclVat,
      cost_incl_vat: t.costInclVat,
    })),
  );
}

export async function insertStatementCdrs(db: Db, statementFk: number, granularity: Granularity, cdrFks: number[]): Promise<void> {
  if (cdrFks.length === 0) return;
  await db('statement_cdrs').insert(cdrFks.map((cdrFk) => ({ statement_fk: statementFk, cdr_fk: cdrFk, granularity })));
}

export async function findStatementId(db: Db, k: { partyFk: number; partnerFk: number | null; granularity: Granularity; periodStart: Date }): Promise<number | undefined> {
  const row = await db('statements')
    .where({ party_fk: k.partyFk })
    .whereRaw('coalesce(partner_fk, 0) = ?', [k.partnerFk ?? 0])
    .where({ granularity: k.granularity, period_start: k.periodStart })
    .first('id');
  return row?.id;
}

async function totalsOf(db: Db, ids: number[]): Promise<Map<number, CurrencyTotals[]>> {
  const out = new Map<number, CurrencyTotals[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db('statement_totals').whereIn('statement_fk', ids).orderBy([{ column: 'statement_fk' }, { column: 'currency' }]);
  for (const r of rows as Row[]) out.get(r.statement_fk)!.push(toTotals(r));
  return out;
}

export async function getStatement(db: Db, id: number): Promise<Statement> {
  const row = await db('statements').where({ id }).first();
  if (!row) throw new NotFound(`statement ${id} not found`);
  return toStatement(row, (await totalsOf(db, [row.id])).get(row.id)!);
}

export interface StatementFilter {
  /** A partner id, or null for the operator's own tokens; undefined = all. */
  partnerFk?: number | null;
  granularity?: Granularity;
  offset: number;
  limit: number;
}

/** Statements, newest period first. */
export async function listStatements(db: Db, f: StatementFilter): Promise<Statement[]> {
  const q = db('statements').orderBy([{ column: 'period_start', order: 'desc' }, { column: 'id', order: 'desc' }]).offset(f.offset).limit(f.limit);
  if (f.partnerFk === null) q.whereNull('partner_fk');
  else if (f.partnerFk !== undefined) q.where({ partner_fk: f.partnerFk });
  if (f.granularity) q.where({ granularity: f.granularity });
  const rows: Row[] = await q;
  const totals = await totalsOf(db, rows.map((r) => r.id));
  return rows.map((r) => toStatement(r, totals.get(r.id)!));
}
