import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { TtlMemo } from '../shared/ttl-memo.ts';
import { CHARGER_PLACE_COLUMNS, onTableWrites } from '../db/table-writes.ts';
import { decideAccess } from './access-rules.ts';
import { findAccessPlace, insertAccessRefusal, listAccessRefusals, listRulesOfToken } from './access.repo.ts';
import type { AccessDecision, AccessPlace, AccessRefusal, AccessRule } from './driver.types.ts';

const MEMO_MAX_ENTRIES = 50_000;

/** Where and for which token the check is made (a token of the operator's or a roaming one). */
export interface AccessCheck {
  idTag: string;
  tokenId: number;
  chargePointId: string;
  /** OCPP connectorId of a StartTransaction; absent for an Authorize (any EVSE of the charger). */
  connectorId?: number;
}

/** Access rules applied to a token already valid in itself (issue 9): whether it may charge here and now. */
export class AccessService {
  private readonly places = new TtlMemo<AccessPlace | null>(MEMO_MAX_ENTRIES);
  private readonly rules = new TtlMemo<AccessRule[]>(MEMO_MAX_ENTRIES);
  private readonly memoTtlMs: number;

  /**
   * `memoTtlSec`: how long this node keeps a charger's place and a token's rules in memory (0 = read them
   * every time); this node's writes drop them at once, another node's are seen after at most this long.
   * The decision itself is made at every check, with the time of the check.
   */
  constructor(private readonly o: { db: Knex; clock: Clock; logger?: Logger; memoTtlSec?: number }) {
    this.memoTtlMs = (o.memoTtlSec ?? 5) * 1000;
    if (this.memoTtlMs <= 0) return;
    // Not on status or last-seen updates (every few seconds under a fleet): only on what moves a connector.
    onTableWrites(o.db, ['charge_points', 'locations', 'evses', 'connectors'], () => this.places.clear(), { columns: CHARGER_PLACE_COLUMNS });
    onTableWrites(o.db, ['access_rules', 'driver_group_members', 'driver_groups', 'drivers', 'id_tokens'], () => this.rules.clear());
  }

  /**
   * The decision for the token at the charger (or its connector's EVSE) now; a refusal is recorded in
   * access_refusals with its reason before it is answered. A charger at no location has no rules to apply.
   */
  async check(c: AccessCheck): Promise<AccessDecision> {
    const now = this.o.clock.now();
    const place = await this.memoized(this.places, `${c.chargePointId}\u0000${c.connectorId ?? ''}`, now, async () => (await findAccessPlace(this.o.db, c.chargePointId, c.connectorId)) ?? null);
    if (!place) return { allowed: true };
    const rules = await this.memoized(this.rules, String(c.tokenId), now, () => listRulesOfToken(this.o.db, c.tokenId));
    const decision = decideAccess(place, rules, now);
    if (!decision.allowed) {
      await insertAccessRefusal(this.o.db, { idTag: c.idTag, tokenId: c.tokenId, chargePointId: c.chargePointId, connectorId: c.connectorId ?? null, locationId: place.locationId, status: 'Blocked', reason: decision.reason, at: now });
      this.o.logger?.info('token refused by access rules', { chargePointId: c.chargePointId, connectorId: c.connectorId, locationId: place.locationId, reason: decision.reason });
    }
    return decision;
  }

  /**
   * The tariff of the access rule a new session started under (the EVSE's rule before the location's), from
   * the place and rules this node holds (as `check` does), else read through `db` (the start transaction);
   * undefined when no rule with a tariff covers it.
   */
  async tariffOfSession(db: Db, s: { tokenFk: number | null; chargePointId: string; connectorNumber: number; startAt: Date }): Promise<string | undefined> {
    const { tokenFk } = s;
    if (tokenFk === null) return undefined;
    // The place and rules the start's access check just used, when this node still holds them.
    const now = this.o.clock.now();
    const place = await this.memoized(this.places, `${s.chargePointId}\u0000${s.connectorNumber}`, now, async () => (await findAccessPlace(db, s.chargePointId, s.connectorNumber)) ?? null);
    if (!place) return undefined;
    const decision = decideAccess(place, await this.memoized(this.rules, String(tokenFk), now, () => listRulesOfToken(db, tokenFk)), s.startAt);
    return decision.allowed ? decision.tariffId : undefined;
  }

  private async memoized<V>(memo: TtlMemo<V>, key: string, now: Date, read: () => Promise<V>): Promise<V> {
    if (this.memoTtlMs <= 0) return read();
    const known = memo.get(key, now.getTime());
    if (known !== undefined) return known;
    const epoch = memo.epoch();
    const value = await read();
    memo.set(key, value, now.getTime() + this.memoTtlMs, epoch);
    return value;
  }

  listRefusals(f: { chargePointId?: string; idTag?: string; limit: number; offset: number }): Promise<AccessRefusal[]> {
    return listAccessRefusals(this.o.db, f);
  }
}
