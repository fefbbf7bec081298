import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import { NotFound } from '../shared/errors.ts';
import type { CdrRecord, OcpiCdr } from './cdr.types.ts';
import type { DeliveryState, SettlementLine } from './settlement.ts';

// CDRs are immutable (OCPI 2.2.1 cdrs §10.2.1): this repo inserts and reads, it has no UPDATE or DELETE,
// and the database refuses updates too (trigger cdrs_immutable).

type Row = Record<string, any>;

const decimal = (v: unknown): string => String(v);

const toCdr = (r: Row): CdrRecord => ({
  id: Number(r.id),
  cdrId: r.cdr_id,
  partyFk: r.party_fk,
  sessionFk: r.session_fk,
  partnerFk: r.partner_fk,
  currency: r.currency,
  totalCostExclVat: decimal(r.total_cost_excl_vat),
  totalCostInclVat: decimal(r.total_cost_incl_vat),
  kwh: decimal(r.kwh),
  totalTimeHours: decimal(r.total_time_hours),
  totalParkingHours: decimal(r.total_parking_hours),
  credit: r.credit,
  creditReferenceId: r.credit_reference_id,
  replacesCdrFk: r.replaces_cdr_fk ?? null,
  body: r.body,
  createdAt: new Date(r.created_at),
});

/** A JSON number as stored: its shortest round-trip decimal string (exact for rounded OCPI amounts). */
const num = (n: number | undefined): string => String(n ?? 0);

export async function insertCdr(db: Db, c: { partyFk: number; sessionFk: number | null; partnerFk: number | null; body: OcpiCdr; createdAt: Date; replacesCdrFk?: number | null }): Promise<CdrRecord> {
  const b = c.body;
  const [row] = await translatePg(`cdr ${b.id}`, () =>
    db('cdrs')
      .insert({
        cdr_id: b.id,
        party_fk: c.partyFk,
        session_fk: c.sessionFk,
        partner_fk: c.partnerFk,
        currency: b.currency,
        total_cost_excl_vat: num(b.total_cost.excl_vat),
        total_cost_incl_vat: num(b.total_cost.incl_vat ?? b.total_cost.excl_vat),
        kwh: num(b.total_energy),
        total_time_hours: num(b.total_time),
        total_parking_hours: num(b.total_parking_time),
        body: JSON.stringify(b),
        credit: b.credit === true,
        credit_reference_id: b.credit_reference_id ?? null,
        created_at: c.createdAt,
        replaces_cdr_fk: c.replacesCdrFk ?? null,
      })
      .returning('*'),
  );
  return toCdr(row);
}

export async function getCdr(db: Db, id: number): Promise<CdrRecord> {
  const row = await db('cdrs').where({ id }).first();
  if (!row) throw new NotFound(`cdr ${id} not found`);
  return toCdr(row);
}

/** The normal (non-credit) CDR of a session in force: the one no replacement CDR replaced. */
export async function findCdrOfSession(db: Db, sessionFk: number): Promise<CdrRecord | undefined> {
  const row = await db('cdrs')
    .where({ session_fk: sessionFk, credit: false })
    .whereNotExists((q) => q.select(db.raw('1')).from('cdrs as r').whereRaw('r.replaces_cdr_fk = cdrs.id'))
    .first();
  return row ? toCdr(row) : undefined;
}

export async function findCreditOf(db: Db, partyFk: number, cdrId: string): Promise<CdrRecord | undefined> {
  const row = await db('cdrs').where({ party_fk: partyFk, credit_reference_id: cdrId, credit: true }).first();
  return row ? toCdr(row) : undefined;
}

export interface CdrFilter {
  /** A partner id, or null for the operator's own tokens; undefined = all. */
  partnerFk?: number | null;
  /** Our party that issued the CDRs; undefined = all. */
  partyFk?: number;
  dateFrom?: Date;
  dateTo?: Date;
}

function filtered(db: Db, f: CdrFilter) {
  const q = db('cdrs');
  if (f.partnerFk === null) q.whereNull('partner_fk');
  else if (f.partnerFk !== undefined) q.where({ partner_fk: f.partnerFk });
  if (f.partyFk !== undefined) q.where({ party_fk: f.partyFk });
  // OCPI 2.2.1 cdrs §10.2.1.1: date_from inclusive, date_to exclusive, on last_updated (= created_at)
  if (f.dateFrom) q.where('created_at', '>=', f.dateFrom);
  if (f.dateTo) q.where('created_at', '<', f.dateTo);
  return q;
}

