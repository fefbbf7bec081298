// The OCPI party a request comes from (transport §4.1.8 message routing): OCPI-from-* when the calling
// partner may speak for that party (a hub forwards requests of the parties behind it; a platform speaks for
// the parties in its credentials roles), otherwise the partner's own party. What a party may see (its own
// tariffs, its own Connector.tariff_ids, unpublished locations concerning it) is decided on this party, never
// on the connection: one hub carries many eMSPs, and an eMSP cannot claim to be another by a header.
import { hasPartnerParty, type PartyRef } from '../partners/partner.types.ts';
import { isHub } from '../tokens/ocpi-token.service.ts';
import type { OcpiContext } from './auth.ts';

const upper = (p: PartyRef): PartyRef => ({ countryCode: p.countryCode.toUpperCase(), partyId: p.partyId.toUpperCase() });

export function requestingParty(ctx: Pick<OcpiContext, 'partner' | 'fromParty'>): PartyRef {
  const own = upper({ countryCode: ctx.partner.countryCode, partyId: ctx.partner.partyId });
  const from = ctx.fromParty;
  if (!from) return own;
  return isHub(ctx.partner) || hasPartnerParty(ctx.partner, from) ? upper(from) : own;
}
