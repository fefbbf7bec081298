import { dbNow } from '../db/clock.ts';
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import { NotFound } from '../shared/errors.ts';
import type { NewTariffAssignment, StoredPrice, TariffAssignment, TariffRecord, TariffWrite } from './tariff-record.types.ts';
import type { ChargingSite, OcpiParty } from './tariff-selection.ts';

type Row = Record<string, any>;

const price = (excl: string | null, incl: string | null): StoredPrice | null => (excl === null ? null : { exclVat: excl, inclVat: incl });

const toTariff = (r: Row): TariffRecord => ({
  id: r.id,
  partyFk: r.party_fk,
  countryCode: r.country_code,
  partyId: r.party_id,
  currency: r.currency,
  type: r.type,
  altText: r.tariff_alt_text,
  altUrl: r.tariff_alt_url,
  minPrice: price(r.min_price_excl_vat, r.min_price_incl_vat),
  maxPrice: price(r.max_price_excl_vat, r.max_price_incl_vat),
  elements: r.elements,
  enteredElements: r.entered_elements ?? null,
  energyMix: r.energy_mix,
  startDateTime: r.start_date_time,
  endDateTime: r.end_date_time,
  lastUpdated: r.last_updated,
});

const toAssignment = (r: Row): TariffAssignment => ({
  id: r.id,
  tariffId: r.tariff_id,
  connectorFk: r.connector_fk,
  evseFk: r.evse_fk,
  locationId: r.location_id,
  party: r.emsp_country_code === null ? null : { countryCode: r.emsp_country_code, partyId: r.emsp_party_id },
  groupId: r.group_id,
  priority: r.priority,
});

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

function toRow(t: TariffWrite): Row {
  return {
    id: t.id,
    party_fk: t.partyFk,
    currency: t.currency,
    type: t.type,
    tariff_alt_text: json(t.altText),
    tariff_alt_url: t.altUrl,
    min_price_excl_vat: t.minPrice?.exclVat ?? null,
    min_price_incl_vat: t.minPrice?.inclVat ?? null,
    max_price_excl_vat: t.maxPrice?.exclVat ?? null,
    max_price_incl_vat: t.maxPrice?.inclVat ?? null,
    elements: JSON.stringify(t.elements),
    entered_elements: json(t.enteredElements),
    energy_mix: json(t.energyMix),
    start_date_time: t.startDateTime,
    end_date_time: t.endDateTime,
    last_updated: t.lastUpdated,
  };
}

const withParty = (db: Db) =>
  db('tariffs as t').join('parties as p', 'p.id', 't.party_fk').select('t.*', 'p.country_code', 'p.party_id');

/** Inserts or replaces the tariff with this id (the caller checks ownership first). */
export async function upsertTariff(db: Db, t: TariffWrite): Promise<void> {
  await translatePg(`tariff ${t.id}`, () => db('tariffs').insert({ ...toRow(t), created_at: dbNow(db) }).onConflict('id').merge(toRow(t)));
}

export async function findTariff(db: Db, id: string): Promise<TariffRecord | undefined> {
  const row = await withParty(db).where('t.id', id).first();
  return row ? toTariff(row) : undefined;
}

export async function getTariff(db: Db, id: string): Promise<TariffRecord> {
  const t = await findTariff(db, id);
  if (!t) throw new NotFound(`tariff ${id} not found`);
  return t;
}

export async function findTariffsByIds(db: Db, ids: readonly string[]): Promise<TariffRecord[]> {
  if (ids.length === 0) return [];
  return (await withParty(db).whereIn('t.id', [...ids])).map(toTariff);
}

export interface TariffFilter {
  partyFk?: number;
  /** last_updated >= dateFrom (OCPI 2.2.1 tariffs §11.2.1.1: inclusive). */
  dateFrom?: Date;
  /** last_updated < dateTo (exclusive). */
  dateTo?: Date;
  /** Only tariffs this eMSP party may see (the rules of tariff-visibility.ts, as SQL). */
  visibleToParty?: OcpiParty;
}

// tariff-visibility.ts: a rule for everybody (no party, no group) or one naming the party.
function whereVisibleTo(q: Knex.QueryBuilder, party: OcpiParty): void {
  q.whereExists((sub) => {
    sub.select(1).from('tariff_assignments as a').whereRaw('a.tariff_id = t.id')
      .andWhere((w) => w.where((g) => g.whereNull('a.emsp_country_code').whereNull('a.group_id'))
        .orWhere({ 'a.emsp_country_code': party.countryCode.toUpperCase(), 'a.emsp_party_id': party.partyId.toUpperCase() }));
  });
}

