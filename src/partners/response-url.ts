// Pure: where a partner's `response_url` may point. OCPI 2.2.1 commands §13.2.2 / chargingprofiles let the
// Sender name a URL that the Receiver POSTs the asynchronous result to, with our credentials token in the
// Authorization header. Posted wherever it points, that would send our token (and a request from inside
// our network) to any host, loopback and private addresses included: it may only point at a host the
// partner registered with us, or one the operator allows (config ocpi.responseUrlAllowedHosts).
import { InvalidInput } from '../shared/errors.ts';
import type { Partner } from './partner.types.ts';

/** `*` in the allowed hosts: any host is accepted (e.g. a test bench). */
export const ANY_HOST = '*';

/** `host` or `host:port` as URL.host gives it (lower case, default port left out), or undefined. */
function hostOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The hosts of the URLs the partner registered: its versions URL and every endpoint it gave us. */
export function registeredHostsOf(partner: Pick<Partner, 'versionsUrl' | 'endpoints'>): Set<string> {
  const hosts = [partner.versionsUrl, ...partner.endpoints.map((e) => e.url)].map(hostOf).filter((h): h is string => h !== undefined);
  return new Set(hosts);
}

/**
 * Why `url` may not be used as a response_url of `partner`, or undefined when it may: it must be an
 * http(s) URL whose host (and port) is one of the partner's registered hosts or of `allowedHosts`.
 */
export function responseUrlRefusal(partner: Pick<Partner, 'versionsUrl' | 'endpoints'>, url: string, allowedHosts: readonly string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'response_url: not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `response_url: must be an http(s) URL, not ${parsed.protocol}`;
  const host = parsed.host.toLowerCase();
  if (allowedHosts.includes(ANY_HOST) || allowedHosts.some((h) => h.toLowerCase() === host)) return undefined;
  const registered = registeredHostsOf(partner);
  if (registered.has(host)) return undefined;
  return `response_url: host ${host} is not one of the partner's registered hosts (${[...registered].join(', ') || 'none'})`;
}

/** Refuses (InvalidInput → OCPI 2001) a response_url the partner may not use, naming its host. */
export function assertResponseUrl(partner: Pick<Partner, 'versionsUrl' | 'endpoints'>, url: string, allowedHosts: readonly string[]): void {
  const refusal = responseUrlRefusal(partner, url, allowedHosts);
  if (refusal) throw new InvalidInput(refusal);
}
