import type { Knex } from 'knex';
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

  listRefusals(f: { chargePointId?: string; idTag?: string; limit: number; offset: number }): Promise<AccessRefusal[]> {
    return listAccessRefusals(this.o.db, f);
  }
}
