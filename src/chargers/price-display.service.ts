import type { Knex } from 'knex';
import type { CommandSender } from '../ocpp/commands.ts';
import { Conflict, NotFound } from '../shared/errors.ts';
import { priceInWords } from '../tariffs/price-words.ts';
import type { Tariff } from '../tariffs/tariff.types.ts';
import * as repo from './charger.repo.ts';
import { priceDisplayMessage } from './ocpp201.mapper.ts';

/** What the price display needs from the tariffs domain (TariffService). */
export interface ConnectorTariffs {
  get(id: string): Promise<Tariff>;
  tariffIdsOfConnector(connectorFk: number, party: null): Promise<string[]>;
}

/**
 * The price before a session on a station's display (OCPP 2.0.1 O01 SetDisplayMessage, issue 12): the
 * connector's tariff in the words the driver app uses. A 1.6 charger has no display message (409).
 */
export class PriceDisplayService {
  constructor(private readonly o: { db: Knex; tariffs: ConnectorTariffs; commands: CommandSender; callTimeoutMs: number }) {}

  async show(chargePointId: string, p: { connectorNumber: number; language: string }): Promise<{ message: ReturnType<typeof priceDisplayMessage>['message']; response: unknown }> {
    await repo.getChargePoint(this.o.db, chargePointId);
    const connector = await repo.findConnector(this.o.db, chargePointId, p.connectorNumber);
    if (!connector) throw new NotFound(`connector ${p.connectorNumber} of charger ${chargePointId} not found`);
    if (connector.evseFk === null) throw new Conflict(`connector ${p.connectorNumber} is on no EVSE: no tariff applies`);
    const [tariffId] = await this.o.tariffs.tariffIdsOfConnector(connector.id, null);
    if (tariffId === undefined) throw new Conflict(`no tariff applies to connector ${p.connectorNumber}`);
    const payload = priceDisplayMessage(p.connectorNumber, priceInWords(await this.o.tariffs.get(tariffId), p.language), p.language);
    // A 2.0.1 action sent as it is (ocpp/v201/commands.ts); the 1.6-typed sender does not name it.
    const response = await this.o.commands.send(chargePointId, 'SetDisplayMessage' as never, payload as never, this.o.callTimeoutMs);
    return { message: payload.message, response };
  }
}
