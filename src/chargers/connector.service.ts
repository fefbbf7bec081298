import type { Knex } from 'knex';
import * as repo from './charger.repo.ts';
import type { ConnectorView } from './charger.types.ts';
import { isEmptySpecPatch, type ConnectorSpecPatch } from './connector-spec.ts';
import { connectorSpecsFromKeys, type ConnectorDataKey } from './connector-data-keys.ts';
import type { ConfirmedKey } from './configuration.ts';
import { ensureConnectorOf, placeConnector, type EvseLayoutHooks } from './evse-layout.ts';

/**
 * A charger's connectors as the operator and the charger describe them: which EVSE each is on and what it
 * physically is (OCPI 2.2.1 locations §8.3.3: standard, format, power type, maximum voltage, amperage and
 * power). Its location goes to the eMSPs again, in the same transaction, whenever anything changed.
 */
export class ConnectorService {
  constructor(private readonly o: { db: Knex; hooks: EvseLayoutHooks }) {}

  /**
   * Admin API and CLI: creates the connector when the charger has not reported it yet, puts it on EVSE
   * `evseUid` of the charger's location (created when new) and/or sets its data, which the charger's own
   * reports never override.
   */
  async configure(chargePointId: string, connectorNumber: number, change: { evseUid?: string; spec: ConnectorSpecPatch }): Promise<ConnectorView> {
    return this.o.db.transaction(async (trx) => {
      await repo.getChargePoint(trx, chargePointId);
      const existed = await repo.findConnector(trx, chargePointId, connectorNumber);
      const placed = change.evseUid === undefined ? undefined : await placeConnector(trx, this.o.hooks, { chargePointId, connectorNumber, evseUid: change.evseUid });
      const connector = placed?.connector ?? (await ensureConnectorOf(trx, chargePointId, connectorNumber));
      const isSpecChanged = !isEmptySpecPatch(change.spec) && (await repo.updateConnectorSpec(trx, connector.id, change.spec, 'operator'));
      if (!placed?.isAnnounced && (isSpecChanged || !existed) && connector.evseFk !== null) await this.o.hooks.changed(trx, connector.evseFk);
      return (await repo.listConnectors(trx, chargePointId)).find((c) => c.id === connector.id)!;
    });
  }

  /**
   * Connector data as the charger reports it: for protocol adapters (OCPP 2.0.1's device model) and a
   * vendor's configuration keys (OCPP 1.6 GetConfiguration, mapped by `ocpp.connectorDataKeys`: see
   * reportConfiguration). Stored unless the operator set the connector's data; returns whether it was stored.
   */
  async reportByCharger(chargePointId: string, connectorNumber: number, spec: ConnectorSpecPatch): Promise<boolean> {
    if (isEmptySpecPatch(spec)) return false;
    return this.o.db.transaction(async (trx) => {
      const connector = await ensureConnectorOf(trx, chargePointId, connectorNumber);
      const isStored = await repo.updateConnectorSpec(trx, connector.id, spec, 'charger', 'operator');
      if (isStored && connector.evseFk !== null) await this.o.hooks.changed(trx, connector.evseFk);
      return isStored;
    });
  }

  /**
   * OCPP 1.6 §5.8: the connector data in the configuration keys a charger confirmed, under the operator's
   * mapping of its vendor's keys; values that are not OCPI values are reported back, not stored.
   */
  async reportConfiguration(chargePointId: string, keys: ConfirmedKey[], mappings: readonly ConnectorDataKey[], maxConnectorId: number): Promise<{ stored: number[]; problems: string[] }> {
    const { specs, problems } = connectorSpecsFromKeys(keys, mappings, maxConnectorId);
    return { stored: await this.reportSpecs(chargePointId, specs), problems };
  }

  /** reportByCharger for each connector number of `specs`; returns the numbers whose data was stored. */
  async reportSpecs(chargePointId: string, specs: ReadonlyMap<number, ConnectorSpecPatch>): Promise<number[]> {
    const stored: number[] = [];
    for (const [n, spec] of specs) if (await this.reportByCharger(chargePointId, n, spec)) stored.push(n);
    return stored;
  }
}
