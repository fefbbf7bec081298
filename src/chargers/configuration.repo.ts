import type { Db } from '../db/knex.ts';
import type { ConfigurationStatus, ConfirmedKey } from './configuration.ts';

type Row = Record<string, any>;

/** A stored configuration key of a charger. */
export interface StoredKey extends ConfirmedKey {
  confirmedAt: Date;
}

const toStoredKey = (r: Row): StoredKey => ({ key: r.key, value: r.value, readonly: r.readonly, status: r.status, source: r.source, confirmedAt: r.confirmed_at });

/** Stores what the charger confirmed; a later confirmation of a key replaces the earlier one. */
export async function upsertConfiguration(db: Db, chargePointId: string, keys: ConfirmedKey[], at: Date): Promise<void> {
  if (keys.length === 0) return;
  const rows = keys.map((k) => ({ charge_point_id: chargePointId, key: k.key, value: k.value, readonly: k.readonly, status: k.status, source: k.source, confirmed_at: at }));
  await db('charger_configuration')
    .insert(rows)
    .onConflict(['charge_point_id', 'key'])
    // ChangeConfiguration does not say whether a key is read-only: keep what GetConfiguration told us.
    .merge({ value: db.raw('excluded.value'), status: db.raw('excluded.status'), source: db.raw('excluded.source'), confirmed_at: db.raw('excluded.confirmed_at'), readonly: db.raw('coalesce(excluded.readonly, charger_configuration.readonly)') });
}

export async function listConfiguration(db: Db, chargePointId: string): Promise<StoredKey[]> {
  return (await db('charger_configuration').where({ charge_point_id: chargePointId }).orderBy('key')).map(toStoredKey);
}

export async function findConfigurationKey(db: Db, chargePointId: string, key: string): Promise<StoredKey | undefined> {
  const row = await db('charger_configuration').where({ charge_point_id: chargePointId, key }).first();
  return row ? toStoredKey(row) : undefined;
}

/** After a reboot the values the charger accepted with RebootRequired are in force; returns the keys changed. */
export async function updateRebootRequiredToConfirmed(db: Db, chargePointId: string, at: Date): Promise<string[]> {
  const status: ConfigurationStatus = 'Confirmed';
  const rows = await db('charger_configuration').where({ charge_point_id: chargePointId, status: 'RebootRequired' }).update({ status, confirmed_at: at }).returning('key');
  return rows.map((r: Row) => r.key);
}

/**
 * The charger's NumberOfConnectors (OCPP 1.6 §9.1, Core, read-only) as it last reported it in a
 * GetConfiguration answer; undefined when never read or not a plausible count. The key is matched
 * case-insensitively: a charger may echo it in another case than the spec's.
 */
export async function findNumberOfConnectors(db: Db, chargePointId: string): Promise<number | undefined> {
  const row = await db('charger_configuration').where({ charge_point_id: chargePointId }).whereRaw('lower(key) = ?', ['numberofconnectors']).first('value');
  const value = typeof row?.value === 'string' ? row.value.trim() : '';
  if (!/^\d{1,9}$/.test(value)) return undefined;
  const count = Number(value);
  return count >= 1 ? count : undefined;
}
