import type { NextFunction, Request, Response } from 'express';
import { newUuid } from '../shared/ids.ts';
import type { Party } from '../parties/party.repo.ts';
import type { Partner, PartyRef } from '../partners/partner.types.ts';
import { InvalidParams, OcpiUnauthorized } from './errors.ts';

/** What an authenticated OCPI request carries (`req.ocpi`). */
export interface OcpiContext {
  /** The calling platform; on versions/credentials possibly one that is only invited (`isInvited`). */
  partner: Partner;
  /** True when the caller is not registered yet (token A, or our token B during our own handshake). */
  isInvited: boolean;
  /** The cpms party addressed (OCPI-to-* headers; the default party when absent or not routed). */
  ownParty: Party;
  /** The partner's party that sent the request (OCPI-from-* headers), when given. */
  fromParty?: PartyRef;
  requestId: string;
  correlationId: string;
  /** Public base URL of this server, e.g. https://cpms.example.com (for versions and Link headers). */
  baseUrl: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set on every /ocpi request; `partner` and `ownParty` once authenticated. */
    ocpi: OcpiContext;
  }
}

/** What the transport needs from the partners domain to authenticate a request. */
export interface OcpiAuthenticator {
  /** The live partner owning one of the candidate tokens; `isInvited` when it may only use versions/credentials. */
  authenticate(tokenCandidates: string[]): Promise<{ partner: Partner; isInvited: boolean } | undefined>;
  /** Our party addressed by OCPI-to-*, or the default party when `to` is undefined; undefined when unknown. */
  findOwnParty(to?: PartyRef): Promise<Party | undefined>;
}

const PRINTABLE = /^[\x21-\x7e]+$/;

/**
 * Candidate credentials tokens of an `Authorization: Token <x>` header: 2.2.1 sends base64(token)
 * (transport §4.1.2), 2.1.1-style partners send the token itself, so both readings are tried.
 */
export function tokenCandidates(header: string | undefined): string[] {
  const match = /^Token\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return [];
  const value = match[1];
  const candidates = [value];
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    // trim: the spec's own example encodes the token with a trailing newline
    const decoded = Buffer.from(value, 'base64').toString('utf8').trim();
    if (PRINTABLE.test(decoded) && decoded !== value) candidates.unshift(decoded);
  }
  return candidates;
}

/** Sets X-Request-ID / X-Correlation-ID (echoed, or generated when absent) and starts `req.ocpi`. */
export function ocpiRequestIds(publicUrl: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = req.get('X-Request-ID') || req.requestId || newUuid();
    const correlationId = req.get('X-Correlation-ID') || newUuid();
    res.set('X-Request-ID', requestId);
    res.set('X-Correlation-ID', correlationId);
    const baseUrl = publicUrl ? publicUrl.replace(/\/+$/, '') : `${req.protocol}://${req.get('host')}`;
    req.ocpi = { requestId, correlationId, baseUrl } as OcpiContext;
    next();
  };
}

function routingParty(req: Request, prefix: 'to' | 'from'): PartyRef | undefined {
  const countryCode = req.get(`OCPI-${prefix}-country-code`);
  const partyId = req.get(`OCPI-${prefix}-party-id`);
  if (!countryCode && !partyId) return undefined;
  if (!countryCode || !partyId) throw new InvalidParams(`OCPI-${prefix}-country-code and OCPI-${prefix}-party-id: both required when one is given`);
  return { countryCode, partyId };
}

export interface AuthOptions {
  /** versions and credentials: an invited (not yet registered) partner may call them (transport §4.1.2). */
  allowInvited: boolean;
  /** Functional modules read the routing headers; versions, credentials and hubclientinfo do not (§4.1.8). */
  isRouted: boolean;
}

/** Authenticates the credentials token and resolves the addressed party; unknown token → HTTP 401. */
export function ocpiAuth(auth: OcpiAuthenticator, opts: AuthOptions) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const candidates = tokenCandidates(req.get('Authorization'));
    if (candidates.length === 0) throw new OcpiUnauthorized('Authorization: missing or not "Token <credentials token>"');
    const found = await auth.authenticate(candidates);
    if (!found) throw new OcpiUnauthorized('Authorization: unknown credentials token');
    // transport §4.1.2: CREDENTIALS_TOKEN_A on another module than versions/credentials → 401
    if (found.isInvited && !opts.allowInvited) throw new OcpiUnauthorized('Authorization: not registered yet; only versions and credentials may be used');
    const to = opts.isRouted ? routingParty(req, 'to') : undefined;
    const ownParty = await auth.findOwnParty(to);
    if (!ownParty) throw new InvalidParams(`OCPI-to-country-code/OCPI-to-party-id: ${to?.countryCode}/${to?.partyId} is not a party on this platform`);
    Object.assign(req.ocpi, { partner: found.partner, isInvited: found.isInvited, ownParty, fromParty: opts.isRouted ? routingParty(req, 'from') : undefined });
    next();
  };
}
