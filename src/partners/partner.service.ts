import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import { InvalidInput } from '../shared/errors.ts';
import { hashSecret, newSecret } from '../shared/ids.ts';
import type { Db } from '../db/knex.ts';
import { onTableWrites } from '../db/table-writes.ts';
import { TtlMemo } from '../shared/ttl-memo.ts';
import type { Party } from '../parties/party.repo.ts';
import { findParty, getDefaultParty, listParties } from '../parties/party.service.ts';
import type { OcpiAuthenticator } from '../ocpi/auth.ts';
import * as outbox from './outbox.repo.ts';
import type { PushRequest } from './outbox.repo.ts';
import * as repo from './partner.repo.ts';
import { findPartnerByTokenHash, getPartner, insertPartner, listPartners } from './partner.repo.ts';
import type { Credentials, CredentialsRole, InterfaceRole, Partner, PartyRef } from './partner.types.ts';

/** OCPI 2.2.1 types §16 Role values a partner may be invited as. */
export const PARTNER_ROLES = ['EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP', 'CPO'] as const;

/** A partner as the admin API and CLI show it: never a token. */
export interface PartnerView {
  id: number;
  countryCode: string;
  partyId: string;
  role: string;
  name: string | null;
  status: Partner['status'];
  version: string | null;
  versionsUrl: string | null;
  tokenEncoding: Partner['tokenEncoding'];
  roles: Array<{ role: string; countryCode: string; partyId: string; name: string }>;
  endpoints: Partner['endpoints'];
  registeredAt: string | null;
  createdAt: string;
}

export function toPartnerView(p: Partner): PartnerView {
  return {
    id: p.id, countryCode: p.countryCode, partyId: p.partyId, role: p.role, name: p.name, status: p.status, version: p.version,
    versionsUrl: p.versionsUrl, tokenEncoding: p.tokenEncoding,
    roles: p.roles.map((r) => ({ role: r.role, countryCode: r.country_code, partyId: r.party_id, name: r.business_details?.name })),
    endpoints: p.endpoints, registeredAt: p.registeredAt?.toISOString() ?? null, createdAt: p.createdAt.toISOString(),
  };
}

/** The versions URL partners register with. */
export function versionsUrlOf(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/ocpi/versions`;
}

// For other domains, inside their own transaction (`db` may be one): the partner directory and the outbox.

export async function findPartner(db: Db, id: number): Promise<Partner | undefined> {
  return repo.findPartner(db, id);
}

export async function findPartnerByParty(db: Db, countryCode: string, partyId: string): Promise<Partner | undefined> {
  return repo.findPartnerByParty(db, countryCode, partyId);
}

/** Registered partners whose version details list `module` with interface `role` (e.g. locations RECEIVER). */
export async function listRegisteredPartnersWith(db: Db, module: string, role: InterfaceRole): Promise<Partner[]> {
  return repo.listRegisteredPartnersWith(db, module, role);
}

/**
 * Queues a push to a partner (the push worker sends it). Call it INSIDE the transaction of the change that
 * causes it: the push exists exactly when the change is committed. Returns the outbox id.
 */
export async function enqueuePush(trx: Db, push: PushRequest): Promise<number> {
  return outbox.enqueuePush(trx, push);
}

/** Partners: authentication of OCPI requests, invitations, listing, and our own credentials. */
/** How long this node keeps an own party in memory for OCPI requests; its own writes to parties drop it at once. */
const PARTY_MEMO_MS = 5000;

export class PartnerService implements OcpiAuthenticator {
  private readonly parties = new TtlMemo<Party | null>(1000);

  constructor(private readonly o: { db: Knex; clock: Clock }) {
    onTableWrites(o.db, ['parties'], () => this.parties.clear());
  }

  async authenticate(tokenCandidates: string[]): Promise<{ partner: Partner; isInvited: boolean } | undefined> {
    const found = await findPartnerByTokenHash(this.o.db, tokenCandidates.map(hashSecret));
    if (!found) return undefined;
    return { partner: found.partner, isInvited: found.isTokenA || found.partner.status !== 'REGISTERED' };
  }

  /** The own party an OCPI request addresses (the default one without routing headers); read once per few seconds per node. */
  async findOwnParty(to?: PartyRef): Promise<Party | undefined> {
    const key = to ? `${to.countryCode}\u0000${to.partyId}`.toUpperCase() : '';
    const nowMs = this.o.clock.now().getTime();
    const known = this.parties.get(key, nowMs);
    if (known !== undefined) return known ?? undefined;
    const epoch = this.parties.epoch();
    const party = (await (to ? findParty(this.o.db, to.countryCode, to.partyId) : getDefaultParty(this.o.db))) ?? null;
    this.parties.set(key, party, nowMs + PARTY_MEMO_MS, epoch);
    return party ?? undefined;
  }

  /**
   * Creates CREDENTIALS_TOKEN_A for a party to register with us (credentials §7.1.1): returned once,
   * stored only as a hash, valid for versions and credentials until the partner registers.
   */
  async invite(opts: { countryCode: string; partyId: string; role: string; name?: string }, baseUrl: string): Promise<{ partner: Partner; tokenA: string; versionsUrl: string }> {
    const countryCode = opts.countryCode.toUpperCase();
    const partyId = opts.partyId.toUpperCase();
    const role = opts.role.toUpperCase();
    if (!/^[A-Z]{2}$/.test(countryCode)) throw new InvalidInput('countryCode: must be 2 letters (ISO 3166-1 alpha-2)');
    if (!/^[A-Z0-9]{3}$/.test(partyId)) throw new InvalidInput('partyId: must be 3 letters or digits');
    if (!(PARTNER_ROLES as readonly string[]).includes(role)) throw new InvalidInput(`role: must be one of ${PARTNER_ROLES.join(', ')}`);
    const tokenA = newSecret();
    const partner = await insertPartner(this.o.db, { countryCode, partyId, role, name: opts.name ?? null, status: 'INVITED', tokenAHash: hashSecret(tokenA) });
    return { partner, tokenA, versionsUrl: versionsUrlOf(baseUrl) };
  }

  async list(opts: { includeUnregistered?: boolean } = {}): Promise<Partner[]> {
    return listPartners(this.o.db, opts);
  }

  async get(id: number): Promise<Partner> {
    return getPartner(this.o.db, id);
  }

  /** Our credentials object (credentials §7.3.1): one CPO role per party hosted on this platform. */
  async ownCredentials(token: string, baseUrl: string): Promise<Credentials> {
    const parties = await listParties(this.o.db);
    const roles: CredentialsRole[] = parties.map((p) => ({ role: 'CPO', party_id: p.partyId, country_code: p.countryCode, business_details: { name: p.name } }));
    return { token, url: versionsUrlOf(baseUrl), roles };
  }
}
