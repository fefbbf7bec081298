import type { Knex } from 'knex';
import { InvalidInput } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { runDetached } from '../shared/background.ts';
import { checkInteger } from '../shared/ranges.ts';
import { findNumberOfConnectors, updateNumberOfConnectors } from './connector-count.repo.ts';

export interface ConnectorLimitsOptions {
  db: Knex;
  logger: Logger;
  /** Highest connectorId any charger may use (config ocpp.maxConnectorId). */
  maxConnectorId: number;
}

/** An operator command and the charger's answer (only GetConfiguration matters here). */
export interface AnsweredConfiguration {
  action: string;
  response: unknown;
}

const NUMBER_OF_CONNECTORS = 'numberofconnectors';

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
    checkInteger(connectorId, 'connectorId', { min: o.allowWholeCharger ? 0 : 1, max: this.o.maxConnectorId });
    // Every charger has connector 1: only a higher id needs the charger's own count.
    if (connectorId <= 1) return;
    const count = await findNumberOfConnectors(this.o.db, chargePointId);
    if (count !== undefined && connectorId > count) throw new InvalidInput(`connectorId: must be at most ${count}, the charger's NumberOfConnectors`);
  }

  /**
   * Learns the charger's NumberOfConnectors (OCPP 1.6 §9.1, read-only) from its answer to an operator's
   * GetConfiguration. Must not throw: the operator's command has been answered already.
   */
  onOperatorCommand(chargePointId: string, cmd: AnsweredConfiguration): void {
    if (cmd.action !== 'GetConfiguration') return;
    const count = numberOfConnectorsIn(cmd.response);
    if (count === undefined) return;
    runDetached(this.o.logger, 'recording NumberOfConnectors', () => updateNumberOfConnectors(this.o.db, chargePointId, count));
  }
}

/** NumberOfConnectors from a GetConfiguration.conf, when present and a plausible count. */
function numberOfConnectorsIn(response: unknown): number | undefined {
  const keys = (response as { configurationKey?: Array<{ key: string; value?: string }> } | undefined)?.configurationKey ?? [];
  // Matched case-insensitively: a charger may echo the key in another case than the spec's.
  const entry = keys.find((k) => typeof k.key === 'string' && k.key.toLowerCase() === NUMBER_OF_CONNECTORS);
  const value = entry?.value?.trim();
  if (!value || !/^\d{1,9}$/.test(value)) return undefined;
  const count = Number(value);
  return count >= 1 ? count : undefined;
}
