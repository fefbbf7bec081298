import { newUuid } from '../shared/ids.ts';
import { findEndpoint, OUTGOING_TOKEN, type InterfaceRole, type Partner, type PartyRef, type TokenEncoding } from '../partners/partner.types.ts';
import { PartnerApiFailed } from './errors.ts';

export type OcpiMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';

export interface OcpiRequest {
  /** ModuleID of the partner's endpoint, e.g. 'locations'. */
  module: string;
  /** Interface role of the partner's endpoint: RECEIVER for pushes, SENDER for pulls. */
  role: InterfaceRole;
  method: OcpiMethod;
  /** Appended to the endpoint URL, e.g. '/NL/CPM/LOC1'. */
  path?: string;
  /**
   * An absolute URL the partner gave for this call instead of its endpoint for (module, role): the
   * `response_url` of commands §13.2.2 / chargingprofiles results. `path` is then ignored.
   */
  url?: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** OCPI-to-*: the party addressed; defaults to the partner's own party. */
  toParty?: PartyRef;
  /** OCPI-from-*: our party sending; defaults to the configured default party. */
  fromParty?: PartyRef;
  /** X-Correlation-ID to continue (e.g. the inbound request's); a new one otherwise. */
  correlationId?: string;
  /** Overrides config.ocpi.partnerTimeoutSec for this call (e.g. real-time authorization). */
  timeoutMs?: number;
}

export interface OcpiReply<T = unknown> {
  status_code: number;
  status_message?: string;
  data: T;
  headers: Headers;
  httpStatus: number;
}

/** Settings of the outbound client, set once at start-up by createApp. */
const settings: { timeoutMs: number; defaultFromParty?: PartyRef } = { timeoutMs: 30_000 };

export function configureOcpiClient(opts: { timeoutMs: number; defaultFromParty?: PartyRef }): void {
  Object.assign(settings, opts);
}

/** The Authorization header value: base64 of the token for 2.2.1 (transport §4.1.2), or the raw token. */
export function authorizationHeader(token: string, encoding: TokenEncoding): string {
  return `Token ${encoding === 'raw' ? token : Buffer.from(token, 'utf8').toString('base64')}`;
}

export interface RawCall {
  url: string;
  method: OcpiMethod;
  token: string;
  encoding: TokenEncoding;
  body?: unknown;
  headers?: Record<string, string>;
  correlationId?: string;
  timeoutMs?: number;
}

function describeFailure(call: RawCall, detail: string): string {
  return `${call.method} ${call.url.split('?')[0]}: ${detail}`;
}

/**
 * One OCPI HTTP call through global fetch (undici; nock intercepts it in tests) with a timeout.
 * Throws PartnerApiFailed on network error, timeout, non-2xx, a body that is not an envelope, or a
 * status_code outside 1xxx. Never puts the token in an error or a log line.
 */
export async function requestOcpi<T = unknown>(call: RawCall): Promise<OcpiReply<T>> {
  const headers: Record<string, string> = {
    Authorization: authorizationHeader(call.token, call.encoding),
    'X-Request-ID': newUuid(),
    'X-Correlation-ID': call.correlationId ?? newUuid(),
    Accept: 'application/json',
    ...call.headers,
  };
  if (call.body !== undefined) headers['Content-Type'] = 'application/json';
  const timeoutMs = call.timeoutMs ?? settings.timeoutMs;
  let res: Response;
  try {
    res = await fetch(call.url, { method: call.method, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${(err as Error).message}${cause ? ` (${cause})` : ''}`;
    throw new PartnerApiFailed(describeFailure(call, reason), {}, { cause: err });
  }
  const text = await res.text();
  let envelope: { status_code?: unknown; status_message?: string; data?: T } | undefined;
  try {
    envelope = text ? JSON.parse(text) : undefined;
  } catch {
    envelope = undefined; // not JSON: reported below with the HTTP status
  }
  const statusCode = typeof envelope?.status_code === 'number' ? envelope.status_code : undefined;
  const reply = { httpStatus: res.status, statusCode, statusMessage: envelope?.status_message };
  if (!res.ok) throw new PartnerApiFailed(describeFailure(call, `HTTP ${res.status}${statusCode ? ` status_code ${statusCode}` : ''}${reply.statusMessage ? ` (${reply.statusMessage})` : ''}`), reply);
  if (statusCode === undefined) throw new PartnerApiFailed(describeFailure(call, 'answer is not an OCPI envelope'), reply);
  if (statusCode < 1000 || statusCode > 1999) throw new PartnerApiFailed(describeFailure(call, `status_code ${statusCode}${reply.statusMessage ? ` (${reply.statusMessage})` : ''}`), reply);
  return { status_code: statusCode, status_message: envelope?.status_message, data: envelope?.data as T, headers: res.headers, httpStatus: res.status };
}

function routingHeaders(partner: Partner, req: OcpiRequest): Record<string, string> {
  const to = req.toParty ?? { countryCode: partner.countryCode, partyId: partner.partyId };
  const from = req.fromParty ?? settings.defaultFromParty;
  const headers: Record<string, string> = { 'OCPI-to-country-code': to.countryCode, 'OCPI-to-party-id': to.partyId };
  if (from) Object.assign(headers, { 'OCPI-from-country-code': from.countryCode, 'OCPI-from-party-id': from.partyId });
  return headers;
}

/**
 * Calls a registered partner's module endpoint with our token for it, the routing headers and fresh
 * message ids. The URL is the partner's endpoint for (module, role) + path + query.
 */
export async function callPartner<T = unknown>(partner: Partner, req: OcpiRequest): Promise<OcpiReply<T>> {
  const endpoint = req.url === undefined ? findEndpoint(partner, req.module, req.role) : undefined;
  const label = `partner ${partner.countryCode}/${partner.partyId}`;
  if (req.url === undefined && !endpoint) throw new PartnerApiFailed(`${label} has no ${req.module} ${req.role} endpoint`);
  const token = partner[OUTGOING_TOKEN];
  if (!token || partner.status !== 'REGISTERED') throw new PartnerApiFailed(`${label} is not registered`);
  const url = new URL(req.url ?? endpoint!.url.replace(/\/+$/, '') + (req.path ?? ''));
  for (const [key, value] of Object.entries(req.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
  // transport §4.1.8: configuration modules (credentials, versions, hubclientinfo) are not routed
  const isRouted = !['credentials', 'hubclientinfo', 'versions'].includes(req.module);
  return requestOcpi<T>({
    url: url.toString(),
    method: req.method,
    token,
    encoding: partner.tokenEncoding,
    body: req.body,
    headers: isRouted ? routingHeaders(partner, req) : {},
    correlationId: req.correlationId,
    timeoutMs: req.timeoutMs,
  });
}
