import type { Knex } from 'knex';
import type { Logger } from '../shared/logger.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import * as repo from './charger.repo.ts';
import type { EventFault } from './ocpp201-events.mapper.ts';

/**
 * Faults reported as device-model events (OCPP 2.0.1 NotifyEvent) kept as the same faults as OCPP 1.6
 * StatusNotification error codes, so the alert rules raise the same CONNECTOR_FAULT alerts and close them
 * once the fault is cleared. One open fault per connector and error code, as for 1.6.
 */
export class EventFaultService {
  constructor(private readonly o: { db: Knex; logger: Logger }) {}

  async record(chargePointId: string, faults: EventFault[]): Promise<void> {
    if (faults.length === 0) return;
    await this.o.db.transaction(async (trx) => {
      for (const f of faults) {
        const at = parseTimestamp(f.timestamp, 'eventData.timestamp');
        const key = { chargePointId, connectorNumber: f.connectorNumber, kind: 'ERROR_CODE' as const, errorCode: f.errorCode };
        if (f.isCleared) {
          await repo.clearFaultOfCode(trx, { ...key, at });
        } else if (!(await repo.findOpenFault(trx, chargePointId, f.connectorNumber, 'ERROR_CODE', f.errorCode))) {
          await repo.insertFault(trx, { ...key, info: f.info, vendorErrorCode: f.vendorErrorCode, openedAt: at });
          this.o.logger.warn('charger fault', { chargePointId, connectorId: f.connectorNumber, errorCode: f.errorCode, info: f.info });
        }
      }
    });
  }
}
