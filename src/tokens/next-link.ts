// Pure: following OCPI pagination (transport §4.1.4.1) without sending our credentials elsewhere.

/** The URL of the `Link: <url>; rel="next"` header, if any. */
export function parseNextLink(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
    if (match && /(^|;)\s*rel\s*=\s*"?next"?\s*(;|$)/i.test(match[2])) return match[1];
  }
  return undefined;
}

const withoutTrailingSlash = (path: string) => path.replace(/\/+$/, '');

/**
 * The query of the next page when `next` points at the same endpoint (origin and path) as `endpointUrl`;
 * undefined otherwise, so that the partner's token never goes to a URL outside its endpoint.
 */
export function nextPageQuery(next: string, endpointUrl: string): Record<string, string> | undefined {
  let target: URL;
  let endpoint: URL;
  try {
    target = new URL(next, endpointUrl);
    endpoint = new URL(endpointUrl);
  } catch {
    return undefined;
  }
  if (target.origin !== endpoint.origin || withoutTrailingSlash(target.pathname) !== withoutTrailingSlash(endpoint.pathname)) return undefined;
  return Object.fromEntries(target.searchParams.entries());
}
