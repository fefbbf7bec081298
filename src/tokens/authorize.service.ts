import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { TtlMemo } from '../shared/ttl-memo.ts';
import { CHARGER_PLACE_COLUMNS, onTableWrites } from '../db/table-writes.ts';
import type { SessionStartRule } from '../sessions/session.service.ts';
import { listTokensByUid } from './token.repo.ts';
import { lockToken } from './token-lock.repo.ts';
import { deleteExpiredAuthorizations, findCachedAuthorization, upsertCachedAuthorization } from './authorization-cache.repo.ts';
import { findLocationReferences } from './location-references.repo.ts';
import { decideRoaming, isCacheable, isRoaming, realtimePolicy, withConcurrentTx, withTokenRules } from './authorization-decision.ts';
import type { CachedAuthorization } from './authorization-cache.repo.ts';
import type { AuthorizationDecision, IdToken, LocationReferences, RealtimeOutcome } from './token.types.ts';

export { decide } from './authorization-decision.ts';

export interface AuthorizationResult extends AuthorizationDecision {
  token: IdToken | undefined;
}

/** Where the driver presents the token; without it only the stored token decides (e.g. StopTransaction). */
export interface AuthorizeContext {
  chargePointId: string;
  /** OCPP connectorId of a StartTransaction; narrows the EVSEs asked about. */
  connectorId?: number;
}

/**
 * OCPI 2.2.1 tokens §12.2.2.2 real-time authorization at the token's eMSP. Implementations never
 * throw: every failure is an outcome, and they answer within their own timeout.
 */
export interface RealtimeAuthorizer {
  authorize(token: IdToken, location: LocationReferences | undefined): Promise<RealtimeOutcome>;
}

/**
 * An authorization the token's eMSP gave before the driver arrived (an OCPI START_SESSION): while it
 * holds, the charger's use of the token is accepted without the whitelist or a real-time request
 * (OCPI 2.2.1 commands §13.3.5: the eMSP authorized it; no real-time authorization for 15 minutes).
 */
export interface PreAuthorizer {
  find(idTag: string, ctx: AuthorizeContext, now: Date): Promise<{ tokenFk: number | null; authorizationReference: string | null } | undefined>;
}

/**
 * Sessions in progress (implemented by the sessions domain): whether the token is in an ACTIVE session
 * other than one at `ctx` (at another connector for a StartTransaction, another charger for an Authorize),
 * read through `db` when given (the transaction that is about to insert a session).
 */
export interface ActiveSessionLookup {
  hasActiveSessionElsewhere(tokenFk: number, ctx: AuthorizeContext, db?: Db): Promise<boolean>;
}

/**
 * The operator's access rules (drivers, groups, location access modes; implemented by the drivers domain),
 * applied to a token that is valid in itself: a refusal is recorded there with its reason.
 */
export interface AccessPolicy {
  check(c: { idTag: string; tokenId: number; chargePointId: string; connectorId?: number }): Promise<{ allowed: boolean }>;
}

export interface AuthorizeServiceOptions {
  db: Knex;
  clock: Clock;
  logger?: Logger;
  /** Absent: no OCPI partners, stored tokens decide alone. */
  realtime?: RealtimeAuthorizer;
  /** How long a real-time answer may be reused for an ALLOWED token (seconds; 0 = no cache). */
  cacheTtlSec?: number;
  /** Absent: no remote starts, every use of a token is decided here. */
  preAuthorizer?: PreAuthorizer;
  /** Absent: no ConcurrentTx check. */
  activeSessions?: ActiveSessionLookup;
  /** Absent: no access rules, every valid token may charge everywhere. */
  access?: AccessPolicy;
  /**
   * How long this node keeps what an Authorize read (tokens of a uid, a charger's location references, cached
   * real-time answers) in memory (seconds; 0 = read the database every time). This node's own writes drop
   * them at once; another node's writes are seen after at most this long.
   */
  memoTtlSec?: number;
}

/** Default of AuthorizeServiceOptions.memoTtlSec. */
export const AUTHORIZE_MEMO_TTL_SEC = 5;
const MEMO_MAX_ENTRIES = 50_000;

/** Authorizes an idTag against the token table and, where the whitelist asks for it, the token's eMSP. */
export class AuthorizeService {
  private readonly tokensByUid = new TtlMemo<IdToken[]>(MEMO_MAX_ENTRIES);
  private readonly locationRefs = new TtlMemo<LocationReferences | undefined>(MEMO_MAX_ENTRIES);
  private readonly realtimeAnswers = new TtlMemo<CachedAuthorization | undefined>(MEMO_MAX_ENTRIES);
  private readonly memoTtlMs: number;

