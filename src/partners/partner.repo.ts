import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import { NotFound } from '../shared/errors.ts';
import { OUTGOING_TOKEN, type CredentialsRole, type Endpoint, type InterfaceRole, type Partner, type PartnerStatus, type TokenEncoding } from './partner.types.ts';

const TABLE = 'ocpi_partners';

function toPartner(r: Record<string, any>): Partner {
  const partner: Partner = {
    id: r.id,
    countryCode: r.country_code,
    partyId: r.party_id,
    role: r.role,
    name: r.name ?? null,
    roles: r.roles ?? [],
    versionsUrl: r.versions_url ?? null,
    version: r.version ?? null,
    endpoints: r.endpoints ?? [],
    status: r.status,
    tokenEncoding: r.token_encoding,
    registeredAt: r.registered_at ? new Date(r.registered_at) : null,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
  if (r.token_remote) partner[OUTGOING_TOKEN] = r.token_remote;
  return partner;
}

/** Fields a service may change; tokens are passed as hashes except the one we call them with. */
export interface PartnerChanges {
  countryCode?: string;
  partyId?: string;
  name?: string | null;
  roles?: CredentialsRole[];
  versionsUrl?: string | null;
  version?: string | null;
  endpoints?: Endpoint[];
  status?: PartnerStatus;
  tokenEncoding?: TokenEncoding;
  tokenAHash?: string | null;
  tokenHash?: string | null;
  tokenRemote?: string | null;
  /** A token offered in a credentials update we started, accepted beside tokenHash until it ends. */
  tokenNextHash?: string | null;
  registeredAt?: Date | null;
}

const COLUMNS: Record<keyof PartnerChanges, string> = {
  countryCode: 'country_code', partyId: 'party_id', name: 'name', roles: 'roles', versionsUrl: 'versions_url',
  version: 'version', endpoints: 'endpoints', status: 'status', tokenEncoding: 'token_encoding',
  tokenAHash: 'token_a_hash', tokenHash: 'token_hash', tokenRemote: 'token_remote', tokenNextHash: 'token_next_hash', registeredAt: 'registered_at',
};

function toRow(changes: PartnerChanges): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const column = COLUMNS[key as keyof PartnerChanges];
    // jsonb columns: pass JSON text, pg would otherwise send a JS array as a Postgres array
    row[column] = key === 'roles' || key === 'endpoints' ? JSON.stringify(value) : value;
  }
  return row;
}

/** Creates a partner row (an invitation, or a registration we initiate). */
export async function insertPartner(db: Db, p: PartnerChanges & { countryCode: string; partyId: string; role: string; status: PartnerStatus }): Promise<Partner> {
  const { role, ...changes } = p;
  const [row] = await translatePg(`live OCPI partner ${p.countryCode}/${p.partyId}`, () => db(TABLE).insert({ ...toRow(changes), role: role.toUpperCase(), created_at: dbNow(db), updated_at: dbNow(db) }).returning('*'));
  return toPartner(row);
}

export async function updatePartner(db: Db, id: number, changes: PartnerChanges): Promise<Partner> {
  const [row] = await translatePg('OCPI partner', () => db(TABLE).where({ id }).update({ ...toRow(changes), updated_at: dbNow(db) }).returning('*'));
  if (!row) throw new NotFound(`OCPI partner ${id} not found`);
  return toPartner(row);
}

export async function findPartner(db: Db, id: number): Promise<Partner | undefined> {
  const row = await db(TABLE).where({ id }).first();
  return row ? toPartner(row) : undefined;
}

export async function getPartner(db: Db, id: number): Promise<Partner> {
  const partner = await findPartner(db, id);
  if (!partner) throw new NotFound(`OCPI partner ${id} not found`);
  return partner;
}

/**
 * The live partner that one of `tokenHashes` (hashes of the candidate decodings of an Authorization
 * header) belongs to, and whether it is its invitation token A or a current token (the current one, or
 * the one offered in a credentials update under way).
 */