/** A page of CDRs, oldest first (stable for offset paging), and the total matching count. */
export async function listCdrs(db: Db, f: CdrFilter & { offset: number; limit: number }): Promise<{ items: CdrRecord[]; total: number }> {
  const [{ count }] = await filtered(db, f).count<{ count: string }[]>({ count: '*' });
  const rows = await filtered(db, f).orderBy([{ column: 'created_at' }, { column: 'id' }]).offset(f.offset).limit(f.limit);
  return { items: rows.map(toCdr), total: Number(count) };
}

const toLine = (r: Row): SettlementLine => ({
  cdrId: r.cdr_id,
  sessionId: r.body?.session_id ?? null,
  createdAt: new Date(r.created_at),
  currency: r.currency,
  credit: r.credit,
  kwh: decimal(r.kwh),
  totalTimeHours: decimal(r.total_time_hours),
  totalParkingHours: decimal(r.total_parking_hours),
  costExclVat: decimal(r.total_cost_excl_vat),
  costInclVat: decimal(r.total_cost_incl_vat),
  closeReason: r.close_reason ?? null,
});

/** Settlement lines with their row ids. */
export type LineRow = SettlementLine & { id: number };

/** CDRs of a partner (null = local) created before `before` and not yet in a statement of `granularity`. */
export async function listUnsettled(db: Db, o: { partyFk: number; partnerFk: number | null; granularity: string; before: Date }): Promise<LineRow[]> {
  const rows = await filtered(db, { partyFk: o.partyFk, partnerFk: o.partnerFk, dateTo: o.before })
    .whereNotExists((q) => q.select(db.raw('1')).from('statement_cdrs as sc').whereRaw('sc.cdr_fk = cdrs.id').andWhere('sc.granularity', o.granularity))
    .orderBy([{ column: 'created_at' }, { column: 'id' }]);
  return rows.map((r: Row) => ({ ...toLine(r), id: Number(r.id) }));
}

/** Partners (null = local tokens) with CDRs of own party `partyFk` created before `before` not yet settled in `granularity`. */
export async function listUnsettledPartners(db: Db, o: { partyFk: number; granularity: string; before: Date }): Promise<Array<number | null>> {
  const rows = await db('cdrs')
    .distinct('partner_fk')
    .where('party_fk', o.partyFk)
    .where('created_at', '<', o.before)
    .whereNotExists((q) => q.select(db.raw('1')).from('statement_cdrs as sc').whereRaw('sc.cdr_fk = cdrs.id').andWhere('sc.granularity', o.granularity));
  return rows.map((r: Row) => r.partner_fk);
}

export async function listStatementLines(db: Db, statementFk: number): Promise<SettlementLine[]> {
  const rows = await db('cdrs')
    .join('statement_cdrs as sc', 'sc.cdr_fk', 'cdrs.id')
    .leftJoin('sessions as s', 's.id', 'cdrs.session_fk')
    .where('sc.statement_fk', statementFk)
    .orderBy([{ column: 'cdrs.created_at' }, { column: 'cdrs.id' }])
    .select('cdrs.*', 's.close_reason');
  return rows.map(toLine);
}

/**
 * Delivery state of each CDR's POST, from the outbox rows of the partner's cdrs module (see
 * cdr.service.ts): DELIVERED = acknowledged with OCPI 1000; DEAD and CANCELLED as the row says (never
 * retried by the worker); another attempted row with an error is FAILING (the push worker retries it).
 * CDRs without a row are absent from the map.
 */
export async function listDeliveryStates(db: Db, partnerFk: number, cdrIds: string[]): Promise<Map<string, DeliveryState>> {
  const out = new Map<string, DeliveryState>();
  if (cdrIds.length === 0) return out;
  const rows = await db('ocpi_outbox')
    .where({ partner_fk: partnerFk, module: 'cdrs', method: 'POST' })
    .whereRaw("body->>'id' = any(?)", [cdrIds])
    .select(db.raw("body->>'id' as cdr_id"), 'status', 'attempts', 'last_error');
  for (const r of rows as Row[]) {
    const isFinal = r.status === 'DELIVERED' || r.status === 'DEAD' || r.status === 'CANCELLED';
    const state: DeliveryState = isFinal ? r.status : r.attempts > 0 && r.last_error ? 'FAILING' : 'PENDING';
    out.set(r.cdr_id, state);
  }
  return out;
}
