import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { decideAccess } from './access-rules.ts';
import { findAccessPlace, insertAccessRefusal, listAccessRefusals, listRulesOfToken } from './access.repo.ts';
import type { AccessDecision, AccessRefusal } from './driver.types.ts';

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
  constructor(private readonly o: { db: Knex; clock: Clock; logger?: Logger }) {}

  /**
   * The decision for the token at the charger (or its connector's EVSE) now; a refusal is recorded in
   * access_refusals with its reason before it is answered. A charger at no location has no rules to apply.
   */
  async check(c: AccessCheck): Promise<AccessDecision> {
    const place = await findAccessPlace(this.o.db, c.chargePointId, c.connectorId);
    if (!place) return { allowed: true };
    const rules = await listRulesOfToken(this.o.db, c.tokenId);
    const now = this.o.clock.now();
    const decision = decideAccess(place, rules, now);
    if (!decision.allowed) {
      await insertAccessRefusal(this.o.db, { idTag: c.idTag, tokenId: c.tokenId, chargePointId: c.chargePointId, connectorId: c.connectorId ?? null, locationId: place.locationId, status: 'Blocked', reason: decision.reason, at: now });
      this.o.logger?.info('token refused by access rules', { chargePointId: c.chargePointId, connectorId: c.connectorId, locationId: place.locationId, reason: decision.reason });
    }
    return decision;
  }

  /**
   * The tariff of the access rule a new session started under (the EVSE's rule before the location's), read
   * through `db` (the start transaction); undefined when no rule with a tariff covers it.
   */
  async tariffOfSession(db: Db, s: { tokenFk: number | null; chargePointId: string; connectorNumber: number; startAt: Date }): Promise<string | undefined> {
    if (s.tokenFk === null) return undefined;
    const place = await findAccessPlace(db, s.chargePointId, s.connectorNumber);
    if (!place) return undefined;
    const decision = decideAccess(place, await listRulesOfToken(db, s.tokenFk), s.startAt);
    return decision.allowed ? decision.tariffId : undefined;
  }

  listRefusals(f: { chargePointId?: string; idTag?: string; limit: number; offset: number }): Promise<AccessRefusal[]> {
    return listAccessRefusals(this.o.db, f);
  }
}
