/** OCPI 2.2.1 tokens §12.4.5 WhitelistType. */
export type Whitelist = 'ALWAYS' | 'ALLOWED' | 'ALLOWED_OFFLINE' | 'NEVER';
/** OCPI 2.2.1 tokens §12.4.4 TokenType. */
export type TokenType = 'AD_HOC_USER' | 'APP_USER' | 'OTHER' | 'RFID';

export interface IdToken {
  id: number;
  countryCode: string;
  partyId: string;
  uid: string;
  type: TokenType;
  contractId: string;
  visualNumber: string | null;
  issuer: string;
  groupId: string | null;
  valid: boolean;
  whitelist: Whitelist;
  language: string | null;
  defaultProfileType: string | null;
  energyContract: EnergyContract | null;
  expiryDate: Date | null;
  partnerFk: number | null;
  lastUpdated: Date;
  /** last_updated as the eMSP sent it (OCPI DateTime, every fractional digit); null for our own tokens. */
  lastUpdatedAsSent: string | null;
}

/** OCPP 1.6 §7.2 AuthorizationStatus. */
export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';

export interface IdTagInfo {
  status: AuthorizationStatus;
  expiryDate?: string;
  parentIdTag?: string;
}

/** OCPI 2.2.1 tokens §12.4.1 AllowedType: the eMSP's answer to a real-time authorization. */
export type AllowedType = 'ALLOWED' | 'BLOCKED' | 'EXPIRED' | 'NO_CREDIT' | 'NOT_ALLOWED';

/** OCPI 2.2.1 tokens §12.4.3 LocationReferences (wire shape). */
export interface LocationReferences {
  location_id: string;
  evse_uids?: string[];
}

/** OCPI 2.2.1 sessions §9.4.1 AuthMethod: COMMAND for a session started by the eMSP (START_SESSION). */
export type AuthMethod = 'AUTH_REQUEST' | 'COMMAND' | 'WHITELIST';

/** What became of a real-time authorization request (OCPI 2.2.1 tokens §12.2.2.2 POST). */
export type RealtimeOutcome =
  /** The eMSP answered with an AuthorizationInfo (HTTP 200, status 1000), or a cached answer. */
  | { kind: 'answer'; allowed: AllowedType; authorizationReference?: string; location?: LocationReferences; fromCache?: boolean }
  /** The eMSP does not know the token: HTTP 404 and/or status 2004. */
  | { kind: 'unknown' }
  /** The eMSP answered, but with another client error (e.g. 2002 not enough information). */
  | { kind: 'rejected'; reason: string }
  /** No answer: network error, timeout, server error (5xx / 3xxx), or no tokens SENDER endpoint. */
  | { kind: 'unreachable'; reason: string };

/** An authorization decision for OCPP plus what the OCPI Session / CDR must carry. */
export interface AuthorizationDecision {
  info: IdTagInfo;
  authMethod: AuthMethod;
  authorizationReference?: string;
}

/** OCPI 2.2.1 tokens §12.4.2 EnergyContract. */
export interface EnergyContract {
  supplier_name: string;
  contract_id?: string;
}

/** OCPI 2.2.1 tokens §12.3.2 Token object (wire shape). */
export interface OcpiToken {
  country_code: string;
  party_id: string;
  uid: string;
  type: TokenType;
  contract_id: string;
  visual_number?: string;
  issuer: string;
  group_id?: string;
  valid: boolean;
  whitelist: Whitelist;
  language?: string;
  default_profile_type?: string;
  energy_contract?: EnergyContract;
  last_updated: string;
}

/** Identifies a token within an eMSP (tokens §12.3.2: uid + type, unique per party). */
export interface TokenKey {
  countryCode: string;
  partyId: string;
  uid: string;
  type: TokenType;
}