export async function findPartnerByTokenHash(db: Db, tokenHashes: string[]): Promise<{ partner: Partner; isTokenA: boolean } | undefined> {
  const row = await db(TABLE)
    .whereNot({ status: 'UNREGISTERED' })
    .andWhere((q) => q.whereIn('token_hash', tokenHashes).orWhereIn('token_a_hash', tokenHashes).orWhereIn('token_next_hash', tokenHashes))
    .first();
  if (!row) return undefined;
  return { partner: toPartner(row), isTokenA: row.token_a_hash !== null && tokenHashes.includes(row.token_a_hash) };
}

/** How long a credentials update we started may run before another may take over (it lasts one PUT). */
const TOKEN_UPDATE_STALE_MS = 15 * 60_000;

/**
 * Starts a credentials update of a registered partner: `nextHash` is accepted beside its current token
 * from now on. Undefined when the partner is not registered, or another update is under way (one begun
 * less than 15 minutes ago).
 */
export async function beginTokenUpdate(db: Db, id: number, nextHash: string): Promise<Partner | undefined> {
  const [row] = await db(TABLE)
    .where({ id, status: 'REGISTERED' })
    .andWhere((q) => q.whereNull('token_next_hash').orWhere('token_next_at', '<', new Date(dbNow(db).getTime() - TOKEN_UPDATE_STALE_MS)))
    .update({ token_next_hash: nextHash, token_next_at: dbNow(db) })
    .returning('*');
  return row ? toPartner(row) : undefined;
}

/**
 * Ends the update begun with `nextHash` as accepted: that token replaces the current one, which stops
 * working, together with `changes`. Undefined (nothing changed) when the partner is no longer registered
 * or the update was taken over.
 */
export async function finishTokenUpdate(db: Db, id: number, nextHash: string, changes: PartnerChanges): Promise<Partner | undefined> {
  const [row] = await db(TABLE)
    .where({ id, status: 'REGISTERED', token_next_hash: nextHash })
    .update({ ...toRow(changes), token_hash: nextHash, token_next_hash: null, token_next_at: null, updated_at: dbNow(db) })
    .returning('*');
  return row ? toPartner(row) : undefined;
}

/** Ends the update begun with `nextHash` as failed: that token stops working, the current one stays. */
export async function abandonTokenUpdate(db: Db, id: number, nextHash: string): Promise<void> {
  await db(TABLE).where({ id, token_next_hash: nextHash }).update({ token_next_hash: null, token_next_at: null });
}

/** The live (not unregistered; registered first) partner that is, or declared in its roles, the party `cc`/`pid`. */
export async function findPartnerByParty(db: Db, countryCode: string, partyId: string): Promise<Partner | undefined> {
  const cc = countryCode.toUpperCase();
  const pid = partyId.toUpperCase();
  const row = await db(TABLE)
    .whereNot({ status: 'UNREGISTERED' })
    .andWhere((q) => q.where({ country_code: cc, party_id: pid }).orWhereRaw('roles @> ?::jsonb', [JSON.stringify([{ country_code: cc, party_id: pid }])]))
    .orderByRaw("status = 'REGISTERED' desc, id")
    .first();
  return row ? toPartner(row) : undefined;
}

export async function listPartners(db: Db, opts: { includeUnregistered?: boolean } = {}): Promise<Partner[]> {
  const q = db(TABLE).orderBy('id');
  if (!opts.includeUnregistered) q.whereNot({ status: 'UNREGISTERED' });
  return (await q).map(toPartner);
}

/** Registered partners whose version details list `module` with interface `role` (e.g. locations RECEIVER). */
export async function listRegisteredPartnersWith(db: Db, module: string, role: InterfaceRole): Promise<Partner[]> {
  const rows = await db(TABLE)
    .where({ status: 'REGISTERED' })
    .whereRaw('endpoints @> ?::jsonb', [JSON.stringify([{ identifier: module, role }])])
    .orderBy('id');
  return rows.map(toPartner);
}
