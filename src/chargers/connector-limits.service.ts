import type { Knex } from 'knex';
import { InvalidInput } from '../shared/errors.ts';
import { checkInteger } from '../shared/ranges.ts';
import { findNumberOfConnectors } from './configuration.repo.ts';
import { evseGroupOf } from './evse-layout.ts';

export interface ConnectorLimitsOptions {
  db: Knex;
  /** Highest connectorId any charger may use (config ocpp.maxConnectorId). */
  maxConnectorId: number;
}

/**
 * Which connector ids a charger may name. A connectorId the schema lets through (any integer) but no
 * charger has is refused before it is stored: otherwise it becomes a connector row and is published to
 * the eMSPs as an OCPI connector ("-1", "2147483647").
 */
export class ConnectorLimits {
  constructor(private readonly o: ConnectorLimitsOptions) {}

  /**
   * Throws InvalidInput (PropertyConstraintViolation for a charger) unless `connectorId` is from 1 (0 too
   * when `allowWholeCharger`: OCPP 1.6 §4.9 connectorId 0 = the charge point itself) to the configured
   * maximum and, when the charger's NumberOfConnectors is known, to that.
   */
  async check(chargePointId: string, connectorId: number, o: { allowWholeCharger: boolean }): Promise<void> {
    // A 2.0.1 EVSE's second connector (evse-address.ts) is as valid as its EVSE's connector 1.
    const group = await evseGroupOf(this.o.db, chargePointId, connectorId);
    if (group !== connectorId) return this.check(chargePointId, group, o);
    checkInteger(connectorId, 'connectorId', { min: o.allowWholeCharger ? 0 : 1, max: this.o.maxConnectorId });
    // Every charger has connector 1: only a higher id needs the charger's own count.
    if (connectorId <= 1) return;
    const count = await findNumberOfConnectors(this.o.db, chargePointId);
    if (count !== undefined && connectorId > count) throw new InvalidInput(`connectorId: must be at most ${count}, the charger's NumberOfConnectors`);
  }
}
