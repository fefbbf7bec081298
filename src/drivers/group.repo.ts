import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import type { AccessRule, DriverGroup, NewAccessRule } from './driver.types.ts';

type Row = Record<string, any>;

const toGroup = (r: Row): DriverGroup => ({ id: r.id, name: r.name, priority: r.priority ?? 0, createdAt: r.created_at });

export const toAccessRule = (r: Row): AccessRule => ({
  id: r.id,
  groupId: r.group_fk,
  locationId: r.location_id,
  evseUid: r.evse_uid,
  weekdays: typeof r.weekdays === 'string' ? JSON.parse(r.weekdays) : r.weekdays,
  startTime: r.start_time,
  endTime: r.end_time,
  tariffId: r.tariff_id,
});

export async function insertGroup(db: Db, name: string, priority = 0): Promise<DriverGroup> {
  const [row] = await translatePg(`group ${name}`, () => db('driver_groups').insert({ name, priority, created_at: dbNow(db) }).returning('*'));
  return toGroup(row);
}

export async function findGroup(db: Db, id: number): Promise<DriverGroup | undefined> {
  const row = await db('driver_groups').where({ id }).first();
  return row ? toGroup(row) : undefined;
}

export async function listGroups(db: Db, page: { limit: number; offset: number }): Promise<DriverGroup[]> {
  return (await db('driver_groups').orderBy('id').limit(page.limit).offset(page.offset)).map(toGroup);
}

export async function deleteGroup(db: Db, id: number): Promise<number> {
  return (await db('driver_groups').where({ id }).delete().returning('*')).length;
}

/** Adds a driver to a group (a repeat changes nothing); an unknown driver is InvalidInput (23503). */
export async function insertGroupMember(db: Db, groupId: number, driverId: number): Promise<void> {
  await translatePg(`member ${driverId}`, () => db('driver_group_members').insert({ group_fk: groupId, driver_fk: driverId }).onConflict(['group_fk', 'driver_fk']).ignore());
}

export async function deleteGroupMember(db: Db, groupId: number, driverId: number): Promise<number> {
  return (await db('driver_group_members').where({ group_fk: groupId, driver_fk: driverId }).delete().returning('*')).length;
}

export async function listGroupMembers(db: Db, groupId: number): Promise<Array<{ id: number; name: string; email: string | null }>> {
  return db('drivers').join('driver_group_members as m', 'm.driver_fk', 'drivers.id').where('m.group_fk', groupId).orderBy('drivers.id').select('drivers.id', 'drivers.name', 'drivers.email');
}

/** The groups a driver belongs to. */
export async function listGroupsOfDriver(db: Db, driverId: number): Promise<DriverGroup[]> {
  return (await db('driver_groups').join('driver_group_members as m', 'm.group_fk', 'driver_groups.id').where('m.driver_fk', driverId).orderBy('driver_groups.id').select('driver_groups.*')).map(toGroup);
}

/** An unknown location or EVSE uid is InvalidInput (23503). */
export async function insertAccessRule(db: Db, r: NewAccessRule): Promise<AccessRule> {
  const [row] = await translatePg(`access rule`, () =>
    db('access_rules')
      .insert({ group_fk: r.groupId, location_id: r.locationId, evse_uid: r.evseUid, weekdays: JSON.stringify(r.weekdays), start_time: r.startTime, end_time: r.endTime, tariff_id: r.tariffId, created_at: dbNow(db) })
      .returning('*'),
  );
  return toAccessRule(row);
}

export async function deleteAccessRule(db: Db, groupId: number, ruleId: number): Promise<number> {
  return (await db('access_rules').where({ id: ruleId, group_fk: groupId }).delete().returning('*')).length;
}

export async function listRulesOfGroup(db: Db, groupId: number): Promise<AccessRule[]> {
  return (await db('access_rules').where({ group_fk: groupId }).orderBy('id')).map(toAccessRule);
}
