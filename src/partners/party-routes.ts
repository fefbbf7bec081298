// Through which partner connection an OCPI party is reached (OCPI 2.2.1 transport §4.1.8 message routing):
// a partner that is the party, or declares it in its credentials roles (a platform hosting several parties),
// else a hub that carries it. Pushes meant for one party go there with OCPI-to-* = that party.
import type { Db } from '../db/knex.ts';
import { findPartnerByParty } from './partner.repo.ts';
import { findHubOfParty, findTokenPartnerOfParty } from './party-route.repo.ts';
import type { PartyRef } from './partner.types.ts';

export interface PartyRoute {
  partnerFk: number;
  /** OCPI-to-* of a push to the party; undefined when it is the partner's own party (the default). */
  toParty?: PartyRef;
}

const upper = (p: PartyRef): PartyRef => ({ countryCode: p.countryCode.toUpperCase(), partyId: p.partyId.toUpperCase() });

/**
 * The registered connection that reaches `party`: the partner that is it or declares it, else the hub that
 * reported it in a ClientInfo, else the partner that sent us its tokens; undefined when none is known.
 */
export async function findPartyRoute(db: Db, party: PartyRef): Promise<PartyRoute | undefined> {
  const p = upper(party);
  const direct = await findPartnerByParty(db, p.countryCode, p.partyId);
  if (direct?.status === 'REGISTERED') {
    const isOwn = direct.countryCode.toUpperCase() === p.countryCode && direct.partyId.toUpperCase() === p.partyId;
    return isOwn ? { partnerFk: direct.id } : { partnerFk: direct.id, toParty: p };
  }
  const carrier = (await findHubOfParty(db, p)) ?? (await findTokenPartnerOfParty(db, p));
  return carrier === undefined ? undefined : { partnerFk: carrier, toParty: p };
}

/** Whether cpms knows the party: a partner (registered or invited) is or declares it, or a connection carries it. */
export async function isKnownParty(db: Db, party: PartyRef): Promise<boolean> {
  const p = upper(party);
  return (await findPartnerByParty(db, p.countryCode, p.partyId)) !== undefined || (await findPartyRoute(db, p)) !== undefined;
}
