import type { AllowedType, AuthorizationDecision, AuthorizationStatus, IdTagInfo, IdToken, LocationReferences, RealtimeOutcome } from './token.types.ts';

// Pure: no I/O, no clock. The service passes `now` and the outcome of the real-time call.

/** How a token must be authorized (OCPI 2.2.1 tokens §12.4.5 WhitelistType). */
export type RealtimePolicy =
  /** Stored token only: the operator's own tokens and roaming tokens with whitelist ALWAYS. */
  | 'stored'
  /** ALLOWED: real-time preferred (answers may be cached); the stored token on any failure. */
  | 'realtime-or-stored'
  /** ALLOWED_OFFLINE: real-time; the stored token only when the eMSP cannot be reached. */
  | 'realtime-offline-stored'
  /** NEVER: real-time only; refused when the eMSP cannot be reached. */
  | 'realtime-only';

/** OCPI 2.2.1 tokens §12.4.5: the whitelist decides; tokens without an eMSP partner are whitelisted. */
export function realtimePolicy(token: IdToken): RealtimePolicy {
  if (token.partnerFk === null || token.partnerFk === undefined) return 'stored';
  switch (token.whitelist) {
    case 'ALWAYS':
      return 'stored';
    case 'ALLOWED':
      return 'realtime-or-stored';
    case 'ALLOWED_OFFLINE':
      return 'realtime-offline-stored';
    default:
      return 'realtime-only';
  }
}

/**
 * Whether a cached real-time answer may stand in for a new request. Only ALLOWED lets the CPO choose
 * (§12.4.5); ALLOWED_OFFLINE "shall" and NEVER "shall always" use real-time authorization.
 */
export function isCacheable(token: IdToken): boolean {
  return realtimePolicy(token) === 'realtime-or-stored';
}

/** Pure decision for one stored token (OCPP 1.6 §7.2 AuthorizationStatus). */
export function decide(token: IdToken | undefined, now: Date): IdTagInfo {
  if (!token) return { status: 'Invalid' };
  const expiryDate = token.expiryDate ? token.expiryDate.toISOString() : undefined;
  if (token.expiryDate && token.expiryDate.getTime() <= now.getTime()) return { status: 'Expired', expiryDate };
  if (!token.valid) return { status: 'Blocked' };
  // OCPI 2.2.1 tokens §12.4.5: NEVER means the token must be authorized in real time by its eMSP,
  // which needs a partner connection; without one the stored token cannot authorize on its own.
  if (token.whitelist === 'NEVER') return { status: 'Invalid' };
  return expiryDate ? { status: 'Accepted', expiryDate } : { status: 'Accepted' };
}

const OCPP_STATUS_OF: Record<AllowedType, AuthorizationStatus> = {
  ALLOWED: 'Accepted',
  BLOCKED: 'Blocked',
  EXPIRED: 'Expired',
  // OCPP 1.6 §7.2 has no "no credit" / "not here": both are Invalid for the charger.
  NO_CREDIT: 'Invalid',
  NOT_ALLOWED: 'Invalid',
};

/** OCPI AllowedType → OCPP 1.6 AuthorizationStatus. */
export function toOcppStatus(allowed: AllowedType): AuthorizationStatus {
  return OCPP_STATUS_OF[allowed];
}

/**
 * OCPI 2.2.1 tokens §12.3.1: the answer's `location` lists only the EVSEs the driver may use. An
 * ALLOWED answer that names another location, or none of the EVSEs asked about, does not allow this one.
 */
export function isAllowedHere(answer: LocationReferences | undefined, asked: LocationReferences | undefined): boolean {
  if (!answer || !asked) return true;
  if (answer.location_id !== asked.location_id) return false;
  if (!answer.evse_uids?.length || !asked.evse_uids?.length) return true;
  return answer.evse_uids.some((uid) => asked.evse_uids!.includes(uid));
}

function fromAnswer(outcome: Extract<RealtimeOutcome, { kind: 'answer' }>, asked: LocationReferences | undefined): AuthorizationDecision {
  const status = outcome.allowed === 'ALLOWED' && !isAllowedHere(outcome.location, asked) ? 'Invalid' : toOcppStatus(outcome.allowed);
  const decision: AuthorizationDecision = { info: { status }, authMethod: 'AUTH_REQUEST' };
  if (outcome.authorizationReference) decision.authorizationReference = outcome.authorizationReference;
  return decision;
}

const stored = (token: IdToken, now: Date): AuthorizationDecision => ({ info: decide(token, now), authMethod: 'WHITELIST' });
const refused: AuthorizationDecision = { info: { status: 'Invalid' }, authMethod: 'AUTH_REQUEST' };

/**
 * Decides a roaming token from its whitelist policy and the real-time outcome (undefined when no
 * real-time request was made, e.g. policy 'stored'). OCPI 2.2.1 tokens §12.4.5 per policy:
 * - ALLOWED: the eMSP's answer; the stored token when it could not answer usefully.
 * - ALLOWED_OFFLINE: the eMSP's answer; the stored token only when the eMSP is unreachable.
 * - NEVER: the eMSP's answer only.
 * An eMSP that does not know the token (404 / 2004) makes it Invalid whatever the whitelist.
 */
export function decideRoaming(token: IdToken, now: Date, outcome: RealtimeOutcome | undefined, asked?: LocationReferences): AuthorizationDecision {
  const policy = realtimePolicy(token);
  if (policy === 'stored' || !outcome) return policy === 'realtime-only' ? refused : stored(token, now);
  switch (outcome.kind) {
    case 'answer':
      return fromAnswer(outcome, asked);
    case 'unknown':
      return refused;
    case 'rejected':
      return policy === 'realtime-or-stored' ? stored(token, now) : refused;
    case 'unreachable':
      return policy === 'realtime-only' ? refused : stored(token, now);
  }
}

/** OCPP 1.6 IdToken (CiString20Type): a longer OCPI group_id (36) cannot be sent as parentIdTag. */
const MAX_ID_TOKEN = 20;

/**
 * The token rules applied on top of its authorization:
 * - OCPP 1.6 IdTagInfo.parentIdTag: the token's group id, so a charger lets another card of the same
 *   group stop the session (left out when the group id does not fit an IdToken).
 * - OCPP 1.6 §7.2 ConcurrentTx: one of the operator's own tokens already in an ACTIVE session elsewhere
 *   is refused a second one; a roaming token's concurrent sessions are its eMSP's decision.
 */
export function withTokenRules(info: IdTagInfo, token: IdToken, hasOtherActiveSession: boolean): IdTagInfo {
  const isConcurrent = hasOtherActiveSession && !isRoaming(token);
  const out: IdTagInfo = isConcurrent ? withConcurrentTx(info) : { ...info };
  if (token.groupId && token.groupId.length <= MAX_ID_TOKEN) out.parentIdTag = token.groupId;
  return out;
}

/** OCPP 1.6 §7.2: an accepted token already in a transaction elsewhere is answered ConcurrentTx (other fields kept). */
export function withConcurrentTx(info: IdTagInfo): IdTagInfo {
  return info.status === 'Accepted' ? { ...info, status: 'ConcurrentTx' } : { ...info };
}

/** A token issued by a partner eMSP (as opposed to the operator's own). */
export function isRoaming(token: IdToken): boolean {
  return token.partnerFk !== null && token.partnerFk !== undefined;
}
