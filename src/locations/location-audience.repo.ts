// Who an unpublished location concerns (OCPI 2.2.1 locations §8.3.1 publish / publish_allowed_to): the eMSP
// parties owning a token that matches an entry of publish_allowed_to (only tokens an eMSP gave us: those
// are the ones whose owner we know), and the parties whose tokens charged there (sessions and their CDRs
// refer to the location). As SQL, for the GET filter (location.publish_allowed_to) and for pushes (a list
// given, e.g. the one before a change).
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { PartyRef } from '../partners/partner.types.ts';
import type { OcpiPublishToken } from './ocpi.types.ts';

// locations §8.4.20 PublishTokenType: a token matches when it matches all the fields set (uid and group_id
// are CiStrings: case-insensitive; type, visual_number and issuer as given).
const MATCHES = `(e->>'uid' is null or lower(t.uid) = lower(e->>'uid'))
  and (e->>'type' is null or t.type = e->>'type')
  and (e->>'visual_number' is null or t.visual_number = e->>'visual_number')
  and (e->>'issuer' is null or t.issuer = e->>'issuer')
  and (e->>'group_id' is null or lower(t.group_id) = lower(e->>'group_id'))`;

/**
 * SQL condition on `l` (a locations row): unpublished location `l` concerns party `party`. Tokens are stored
 * with their party upper-case (tokens/ocpi.mapper normalizeKey).
 */
export function concernsParty(db: Db, party: PartyRef): Knex.Raw {
  const cc = party.countryCode.toUpperCase();
  const pid = party.partyId.toUpperCase();
  return db.raw(
    `(exists (select 1 from jsonb_array_elements(coalesce(l.publish_allowed_to, '[]'::jsonb)) e, id_tokens t
        where t.partner_fk is not null and t.country_code = ? and t.party_id = ? and ${MATCHES})
      or exists (select 1 from sessions s join id_tokens t on t.id = s.token_fk
        where s.location_id = l.id and t.partner_fk is not null and t.country_code = ? and t.party_id = ?))`,
    [cc, pid, cc, pid],
  );
}

/** The parties whose tokens match an entry of `allowedTo` or charged at the location, each once, sorted. */
export async function listConcernedParties(db: Db, locationId: string, allowedTo: readonly OcpiPublishToken[]): Promise<PartyRef[]> {
  const { rows } = await db.raw(
    `select t.country_code, t.party_id from jsonb_array_elements(?::jsonb) e, id_tokens t where t.partner_fk is not null and ${MATCHES}
     union
     select t.country_code, t.party_id from sessions s join id_tokens t on t.id = s.token_fk where s.location_id = ? and t.partner_fk is not null
     order by 1, 2`,
    [JSON.stringify(allowedTo), locationId],
  );
  return rows.map((r: Record<string, string>) => ({ countryCode: r.country_code, partyId: r.party_id }));
}
