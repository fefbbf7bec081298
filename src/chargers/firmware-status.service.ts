// A charger's firmware status and the firmware update it belongs to (OCPP 2.0.1 L01/L02, 1.6 security whitepaper §4).
import type { Db } from '../db/knex.ts';
import * as repo from './charger.repo.ts';

/**
 * Records the requestId of an UpdateFirmware about to be sent (a campaign's id, or a random one outside a
 * campaign), so that the charger's FirmwareStatusNotifications can be tied back to it.
 */
export function rememberFirmwareRequest(db: Db, chargePointId: string, requestId: number): Promise<void> {
  return repo.updateChargePoint(db, chargePointId, { firmware_request_id: requestId });
}

/**
 * The charge_points columns a (Signed)FirmwareStatusNotification sets: its status, and the request it names
 * (absent in 1.6 FirmwareStatusNotification and in a 2.0.1 Idle status: the last request stays).
 */
export function firmwareStatusFields(p: { status: string; requestId?: number }): Record<string, unknown> {
  return { firmware_status: p.status, ...(p.requestId !== undefined ? { firmware_request_id: p.requestId } : {}) };
}
