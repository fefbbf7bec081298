import type { Knex } from 'knex';
import { InvalidInput } from '../shared/errors.ts';
// eslint-disable-next-line no-restricted-syntax -- OCPI hubclientinfo module logic: its 2001 with HTTP 403 (only a hub may use it) has no domain error equivalent
import { OcpiError } from '../ocpi/errors.ts';
import type { Partner } from '../partners/partner.types.ts';
import { ocpiDateTimeOf } from '../shared/ocpi-date-time.ts';
import { findClientInfo, upsertClientInfo, type ClientInfo, type ConnectionStatus } from './client-info.repo.ts';

/** OCPI 2.2.1 hubclientinfo §15.4.1 ClientInfo (wire shape). */
export interface OcpiClientInfo {
  party_id: string;
  country_code: string;
  role: string;
  status: ConnectionStatus;
  last_updated: string;
}

export function toOcpiClientInfo(c: ClientInfo): OcpiClientInfo {
  return { party_id: c.partyId, country_code: c.countryCode, role: c.role, status: c.status, last_updated: ocpiDateTimeOf(c.lastUpdated, c.lastUpdatedAsSent) };
}

/** §15: "this module is between eMSP/CPO and Hub": only a partner registered with a HUB role pushes ClientInfo. */
function assertHub(partner: Partner): void {
  if (partner.role === 'HUB' || partner.roles.some((r) => r.role === 'HUB')) return;
  throw new OcpiError('hubclientinfo: only a hub may push or read ClientInfo objects', 2001, 403);
}

/**
 * The connection state of parties behind a hub (hubclientinfo RECEIVER). OCPI 2.2.1 hubclientinfo §15.1:
 * no requests go to a party that is OFFLINE, PLANNED or SUSPENDED: the outbox cancels the pushes to it
 * instead of sending them (no pushes are queued for it: once CONNECTED, it gets back in sync with GET),
 * and real-time authorization does not call it (connectionStatusOf).
 */
export class HubClientInfoService {
  constructor(private readonly o: { db: Knex }) {}

  async put(partner: Partner, urlParty: { countryCode: string; partyId: string }, body: OcpiClientInfo): Promise<ClientInfo> {
    assertHub(partner);
    const countryCode = urlParty.countryCode.toUpperCase();
    const partyId = urlParty.partyId.toUpperCase();
    // transport §4.1.5: the object in the body must be the one the URL names → 2001
    if (body.country_code.toUpperCase() !== countryCode) throw new InvalidInput(`country_code: must equal the URL's ${countryCode}`);
    if (body.party_id.toUpperCase() !== partyId) throw new InvalidInput(`party_id: must equal the URL's ${partyId}`);
    return upsertClientInfo(this.o.db, { partnerFk: partner.id, countryCode, partyId, role: body.role, status: body.status, lastUpdated: body.last_updated });
  }

  /** What hub `hubFk` last reported about `party`; undefined when it never did (then nothing is known to stop a request). */
  async connectionStatusOf(hubFk: number, party: { countryCode: string; partyId: string }): Promise<ConnectionStatus | undefined> {
    return (await findClientInfo(this.o.db, hubFk, party.countryCode.toUpperCase(), party.partyId.toUpperCase()))?.status;
  }

  /** The stored object, or undefined when this hub never pushed it. */
  async get(partner: Partner, urlParty: { countryCode: string; partyId: string }): Promise<ClientInfo | undefined> {
    assertHub(partner);
    return findClientInfo(this.o.db, partner.id, urlParty.countryCode.toUpperCase(), urlParty.partyId.toUpperCase());
  }
}
