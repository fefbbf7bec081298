import { ocpiDateTimeOf } from '../shared/ocpi-date-time.ts';
import type { IdToken, OcpiToken, TokenKey } from './token.types.ts';

// Pure mapping between the OCPI 2.2.1 Token (tokens §12.3.2, snake_case wire shape) and the stored token.

/** Stored fields of a token received from an eMSP; `undefined` = not given (a PATCH leaves it unchanged). */
export interface OcpiTokenFields {
  contractId?: string;
  visualNumber?: string | null;
  issuer?: string;
  groupId?: string | null;
  valid?: boolean;
  whitelist?: IdToken['whitelist'];
  language?: string | null;
  defaultProfileType?: string | null;
  energyContract?: IdToken['energyContract'];
  /** The OCPI DateTime as the eMSP sent it (types §16.2): kept to the digit, compared as an instant. */
  lastUpdated: string;
}

/** CiString (types §16.1) keys are compared case-insensitively: country_code and party_id are stored upper-case. */
export function normalizeKey(key: TokenKey): TokenKey {
  return { ...key, countryCode: key.countryCode.toUpperCase(), partyId: key.partyId.toUpperCase() };
}

/** The key a Token object describes. */
export function keyOf(t: Pick<OcpiToken, 'country_code' | 'party_id' | 'uid' | 'type'>): TokenKey {
  return normalizeKey({ countryCode: t.country_code, partyId: t.party_id, uid: t.uid, type: t.type });
}

/** A full Token (PUT, token list): absent optional fields become null, as the object replaces the old one. */
export function fromOcpiToken(t: OcpiToken): OcpiTokenFields {
  return {
    contractId: t.contract_id,
    visualNumber: t.visual_number ?? null,
    issuer: t.issuer,
    groupId: t.group_id ?? null,
    valid: t.valid,
    whitelist: t.whitelist,
    language: t.language ?? null,
    defaultProfileType: t.default_profile_type ?? null,
    energyContract: t.energy_contract ?? null,
    lastUpdated: t.last_updated,
  };
}

/** A PATCH (tokens §12.2.1.3): only the fields present change; `last_updated` is always there. */
export function fromOcpiPatch(p: Partial<OcpiToken> & { last_updated: string }): OcpiTokenFields {
  const full = fromOcpiToken({ ...p } as OcpiToken);
  const present: Record<keyof OcpiToken, keyof OcpiTokenFields | undefined> = {
    contract_id: 'contractId', visual_number: 'visualNumber', issuer: 'issuer', group_id: 'groupId', valid: 'valid',
    whitelist: 'whitelist', language: 'language', default_profile_type: 'defaultProfileType',
    energy_contract: 'energyContract', last_updated: 'lastUpdated',
    country_code: undefined, party_id: undefined, uid: undefined, type: undefined,
  };
  const out: OcpiTokenFields = { lastUpdated: full.lastUpdated };
  for (const [wire, field] of Object.entries(present)) {
    if (field && wire in p) (out as unknown as Record<string, unknown>)[field] = full[field];
  }
  return out;
}

/** The stored token as an OCPI Token (GET on the receiver interface returns our copy). */
export function toOcpiToken(t: IdToken): OcpiToken {
  const out: OcpiToken = {
    country_code: t.countryCode,
    party_id: t.partyId,
    uid: t.uid,
    type: t.type,
    contract_id: t.contractId,
    issuer: t.issuer,
    valid: t.valid,
    whitelist: t.whitelist,
    last_updated: ocpiDateTimeOf(t.lastUpdated, t.lastUpdatedAsSent),
  };
  if (t.visualNumber !== null) out.visual_number = t.visualNumber;
  if (t.groupId !== null) out.group_id = t.groupId;
  if (t.language !== null) out.language = t.language;
  if (t.defaultProfileType !== null) out.default_profile_type = t.defaultProfileType;
  if (t.energyContract !== null) out.energy_contract = t.energyContract;
  return out;
}