  constructor(private readonly o: AuthorizeServiceOptions) {
    this.memoTtlMs = (o.memoTtlSec ?? AUTHORIZE_MEMO_TTL_SEC) * 1000;
    if (this.memoTtlMs <= 0) return;
    // Every memo also drops on a token change: a deleted token cascades to its cached answers.
    onTableWrites(o.db, ['id_tokens', 'partners'], () => this.tokensByUid.clear());
    // Not on status or last-seen updates (every few seconds under a fleet): only on what moves an EVSE.
    onTableWrites(o.db, ['evses', 'connectors', 'charge_points', 'locations'], () => this.locationRefs.clear(), { columns: CHARGER_PLACE_COLUMNS });
    onTableWrites(o.db, ['authorization_cache', 'id_tokens', 'partners'], () => this.realtimeAnswers.clear());
  }

  /** Plugs in the eMSP real-time authorizer (set at composition, once the partners service exists). */
  useRealtime(realtime: RealtimeAuthorizer): void {
    this.o.realtime = realtime;
  }

  /** Told of every real-time authorization (metrics): from the cache or the eMSP, its outcome and latency. */
  observeRealtime(observer: (source: 'cache' | 'emsp', outcome: string, seconds: number) => void): void {
    this.realtimeObserver = observer;
  }

  private realtimeObserver: ((source: 'cache' | 'emsp', outcome: string, seconds: number) => void) | undefined;

  /** Plugs in the authorizations given ahead of time (OCPI commands), checked before anything else. */
  usePreAuthorizer(preAuthorizer: PreAuthorizer): void {
    this.o.preAuthorizer = preAuthorizer;
  }

  /** Plugs in the sessions in progress, for OCPP 1.6 ConcurrentTx (set at composition: sessions use this service). */
  useActiveSessions(activeSessions: ActiveSessionLookup): void {
    this.o.activeSessions = activeSessions;
  }

  /** Plugs in the access rules (set at composition, once the drivers service exists). */
  useAccessPolicy(access: AccessPolicy): void {
    this.o.access = access;
  }

  /** Job authorization-cache-expiry: drops real-time answers past their validity; returns how many. */
  async expireCache(): Promise<number> {
    return deleteExpiredAuthorizations(this.o.db, this.o.clock.now());
  }

  /**
   * The charger's IdTagInfo for `idTag`. With a context (Authorize) an own token busy in another session
   * answers ConcurrentTx; without one (StopTransaction) only the token decides.
   */
  async authorize(idTag: string, ctx?: AuthorizeContext): Promise<AuthorizationResult> {
    const result = await this.withAccessRules(idTag, await this.decide(idTag, ctx), ctx);
    if (!result.token) return result;
    const hasOther = ctx !== undefined && this.isConcurrencyLimited(result) ? await this.o.activeSessions!.hasActiveSessionElsewhere(result.token.id, ctx) : false;
    return { ...result, info: withTokenRules(result.info, result.token, hasOther) };
  }

  /**
   * StartTransaction: the token's authorization (real-time at the eMSP where its whitelist says so, which
   * may take seconds: never inside a database transaction) without ConcurrentTx, which `concurrentTxRule`
   * decides inside the transaction that inserts the session.
   */
  async authorizeStart(idTag: string, ctx: AuthorizeContext): Promise<AuthorizationResult> {
    const result = await this.withAccessRules(idTag, await this.decide(idTag, ctx), ctx);
    return result.token ? { ...result, info: withTokenRules(result.info, result.token, false) } : result;
  }

  /**
   * OCPP 1.6 §7.2 ConcurrentTx for a StartTransaction, run inside the transaction that inserts the
   * session: the token's row is locked first, so two starts of one own token (at two chargers) are decided
   * one after the other and the second sees the first's session. Roaming tokens are their eMSP's business.
   */
  concurrentTxRule(): SessionStartRule {
    return async (trx, attempt) => {
      const { token } = attempt.auth;
      if (!token || attempt.info.status !== 'Accepted' || !this.isConcurrencyLimited(attempt.auth)) return attempt.info;
      await lockToken(trx, token.id);
      const ctx = { chargePointId: attempt.chargePointId, connectorId: attempt.connectorId };
      return (await this.o.activeSessions!.hasActiveSessionElsewhere(token.id, ctx, trx)) ? withConcurrentTx(attempt.info) : attempt.info;
    };
  }

  /**
   * A token accepted at a charger is then held to the access rules of the location (issue 9): outside
   * them it is answered Blocked (OCPP 1.6 §7.2: "not allowed"; the reason is in access_refusals).
   */
  private async withAccessRules(idTag: string, result: AuthorizationResult, ctx: AuthorizeContext | undefined): Promise<AuthorizationResult> {
    if (!ctx || !this.o.access || !result.token || result.info.status !== 'Accepted') return result;
    const decision = await this.o.access.check({ idTag, tokenId: result.token.id, chargePointId: ctx.chargePointId, connectorId: ctx.connectorId });
    return decision.allowed ? result : { ...result, info: { status: 'Blocked' } };
  }

