import type { Knex } from 'knex';
import type { BootNotificationRequest } from '../ocpp/v16/types.ts';
import { GroupCommitWriter } from '../db/group-commit.ts';
import { transactionSink } from '../db/transaction-sink.ts';
import * as bootRepo from './boot.repo.ts';
import type { RegistrationStatus } from './charger.types.ts';
import { parseHeartbeatInterval } from './configuration.ts';

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

/** The charger columns a boot sets (OCPP 1.6 §7.7 BootNotification.req fields). */
function bootColumns(p: BootNotificationRequest): Record<string, string | null> {
  return {
    vendor: p.chargePointVendor,
    model: p.chargePointModel,
    serial_number: p.chargePointSerialNumber ?? null,
    box_serial_number: p.chargeBoxSerialNumber ?? null,
    firmware_version: p.firmwareVersion ?? null,
    iccid: p.iccid ?? null,
    imsi: p.imsi ?? null,
    meter_type: p.meterType ?? null,
    meter_serial_number: p.meterSerialNumber ?? null,
  };
}

/**
 * A batch of boots inside the transaction `trx` in four statements whatever its size: the chargers' rows
 * locked (id order) and read, RebootRequired configuration confirmed, the confirmed HeartbeatIntervals read,
 * the boots stored. An unknown charger's result is undefined (the others are stored all the same).
 */
async function writeBoots(trx: Knex.Transaction, o: BootWriterOptions, items: readonly BootItem[]): Promise<Array<BootWritten | undefined>> {
  const ids = items.map((b) => b.chargePointId);
  const before = await bootRepo.lockBootingChargers(trx, ids);
  const known = items.filter((b) => before.has(b.chargePointId));
  if (known.length === 0) return items.map(() => undefined);
  await bootRepo.confirmRebootRequired(trx, known.map((b) => ({ id: b.chargePointId, at: b.at })));
  const intervals = await bootRepo.listConfirmedHeartbeatIntervals(trx, known.map((b) => b.chargePointId));
  const written = items.map((b): BootWritten | undefined => {
    const cp = before.get(b.chargePointId);
    if (!cp) return undefined;
    const interval = cp.registrationStatus === 'Accepted' ? (parseHeartbeatInterval(intervals.get(b.chargePointId)) ?? o.heartbeatIntervalSec) : o.pendingIntervalSec;
    return { registrationStatus: cp.registrationStatus, interval, wasOffline: !cp.wasOnline };
  });
  // A charger that booted twice within the batch: its last boot is the one stored.
  const last = new Map(known.map((b) => [b.chargePointId, b]));
  await bootRepo.updateBootedChargers(trx, [...last.values()].map((b) => ({ id: b.chargePointId, at: b.at, interval: written[items.lastIndexOf(b)]!.interval, fields: bootColumns(b.params) })));
  return written;
}

/**
 * Group commit of BootNotifications (issue 8, reconnect storm): the boots of many chargers share one
 * transaction of four statements, and each is answered after its COMMIT. Alone, each boot's four statements
 * were four commits (four WAL flushes) on the critical path of every reconnecting charger; written one after
 * the other in a batch, a batch of hundreds held its rows locked for hundreds of round trips. A batch that
 * fails is written again boot by boot (see GroupCommitWriter); an unknown charger's result is undefined.
 */
export function createBootWriter(o: BootWriterOptions): GroupCommitWriter<BootItem, BootWritten | undefined> {
  return new GroupCommitWriter({
    sink: transactionSink(o.db, (trx, items: readonly BootItem[]) => writeBoots(trx, o, items)),
    windowMs: o.ingest?.batchWindowMs ?? 5,
    maxBatch: o.ingest?.maxBatch ?? 500,
    maxInFlight: o.ingest?.maxConcurrentBatches ?? 1,
  });
}
