/** OCPI 2.2.1 versions §6.2.2 InterfaceRole. */
export type InterfaceRole = 'SENDER' | 'RECEIVER';

/** OCPI 2.2.1 versions §6.2.1 Endpoint (wire shape; stored as is). */
export interface Endpoint {
  identifier: string;
  role: InterfaceRole;
  url: string;
}

/** OCPI 2.2.1 credentials §7.4.1 CredentialsRole (wire shape; stored as is). */
export interface CredentialsRole {
  role: string;
  party_id: string;
  country_code: string;
  business_details: { name: string; website?: string; logo?: unknown };
}

/** OCPI 2.2.1 credentials §7.3.1 Credentials object. */
export interface Credentials {
  token: string;
  url: string;
  roles: CredentialsRole[];
}

export type PartnerStatus = 'INVITED' | 'REGISTERED' | 'UNREGISTERED';
export type TokenEncoding = 'base64' | 'raw';

/** A party identified the OCPI way (routing headers, client owned object URLs). */
export interface PartyRef {
  countryCode: string;
  partyId: string;
}

/**
 * An OCPI connection to another platform (an eMSP, a hub). `countryCode`/`partyId`/`role` are those
 * it was invited or registered as; `roles` are all the parties it declared in its credentials.
 * Tokens are not part of this object: see OUTGOING_TOKEN.
 */
export interface Partner {
  id: number;
  countryCode: string;
  partyId: string;
  role: string;
  name: string | null;
  roles: CredentialsRole[];
  versionsUrl: string | null;
  version: string | null;
  endpoints: Endpoint[];
  status: PartnerStatus;
  tokenEncoding: TokenEncoding;
  registeredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** The token we call this partner with (their B or C). Symbol-keyed: JSON and logs never show it. */
  [OUTGOING_TOKEN]?: string;
}

/** Key of the token we send to a partner; a symbol so that JSON.stringify and loggers skip it. */
export const OUTGOING_TOKEN: unique symbol = Symbol('ocpi.outgoingToken');

/** True when the partner declared the party (country_code + party_id, case-insensitive) in its roles. */
export function hasPartnerParty(partner: Partner, party: PartyRef): boolean {
  const cc = party.countryCode.toUpperCase();
  const pid = party.partyId.toUpperCase();
  if (partner.countryCode.toUpperCase() === cc && partner.partyId.toUpperCase() === pid) return true;
  return partner.roles.some((r) => r.country_code.toUpperCase() === cc && r.party_id.toUpperCase() === pid);
}

/** The partner's endpoint for a module and interface role, if it offers one. */
export function findEndpoint(partner: Partner, module: string, role: InterfaceRole): Endpoint | undefined {
  return partner.endpoints.find((e) => e.identifier === module && e.role === role);
}
