import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import type { RegistrationStatus } from './charger.types.ts';
import { HEARTBEAT_INTERVAL_KEY } from './configuration.ts';

// Many chargers' BootNotifications in a constant number of statements (issue 8, reconnect storm): the
// boot writer's batch transaction calls these in this order (charger rows locked first, in id order).

type Row = Record<string, any>;

/** A booting charger's state before its boot, read under its row lock. */
export interface BootingCharger {
  registrationStatus: RegistrationStatus;
  wasOnline: boolean;
}

/** Locks the chargers' rows (in id order) and reads their state; an unknown id is absent from the map. */
export async function lockBootingChargers(db: Db, ids: readonly string[]): Promise<Map<string, BootingCharger>> {
  const rows: Row[] = await db('charge_points').whereRaw('id = any(?)', [[...new Set(ids)]]).orderBy('id').forUpdate().select('id', 'registration_status', 'is_online');
  return new Map(rows.map((r) => [r.id, { registrationStatus: r.registration_status, wasOnline: r.is_online }]));
}

/** After a reboot the values the chargers accepted with RebootRequired are in force (OCPP 1.6 §5.3). */
export async function confirmRebootRequired(db: Db, boots: ReadonlyArray<{ id: string; at: Date }>): Promise<void> {
  await db.raw(
    `update charger_configuration k set status = 'Confirmed', confirmed_at = v.at
       from json_to_recordset(?::json) as v(id text, at timestamptz)
      where k.charge_point_id = v.id and k.status = 'RebootRequired'`,
    [JSON.stringify(boots.map((b) => ({ id: b.id, at: b.at.toISOString() })))],
  );
}

/** The chargers' confirmed HeartbeatInterval values, by charger id (absent: none confirmed). */
export async function listConfirmedHeartbeatIntervals(db: Db, ids: readonly string[]): Promise<Map<string, string | null>> {
  const rows: Row[] = await db('charger_configuration').whereRaw('charge_point_id = any(?)', [[...new Set(ids)]]).where({ key: HEARTBEAT_INTERVAL_KEY, status: 'Confirmed' }).select('charge_point_id', 'value');
  return new Map(rows.map((r) => [r.charge_point_id, r.value]));
}

/** A boot's identity data (charge_points columns) and the heartbeat interval it was given. */
export interface BootFields {
  id: string;
  at: Date;
  interval: number;
  fields: Record<string, string | null>;
}

const BOOT_COLUMNS = ['vendor', 'model', 'serial_number', 'box_serial_number', 'firmware_version', 'iccid', 'imsi', 'meter_type', 'meter_serial_number'] as const;

/** Stores the boots (one each: the caller keeps the last of a charger) and marks the chargers seen and online. */
export async function updateBootedChargers(db: Db, boots: readonly BootFields[]): Promise<void> {
  const input = boots.map((b) => ({ id: b.id, at: b.at.toISOString(), interval: b.interval, ...Object.fromEntries(BOOT_COLUMNS.map((c) => [c, b.fields[c] ?? null])) }));
  await translatePg('booted chargers', () =>
    db.raw(
      `update charge_points c
          set ${BOOT_COLUMNS.map((col) => `${col} = v.${col}`).join(', ')},
              heartbeat_interval_sec = v.interval, last_boot_at = v.at, last_seen_at = v.at, is_online = true, updated_at = ?
         from json_to_recordset(?::json) as v(id text, at timestamptz, interval integer, ${BOOT_COLUMNS.map((col) => `${col} text`).join(', ')})
        where c.id = v.id`,
      [dbNow(db), JSON.stringify(input)],
    ),
  );
}
