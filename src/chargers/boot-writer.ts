import type { Knex } from 'knex';
import type { BootNotificationRequest } from '../ocpp/v16/types.ts';
import { GroupCommitWriter } from '../db/group-commit.ts';
import { transactionSink } from '../db/transaction-sink.ts';
import { writeInKeyOrder } from '../db/key-order.ts';
import * as repo from './charger.repo.ts';
import type { RegistrationStatus } from './charger.types.ts';
import { configurationAtBoot } from './configuration.service.ts';

/** One BootNotification to store: the charger's identity data, dated `at`. */
export interface BootItem {
  chargePointId: string;
  params: BootNotificationRequest;
  at: Date;
}

/** What the stored boot answers: the registration status, the interval given and whether it was offline. */
export interface BootWritten {
  registrationStatus: RegistrationStatus;
  interval: number;
  wasOffline: boolean;
}

export interface BootWriterOptions {
  db: Knex;
  heartbeatIntervalSec: number;
  pendingIntervalSec: number;
  ingest?: { batchWindowMs: number; maxBatch: number; maxConcurrentBatches?: number };
}

/** One boot inside the batch transaction `trx`: four statements, as a boot on its own took. */
async function writeBoot(trx: Knex.Transaction, o: BootWriterOptions, b: BootItem): Promise<BootWritten> {
  const { chargePointId, params: p, at } = b;
  // A boot on a socket that stayed open while the charger was marked offline ends that, as any message does.
  const seen = await repo.touchChargePoint(trx, chargePointId, at, false);
  const configured = await configurationAtBoot(trx, chargePointId, at);
  const interval = seen.registrationStatus === 'Accepted' ? (configured.heartbeatIntervalSec ?? o.heartbeatIntervalSec) : o.pendingIntervalSec;
  await repo.updateChargePoint(trx, chargePointId, {
    vendor: p.chargePointVendor,
    model: p.chargePointModel,
    serial_number: p.chargePointSerialNumber ?? null,
    box_serial_number: p.chargeBoxSerialNumber ?? null,
    firmware_version: p.firmwareVersion ?? null,
    iccid: p.iccid ?? null,
    imsi: p.imsi ?? null,
    meter_type: p.meterType ?? null,
    meter_serial_number: p.meterSerialNumber ?? null,
    heartbeat_interval_sec: interval,
    last_boot_at: at,
  });
  return { registrationStatus: seen.registrationStatus, interval, wasOffline: seen.wasOffline };
}

/**
 * Group commit of BootNotifications (issue 8, reconnect storm): the boots of many chargers share one
 * transaction, and each is answered after its COMMIT. Alone, each boot's four statements were four commits
 * (four WAL flushes) on the critical path of every reconnecting charger. A boot that fails (an unknown
 * charger) rolls the batch back; the others are then written one by one (see GroupCommitWriter).
 */
export function createBootWriter(o: BootWriterOptions): GroupCommitWriter<BootItem, BootWritten> {
  return new GroupCommitWriter({
    sink: transactionSink(o.db, (trx, items: readonly BootItem[]) => writeInKeyOrder(items, (b) => b.chargePointId, (b) => writeBoot(trx, o, b))),
    windowMs: o.ingest?.batchWindowMs ?? 5,
    maxBatch: o.ingest?.maxBatch ?? 500,
    maxInFlight: o.ingest?.maxConcurrentBatches ?? 1,
  });
}
