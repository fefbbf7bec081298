import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { callPartner } from '../ocpi/client.ts';
import { validateOcpi } from '../ocpi/validate.ts';
import { listRegisteredPartnersWith } from '../partners/partner.service.ts';
import { findEndpoint, hasPartnerParty, type Partner } from '../partners/partner.types.ts';
import { isHub, type OcpiTokenService } from './ocpi-token.service.ts';
import { keyOf } from './ocpi.mapper.ts';
import { nextPageQuery, parseNextLink } from './next-link.ts';
import { findLastSyncStart, recordSyncFailure, recordSyncSuccess } from './token-sync.repo.ts';
import type { OcpiToken } from './token.types.ts';

export interface TokenSyncDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  tokens: OcpiTokenService;
}

interface PartnerCounts {
  pages: number;
  tokensUpserted: number;
  tokensSkipped: number;
}

/** An OCPI DateTime (types §16.2): UTC with the `Z`. */
const toDateTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

// A partner whose Link never ends must not keep the job (and its advisory lock) forever.
const MAX_PAGES = 10_000;

/** Tokens of a page that we may store: valid Token objects of the partner's own parties (any party via a hub). */
function acceptable(partner: Partner, items: unknown[]): { tokens: OcpiToken[]; skipped: number } {
  const tokens = items.filter((t): t is OcpiToken => validateOcpi('Token', t).ok && (isHub(partner) || hasPartnerParty(partner, keyOf(t as OcpiToken))));
  return { tokens, skipped: items.length - tokens.length };
}

/**
 * OCPI 2.2.1 tokens §12.2.2.1 GET on the eMSP's tokens SENDER, from `date_from` (the start of the last
 * successful run), following `Link: <…>; rel="next"` (transport §4.1.4.1) until the last page.
 */
async function pullPartner(deps: TokenSyncDeps, partner: Partner, dateFrom: Date | undefined): Promise<PartnerCounts> {
  const endpointUrl = findEndpoint(partner, 'tokens', 'SENDER')!.url;
  const counts: PartnerCounts = { pages: 0, tokensUpserted: 0, tokensSkipped: 0 };
  let query: Record<string, string> | undefined = dateFrom ? { date_from: toDateTime(dateFrom) } : {};
  while (query) {
    if (counts.pages >= MAX_PAGES) throw new Error(`more than ${MAX_PAGES} pages`);
    const reply = await callPartner<unknown[]>(partner, { module: 'tokens', role: 'SENDER', method: 'GET', query });
    if (!Array.isArray(reply.data)) throw new Error('tokens GET: data is not a list');
    const { tokens, skipped } = acceptable(partner, reply.data);
    counts.pages += 1;
    counts.tokensSkipped += skipped;
    counts.tokensUpserted += await deps.tokens.storePulled(partner, tokens);
    const next = parseNextLink(reply.headers.get('link'));
    query = next ? nextPageQuery(next, endpointUrl) : undefined;
    if (next && !query) throw new Error('Link rel="next" points outside the tokens endpoint');
  }
  return counts;
}

/**
 * Job `token-sync`: pulls the token list of every registered eMSP with a tokens SENDER interface and
 * upserts it. One failing partner does not stop the others; the run fails afterwards naming it.
 */
export async function runTokenSync(deps: TokenSyncDeps): Promise<Record<string, number>> {
  const partners = await listRegisteredPartnersWith(deps.db, 'tokens', 'SENDER');
  const totals = { partners: partners.length, partnersFailed: 0, pages: 0, tokensUpserted: 0, tokensSkipped: 0 };
  const failures: string[] = [];
  for (const partner of partners) {
    const startedAt = deps.clock.now();
    try {
      const counts = await pullPartner(deps, partner, await findLastSyncStart(deps.db, partner.id));
      await recordSyncSuccess(deps.db, partner.id, startedAt, deps.clock.now());
      totals.pages += counts.pages;
      totals.tokensUpserted += counts.tokensUpserted;
      totals.tokensSkipped += counts.tokensSkipped;
    } catch (err) {
      const message = (err as Error).message;
      totals.partnersFailed += 1;
      failures.push(`${partner.countryCode}/${partner.partyId}: ${message}`);
      deps.logger.warn('token sync failed', { partyId: `${partner.countryCode}/${partner.partyId}`, err: message });
      await recordSyncFailure(deps.db, partner.id, deps.clock.now(), message);
    }
  }
  if (failures.length > 0) throw new Error(`token-sync failed for ${failures.length} of ${partners.length} partners (${JSON.stringify(totals)}): ${failures.join('; ')}`);
  return totals;
}
