// Reads that tell which registered partner connection carries an OCPI party that is not a partner of its own
// (an eMSP behind a hub): the hub that reported it (hubclientinfo), or the partner that sent us its tokens.
import type { Db } from '../db/knex.ts';
import type { PartyRef } from './partner.types.ts';

/** The registered hub that last reported the party in a ClientInfo (hubclientinfo §15.4.1). */
export async function findHubOfParty(db: Db, party: PartyRef): Promise<number | undefined> {
  const row = await db('hub_client_info as h')
    .join('ocpi_partners as p', 'p.id', 'h.partner_fk')
    .where({ 'h.country_code': party.countryCode.toUpperCase(), 'h.party_id': party.partyId.toUpperCase(), 'p.status': 'REGISTERED' })
    .orderBy([{ column: 'h.received_at', order: 'desc' }, { column: 'h.id', order: 'desc' }])
    .first('p.id');
  return row?.id;
}

/** The registered partner that last sent us a token of the party (tokens module, or a command's token). */
export async function findTokenPartnerOfParty(db: Db, party: PartyRef): Promise<number | undefined> {
  const row = await db('id_tokens as t')
    .join('ocpi_partners as p', 'p.id', 't.partner_fk')
    .whereRaw('upper(t.country_code) = ? and upper(t.party_id) = ?', [party.countryCode.toUpperCase(), party.partyId.toUpperCase()])
    .where('p.status', 'REGISTERED')
    .orderBy([{ column: 't.last_updated', order: 'desc' }, { column: 't.id', order: 'desc' }])
    .first('p.id');
  return row?.id;
}
