import type { Db } from '../db/knex.ts';
import type { LocalListEntry, SentLocalList } from './local-list.ts';

type Row = Record<string, any>;

export interface LocalListState {
  chargePointId: string;
  sent: SentLocalList | undefined;
  lastStatus: string | null;
  lastAttemptAt: Date | null;
  syncedAt: Date | null;
}

const toState = (r: Row): LocalListState => ({
  chargePointId: r.charge_point_id,
  sent: r.version === null ? undefined : { version: r.version, entries: typeof r.entries === 'string' ? JSON.parse(r.entries) : r.entries },
  lastStatus: r.last_status,
  lastAttemptAt: r.last_attempt_at,
  syncedAt: r.synced_at,
});

export async function findLocalList(db: Db, chargePointId: string): Promise<LocalListState | undefined> {
  const row = await db('local_auth_lists').where({ charge_point_id: chargePointId }).first();
  return row ? toState(row) : undefined;
}

/**
 * Hands out the version of the next SendLocalList of a charger: at least `atLeast` and above every version
 * stored or handed out before. One statement (the row lock of the upsert orders concurrent callers), so two
 * nodes syncing the same charger at once get two different versions.
 */
export async function reserveLocalListVersion(db: Db, chargePointId: string, atLeast: number): Promise<number> {
  const { rows } = await db.raw(`insert into local_auth_lists as l (charge_point_id, entries, reserved_version) values (?, '[]', ?)
    on conflict (charge_point_id) do update set reserved_version = greatest(coalesce(l.version, 0) + 1, coalesce(l.reserved_version, 0) + 1, excluded.reserved_version)
    returning reserved_version`, [chargePointId, atLeast]);
  return Number(rows[0].reserved_version);
}

/**
 * Records an accepted update: the charger now holds `sent`; unless a higher version was recorded as accepted
 * meanwhile (another node's update that overtook this one).
 */
export async function upsertAcceptedLocalList(db: Db, chargePointId: string, sent: SentLocalList, at: Date): Promise<void> {
  const row = { charge_point_id: chargePointId, version: sent.version, entries: JSON.stringify(sent.entries), last_status: 'Accepted', last_attempt_at: at, synced_at: at };
  await db('local_auth_lists').insert(row).onConflict('charge_point_id').merge()
    .where((w) => w.whereNull('local_auth_lists.version').orWhere('local_auth_lists.version', '<', sent.version));
}

/** Records a refused or failed attempt; what the charger held before is kept. */
export async function upsertLocalListAttempt(db: Db, chargePointId: string, status: string, at: Date): Promise<void> {
  await db('local_auth_lists').insert({ charge_point_id: chargePointId, entries: '[]', last_status: status, last_attempt_at: at }).onConflict('charge_point_id').merge(['last_status', 'last_attempt_at']);
}

/**
 * The entries the access rules want in a charger's list: the valid, unexpired own tokens of the drivers
 * whose groups have a rule for the charger's location or one of its EVSEs, sorted by idTag.
 */
export async function listLocalListTokens(db: Db, chargePointId: string, now: Date): Promise<Array<{ uid: string; expiryDate: Date | null; groupId: string | null }>> {
  const rows: Row[] = await db('id_tokens as t')
    .join('driver_group_members as m', 'm.driver_fk', 't.driver_fk')
    .join('access_rules as r', 'r.group_fk', 'm.group_fk')
    .leftJoin('evses as e', 'e.uid', 'r.evse_uid')
    .join('charge_points as cp', (j) => j.onVal('cp.id', chargePointId))
    .where((w) => w.whereRaw('r.location_id = cp.location_id').orWhereRaw('(e.charge_point_id = cp.id and e.is_removed = false)'))
    .where('t.valid', true)
    .whereNull('t.partner_fk')
    .where((w) => w.whereNull('t.expiry_date').orWhere('t.expiry_date', '>', now))
    .distinct('t.uid', 't.expiry_date', 't.group_id')
    .orderBy('t.uid');
  return rows.map((r) => ({ uid: r.uid, expiryDate: r.expiry_date, groupId: r.group_id }));
}

/** Chargers connected now that have access rules at their place or a list cpms sent: the ones to keep in sync. */
export async function listChargersForLocalLists(db: Db): Promise<string[]> {
  const rows: Row[] = await db('charge_points as cp')
    .where('cp.is_connected', true)
    .where((w) =>
      w
        .whereExists((q) => q.select(db.raw('1')).from('access_rules as r').whereRaw('r.location_id = cp.location_id'))
        .orWhereExists((q) => q.select(db.raw('1')).from('access_rules as r').join('evses as e', 'e.uid', 'r.evse_uid').whereRaw('e.charge_point_id = cp.id'))
        .orWhereExists((q) => q.select(db.raw('1')).from('local_auth_lists as l').whereRaw('l.charge_point_id = cp.id')),
    )
    .orderBy('cp.id')
    .select('cp.id');
  return rows.map((r) => r.id);
}

export type { LocalListEntry };
