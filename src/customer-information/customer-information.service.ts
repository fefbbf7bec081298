import type { Knex } from 'knex';
import type { CommandSender } from '../ocpp/commands.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { assertChargerExists } from '../chargers/charger.service.ts';
import * as repo from './customer-information.repo.ts';
import { assembleReport } from './report-parts.ts';
import type { CustomerInformationPart, CustomerInformationReport, CustomerRef } from './customer-information.types.ts';

export interface CustomerInformationAsk {
  chargePointId: string;
  report: boolean;
  clear: boolean;
  customer: CustomerRef;
}

export interface CustomerInformationOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  commands: CommandSender;
  callTimeoutMs: number;
}

/**
 * OCPP 2.0.1 N09/N10 (GDPR requests): cpms asks a station to report and/or clear what it holds about one
 * customer. The request is stored first (its id is the requestId); the station's NotifyCustomerInformation
 * parts are stored per seqNo and shown assembled once the last one came.
 */
export class CustomerInformationService {
  constructor(private readonly o: CustomerInformationOptions) {}

  /** Sends CustomerInformation; Conflict (409) for a 1.6 charger or one not connected (recorded NotSent), a timeout or CALLERROR recorded Failed. */
  async request(ask: CustomerInformationAsk, by: string): Promise<CustomerInformationReport> {
    await assertChargerExists(this.o.db, ask.chargePointId);
    const created = await repo.insertRequest(this.o.db, { ...ask, createdBy: by }, this.o.clock.now());
    const payload = { requestId: created.id, report: ask.report, clear: ask.clear, ...ask.customer };
    try {
      // A 2.0.1 action sent as it is (ocpp/v201/commands.ts); refused before the socket for a 1.6 charger.
      const response = (await this.o.commands.send(ask.chargePointId, 'CustomerInformation' as never, payload as never, this.o.callTimeoutMs)) as { status: string };
      await repo.recordAnswer(this.o.db, created.id, { status: response.status, lastError: null }, this.o.clock.now());
    } catch (err) {
      await repo.recordAnswer(this.o.db, created.id, { status: err instanceof Conflict ? 'NotSent' : 'Failed', lastError: (err as Error).message }, this.o.clock.now());
      throw err;
    }
    return this.get(ask.chargePointId, created.id);
  }

  /** NotifyCustomerInformation: a part of the report of one of the charger's requests; any other requestId is logged and ignored. */
  async onPart(chargePointId: string, requestId: number, part: CustomerInformationPart): Promise<void> {
    await this.o.db.transaction(async (trx) => {
      if (!(await repo.isRequestOf(trx, chargePointId, requestId))) {
        this.o.logger.warn('NotifyCustomerInformation names no customer information request of this charger', { chargePointId, requestId, seqNo: part.seqNo });
        return;
      }
      await repo.insertPart(trx, requestId, part, this.o.clock.now());
    });
  }

  async get(chargePointId: string, id: number): Promise<CustomerInformationReport> {
    const request = await repo.getRequest(this.o.db, chargePointId, id);
    const parts = await repo.listParts(this.o.db, id);
    return { ...request, partsReceived: parts.length, ...assembleReport(parts) };
  }
}
