import { callPartner } from '../ocpi/client.ts';
import { PartnerApiFailed, type PartnerReply } from '../ocpi/errors.ts';
import type { PartnerService } from '../partners/partner.service.ts';
import type { HubClientInfoService } from '../hubclientinfo/client-info.service.ts';
import type { RealtimeAuthorizer } from './authorize.service.ts';
import type { AllowedType, IdToken, LocationReferences, RealtimeOutcome } from './token.types.ts';

const ALLOWED_TYPES: readonly string[] = ['ALLOWED', 'BLOCKED', 'EXPIRED', 'NO_CREDIT', 'NOT_ALLOWED'];

/**
 * OCPI 2.2.1 tokens §12.2.2.2: what a failed call means. 404 or 2004 = the eMSP does not know the
 * token; another 2xxx = it answered but would not authorize (e.g. 2002 not enough information);
 * anything else (no answer, timeout, 401/5xx, 3xxx) = the eMSP cannot be reached for this purpose.
 */
export function classifyFailure(reply: PartnerReply, reason: string): RealtimeOutcome {
  if (reply.httpStatus === 404 || reply.statusCode === 2004) return { kind: 'unknown' };
  const isClientError = reply.statusCode !== undefined && reply.statusCode >= 2000 && reply.statusCode < 3000;
  if (isClientError && reply.httpStatus !== 401 && reply.httpStatus !== 403) return { kind: 'rejected', reason };
  return { kind: 'unreachable', reason };
}

/** An AuthorizationInfo (§12.3.1) as an outcome; a status 1000 answer without a usable `allowed` is rejected. */
export function fromAuthorizationInfo(data: unknown): RealtimeOutcome {
  const info = (data ?? {}) as { allowed?: unknown; authorization_reference?: unknown; location?: LocationReferences };
  if (typeof info.allowed !== 'string' || !ALLOWED_TYPES.includes(info.allowed)) return { kind: 'rejected', reason: 'answer without a valid AuthorizationInfo.allowed' };
  const outcome: RealtimeOutcome = { kind: 'answer', allowed: info.allowed as AllowedType };
  if (typeof info.authorization_reference === 'string') outcome.authorizationReference = info.authorization_reference;
  if (info.location && typeof info.location.location_id === 'string') outcome.location = info.location;
  return outcome;
}

/**
 * The real-time authorizer over OCPI: `POST {eMSP tokens SENDER}/{uid}/authorize?type=…` with the
 * LocationReferences, routed to the token's party, within `timeoutMs` so that the charger gets its
 * answer before its own call times out. A party its hub reports as not CONNECTED is not called: it is
 * unreachable at once (`clientInfo`). Never throws.
 */
export function ocpiRealtimeAuthorizer(o: { partners: Pick<PartnerService, 'get'>; clientInfo?: Pick<HubClientInfoService, 'connectionStatusOf'>; timeoutMs: number }): RealtimeAuthorizer {
  return {
    async authorize(token: IdToken, location: LocationReferences | undefined): Promise<RealtimeOutcome> {
      try {
        const party = { countryCode: token.countryCode, partyId: token.partyId };
        const status = await o.clientInfo?.connectionStatusOf(token.partnerFk!, party);
        // OCPI 2.2.1 hubclientinfo §15.1: no requests can be sent to an OFFLINE, PLANNED or SUSPENDED party.
        if (status && status !== 'CONNECTED') return { kind: 'unreachable', reason: `its hub reports ${party.countryCode}/${party.partyId} ${status} (hubclientinfo): not called` };
        const partner = await o.partners.get(token.partnerFk!);
        const reply = await callPartner(partner, {
          module: 'tokens',
          role: 'SENDER',
          method: 'POST',
          path: `/${encodeURIComponent(token.uid)}/authorize`,
          query: { type: token.type },
          body: location,
          toParty: party,
          timeoutMs: o.timeoutMs,
        });
        return fromAuthorizationInfo(reply.data);
      } catch (err) {
        if (err instanceof PartnerApiFailed) return classifyFailure(err.reply, err.message);
        return { kind: 'unreachable', reason: (err as Error).message };
      }
    },
  };
}
