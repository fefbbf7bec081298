import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import { listTokensByUid } from './token.repo.ts';
import type { IdTagInfo, IdToken } from './token.types.ts';

export interface AuthorizationResult {
  info: IdTagInfo;
  token: IdToken | undefined;
}

/** Pure decision for one stored token (OCPP 1.6 §7.2 AuthorizationStatus). */
export function decide(token: IdToken | undefined, now: Date): IdTagInfo {
  if (!token) return { status: 'Invalid' };
  const expiryDate = token.expiryDate ? token.expiryDate.toISOString() : undefined;
  if (token.expiryDate && token.expiryDate.getTime() <= now.getTime()) return { status: 'Expired', expiryDate };
  if (!token.valid) return { status: 'Blocked' };
  // OCPI 2.2.1 tokens §12.4.4: NEVER means the token must be authorized in real time by its eMSP,
  // which needs a partner connection; without one the stored token cannot authorize on its own.
  if (token.whitelist === 'NEVER') return { status: 'Invalid' };
  return expiryDate ? { status: 'Accepted', expiryDate } : { status: 'Accepted' };
}

/**
 * Authorizes an idTag against the token table. Extension point: a real-time authorizer (OCPI eMSP)
 * can be plugged in for tokens whose whitelist requires it.
 */
export class AuthorizeService {
  constructor(private readonly o: { db: Knex; clock: Clock }) {}

  async authorize(idTag: string): Promise<AuthorizationResult> {
    const tokens = await listTokensByUid(this.o.db, idTag);
    const now = this.o.clock.now();
    // Prefer a token that authorizes; otherwise report the first token's refusal.
    for (const token of tokens) {
      const info = decide(token, now);
      if (info.status === 'Accepted') return { info, token };
    }
    return { info: decide(tokens[0], now), token: tokens[0] };
  }
}