  /** Whether the one-session-per-token rule applies: an accepted own token, and sessions to look in. */
  private isConcurrencyLimited(result: AuthorizationResult): boolean {
    return this.o.activeSessions !== undefined && result.info.status === 'Accepted' && result.token !== undefined && !isRoaming(result.token);
  }

  private async decide(idTag: string, ctx?: AuthorizeContext): Promise<AuthorizationResult> {
    const tokens = await this.memoized(this.tokensByUid, idTag, () => listTokensByUid(this.o.db, idTag));
    if (tokens.length === 0) return { info: { status: 'Invalid' }, authMethod: 'WHITELIST', token: undefined };
    const now = this.o.clock.now();
    const pre = ctx && this.o.preAuthorizer ? await this.o.preAuthorizer.find(idTag, ctx, now) : undefined;
    const preToken = pre && tokens.find((t) => t.id === pre.tokenFk);
    if (pre && preToken) return { info: { status: 'Accepted' }, authMethod: 'WHITELIST', authorizationReference: pre.authorizationReference ?? undefined, token: preToken };
    const needsLocation = ctx !== undefined && tokens.some((t) => realtimePolicy(t) !== 'stored');
    const asked = needsLocation ? await this.memoized(this.locationRefs, `${ctx.chargePointId}\u0000${ctx.connectorId ?? ''}`, () => findLocationReferences(this.o.db, ctx.chargePointId, ctx.connectorId)) : undefined;
    // Prefer a token that authorizes; otherwise report the first token's refusal.
    let first: AuthorizationResult | undefined;
    for (const token of tokens) {
      const outcome = ctx && realtimePolicy(token) !== 'stored' ? await this.realtimeOutcome(token, asked, now) : undefined;
      const result = { ...decideRoaming(token, now, outcome, asked), token };
      if (result.info.status === 'Accepted') return result;
      first ??= result;
    }
    return first!;
  }

  /** A cached answer when the whitelist allows one (ALLOWED), else the eMSP's answer (then cached). */
  private async realtimeOutcome(token: IdToken, asked: LocationReferences | undefined, now: Date): Promise<RealtimeOutcome | undefined> {
    if (!this.o.realtime) return undefined;
    const ttlSec = this.o.cacheTtlSec ?? 0;
    const cacheable = ttlSec > 0 && isCacheable(token);
    const locationKey = asked?.location_id ?? '';
    const started = performance.now();
    const took = () => (performance.now() - started) / 1000;
    if (cacheable) {
      const hit = await this.cachedAnswer(token.id, locationKey, now);
      if (hit) {
        this.realtimeObserver?.('cache', String(hit.allowed).toLowerCase(), took());
        return { kind: 'answer', allowed: hit.allowed, authorizationReference: hit.authorizationReference ?? undefined, fromCache: true };
      }
    }
    const outcome = await this.o.realtime.authorize(token, asked);
    this.realtimeObserver?.('emsp', outcome.kind === 'answer' ? String(outcome.allowed).toLowerCase() : outcome.kind, took());
    if (outcome.kind !== 'answer') this.o.logger?.warn('real-time authorization without answer', { token: token.uid, partnerFk: token.partnerFk, outcome: outcome.kind, reason: 'reason' in outcome ? outcome.reason : undefined });
    if (cacheable && outcome.kind === 'answer') {
      await upsertCachedAuthorization(this.o.db, token.id, locationKey, {
        allowed: outcome.allowed,
        authorizationReference: outcome.authorizationReference ?? null,
        expiresAt: new Date(now.getTime() + ttlSec * 1000),
      });
    }
    return outcome;
  }

  /** The cached real-time answer (authorization_cache), from this node's memory while it holds. */
  private async cachedAnswer(tokenFk: number, locationKey: string, now: Date): Promise<CachedAuthorization | undefined> {
    const key = `${tokenFk}\u0000${locationKey}`;
    const nowMs = now.getTime();
    const known = this.realtimeAnswers.get(key, nowMs);
    if (known && known.expiresAt.getTime() > nowMs) return known;
    if (known) return undefined;
    const epoch = this.realtimeAnswers.epoch();
    const hit = await findCachedAuthorization(this.o.db, tokenFk, locationKey, now);
    if (hit && this.memoTtlMs > 0) this.realtimeAnswers.set(key, hit, Math.min(nowMs + this.memoTtlMs, hit.expiresAt.getTime()), epoch);
    return hit;
  }

  /** `read()`'s value, kept in `memo` for memoTtlSec unless one of its tables is written meanwhile. */
  private async memoized<V>(memo: TtlMemo<V>, key: string, read: () => Promise<V>): Promise<V> {
    if (this.memoTtlMs <= 0) return read();
    const nowMs = this.o.clock.now().getTime();
    const known = memo.get(key, nowMs);
    if (known !== undefined) return known;
    const epoch = memo.epoch();
    const value = await read();
    if (value !== undefined) memo.set(key, value, nowMs + this.memoTtlMs, epoch);
    return value;
  }
}