function filtered(db: Db, f: TariffFilter) {
  const q = withParty(db);
  if (f.partyFk !== undefined) q.where('t.party_fk', f.partyFk);
  if (f.dateFrom) q.where('t.last_updated', '>=', f.dateFrom);
  if (f.dateTo) q.where('t.last_updated', '<', f.dateTo);
  if (f.visibleToParty !== undefined) whereVisibleTo(q, f.visibleToParty);
  return q;
}

/** A page of tariffs, oldest change first (stable across pages: ties broken by id). */
export async function listTariffs(db: Db, f: TariffFilter & { offset: number; limit: number }): Promise<TariffRecord[]> {
  const rows = await filtered(db, f).orderBy([{ column: 't.last_updated' }, { column: 't.id' }]).offset(f.offset).limit(f.limit);
  return rows.map(toTariff);
}

export async function countTariffs(db: Db, f: TariffFilter): Promise<number> {
  const row = await filtered(db, f).clearSelect().count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export async function deleteTariff(db: Db, id: string): Promise<number> {
  return db('tariffs').where({ id }).delete();
}

export async function insertAssignment(db: Db, a: NewTariffAssignment): Promise<TariffAssignment> {
  const [row] = await translatePg(`assignment of tariff ${a.tariffId} to this scope and audience`, () =>
    db('tariff_assignments')
      .insert({
        tariff_id: a.tariffId, connector_fk: a.connectorFk, evse_fk: a.evseFk, location_id: a.locationId,
        emsp_country_code: a.party?.countryCode.toUpperCase() ?? null, emsp_party_id: a.party?.partyId.toUpperCase() ?? null, group_id: a.groupId, priority: a.priority,
        created_at: dbNow(db),
      })
      .returning('*'),
  );
  return toAssignment(row);
}

export async function findAssignment(db: Db, id: number): Promise<TariffAssignment | undefined> {
  const row = await db('tariff_assignments').where({ id }).first();
  return row ? toAssignment(row) : undefined;
}

export async function listAssignmentsOfTariff(db: Db, tariffId: string): Promise<TariffAssignment[]> {
  return (await db('tariff_assignments').where({ tariff_id: tariffId }).orderBy('id')).map(toAssignment);
}

/** The rules naming eMSP party `party` without a token group: those that shape its Connector.tariff_ids. */
export async function listUngroupedAssignmentsOfParty(db: Db, party: OcpiParty): Promise<TariffAssignment[]> {
  const rows = await db('tariff_assignments').where({ emsp_country_code: party.countryCode.toUpperCase(), emsp_party_id: party.partyId.toUpperCase() }).whereNull('group_id').orderBy('id');
  return rows.map(toAssignment);
}

/** Every party named by a rule without a token group (the parties whose Connector.tariff_ids may differ). */
export async function listPartiesOfUngroupedAssignments(db: Db): Promise<OcpiParty[]> {
  const rows = await db('tariff_assignments').whereNotNull('emsp_country_code').whereNull('group_id').distinct('emsp_country_code', 'emsp_party_id').orderBy(['emsp_country_code', 'emsp_party_id']);
  return rows.map((r: Row) => ({ countryCode: r.emsp_country_code, partyId: r.emsp_party_id }));
}

/** Every rule that could cover the site (its connector, its EVSE or its location). */
export async function listAssignmentsForSite(db: Db, site: ChargingSite): Promise<TariffAssignment[]> {
  const rows = await db('tariff_assignments').where((q) => {
    q.where('connector_fk', site.connectorFk ?? -1)
      .orWhere('evse_fk', site.evseFk ?? -1)
      .orWhere('location_id', site.locationId ?? '');
  });
  return rows.map(toAssignment);
}

/**
 * Every rule that could cover one of the sites (listAssignmentsForSite for many at once: one query), as the
 * list of each site, in the order of `sites`.
 */
export async function listAssignmentsForSites(db: Db, sites: readonly ChargingSite[]): Promise<TariffAssignment[][]> {
  if (sites.length === 0) return [];
  const ids = <K extends keyof ChargingSite>(key: K) => [...new Set(sites.map((x) => x[key]).filter((v) => v !== null))] as Array<NonNullable<ChargingSite[K]>>;
  const rows = await db('tariff_assignments').where((q) => {
    q.whereIn('connector_fk', ids('connectorFk')).orWhereIn('evse_fk', ids('evseFk')).orWhereIn('location_id', ids('locationId'));
  }).orderBy('id');
  const all = rows.map(toAssignment);
  return sites.map((site) => all.filter((a) => (a.connectorFk !== null && a.connectorFk === site.connectorFk) || (a.evseFk !== null && a.evseFk === site.evseFk) || (a.locationId !== null && a.locationId === site.locationId)));
}

export async function deleteAssignment(db: Db, id: number): Promise<number> {
  return db('tariff_assignments').where({ id }).delete();
}
