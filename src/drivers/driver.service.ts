import type { Knex } from 'knex';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import * as drivers from './driver.repo.ts';
import * as groups from './group.repo.ts';
import { findLocationAccess, listAllowedTokensOfLocation, listRestrictedLocations, updateLocationAccessMode } from './access.repo.ts';
import { isTimeOfDay } from './access-rules.ts';
import { ACCESS_MODES, type AccessMode, type AccessRule, type Driver, type DriverGroup } from './driver.types.ts';

/** The locations domain's publication of a location to eMSPs (OCPI 2.2.1 locations §8.3.1), pushes included. */
export interface LocationPublication {
  setPublication(id: string, input: { publish: unknown; publishAllowedTo?: unknown }): Promise<unknown>;
}

/** OCPI publishes at most this many PublishTokens per location (the locations domain's limit). */
const MAX_PUBLISH_TOKENS = 1000;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function readEmail(email: unknown): string | null | undefined {
  if (email === undefined) return undefined;
  if (email === null) return null;
  if (typeof email !== 'string' || email.length > 254 || !EMAIL.test(email)) throw new InvalidInput('email: must be an email address of at most 254 characters');
  return email;
}

function readName(name: unknown, required: boolean): string | undefined {
  if (name === undefined && !required) return undefined;
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 100) throw new InvalidInput('name: required string of 1-100 characters');
  return name;
}

/** An access rule as the admin API takes it (camelCase), checked field by field. */
export function readAccessRule(groupId: number, b: Record<string, unknown>): Omit<AccessRule, 'id'> {
  const locationId = b.locationId ?? null;
  const evseUid = b.evseUid ?? null;
  if ((locationId === null) === (evseUid === null)) throw new InvalidInput('locationId, evseUid: exactly one is required');
  if (locationId !== null && (typeof locationId !== 'string' || locationId.length > 36)) throw new InvalidInput('locationId: must be a string of at most 36 characters');
  if (evseUid !== null && (typeof evseUid !== 'string' || evseUid.length > 36)) throw new InvalidInput('evseUid: must be a string of at most 36 characters');
  const weekdays = b.weekdays ?? [1, 2, 3, 4, 5, 6, 7];
  if (!Array.isArray(weekdays) || weekdays.length === 0 || weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) throw new InvalidInput('weekdays: must be a non-empty array of ISO weekdays 1 (Monday) .. 7 (Sunday)');
  const startTime = b.startTime ?? null;
  const endTime = b.endTime ?? null;
  if ((startTime === null) !== (endTime === null)) throw new InvalidInput('startTime, endTime: both or neither');
  if (startTime !== null && (!isTimeOfDay(startTime) || !isTimeOfDay(endTime))) throw new InvalidInput('startTime, endTime: must be HH:MM (00:00-23:59)');
  const tariffId = b.tariffId ?? null;
  if (tariffId !== null && (typeof tariffId !== 'string' || tariffId.length === 0 || tariffId.length > 36)) throw new InvalidInput('tariffId: must be a string of 1-36 characters');
  return { groupId, locationId: locationId as string | null, evseUid: evseUid as string | null, weekdays: [...new Set(weekdays as number[])].sort(), startTime: startTime as string | null, endTime: endTime as string | null, tariffId: tariffId as string | null };
}

/** Drivers (who own tokens), their groups and the groups' access rules (issue 9). */
export class DriverService {
  constructor(private readonly o: { db: Knex; publication?: LocationPublication; onAccessChanged?: () => void }) {}

  add(b: Record<string, unknown>): Promise<Driver> {
    return drivers.insertDriver(this.o.db, { name: readName(b.name, true)!, email: readEmail(b.email) ?? null });
  }

  async get(id: number): Promise<Driver & { tokens: unknown[]; groups: DriverGroup[] }> {
    const driver = await drivers.findDriver(this.o.db, id);
    if (!driver) throw new NotFound(`driver ${id} not found`);
    return { ...driver, tokens: await drivers.listTokensOfDriver(this.o.db, id), groups: await groups.listGroupsOfDriver(this.o.db, id) };
  }

  list(page: { limit: number; offset: number }): Promise<Driver[]> {
    return drivers.listDrivers(this.o.db, page);
  }

  async update(id: number, b: Record<string, unknown>): Promise<Driver> {
    const driver = await drivers.updateDriver(this.o.db, id, { name: readName(b.name, false), email: readEmail(b.email) });
    if (!driver) throw new NotFound(`driver ${id} not found`);
    return driver;
  }

  async remove(id: number): Promise<void> {
    if ((await drivers.deleteDriver(this.o.db, id)) === 0) throw new NotFound(`driver ${id} not found`);
    await this.changed();
  }

  /** Gives one of the operator's own tokens to the driver (null: takes it away). Roaming tokens are not ours to give. */
  async setTokenOwner(tokenId: number, driverId: number | null): Promise<void> {
    if (driverId !== null && !(await drivers.findDriver(this.o.db, driverId))) throw new NotFound(`driver ${driverId} not found`);
    if ((await drivers.updateTokenDriver(this.o.db, tokenId, driverId)) === 0) throw new NotFound(`token ${tokenId} not found among the operator's own tokens`);
    await this.changed();
  }

  addGroup(b: Record<string, unknown>): Promise<DriverGroup> {
    // Load management (issue 10): the group's drivers are served first when a site's capacity is short.
    const priority = b.priority ?? 0;
    if (!Number.isInteger(priority) || (priority as number) < -1000 || (priority as number) > 1000) throw new InvalidInput('priority: an integer from -1000 to 1000');
    return groups.insertGroup(this.o.db, readName(b.name, true)!, priority as number);
  }

  async getGroup(id: number): Promise<DriverGroup & { members: unknown[]; rules: AccessRule[] }> {
    const group = await groups.findGroup(this.o.db, id);
    if (!group) throw new NotFound(`group ${id} not found`);
    return { ...group, members: await groups.listGroupMembers(this.o.db, id), rules: await groups.listRulesOfGroup(this.o.db, id) };
  }

  listGroups(page: { limit: number; offset: number }): Promise<DriverGroup[]> {
    return groups.listGroups(this.o.db, page);
  }

  async removeGroup(id: number): Promise<void> {
    if ((await groups.deleteGroup(this.o.db, id)) === 0) throw new NotFound(`group ${id} not found`);
    await this.changed();
  }

  async addMember(groupId: number, driverId: number): Promise<void> {
    await this.requireGroup(groupId);
    if (!(await drivers.findDriver(this.o.db, driverId))) throw new NotFound(`driver ${driverId} not found`);
    await groups.insertGroupMember(this.o.db, groupId, driverId);
    await this.changed();
  }

  async removeMember(groupId: number, driverId: number): Promise<void> {
    if ((await groups.deleteGroupMember(this.o.db, groupId, driverId)) === 0) throw new NotFound(`driver ${driverId} is not in group ${groupId}`);
    await this.changed();
  }

  async addRule(groupId: number, b: Record<string, unknown>): Promise<AccessRule> {
    const rule = readAccessRule(groupId, b);
    await this.requireGroup(groupId);
    const added = await groups.insertAccessRule(this.o.db, rule);
    await this.changed();
    return added;
  }

  async removeRule(groupId: number, ruleId: number): Promise<void> {
    if ((await groups.deleteAccessRule(this.o.db, groupId, ruleId)) === 0) throw new NotFound(`rule ${ruleId} of group ${groupId} not found`);
    await this.changed();
  }

  async getAccess(locationId: string): Promise<NonNullable<Awaited<ReturnType<typeof findLocationAccess>>>> {
    const access = await findLocationAccess(this.o.db, locationId);
    if (!access) throw new NotFound(`location ${locationId} not found`);
    return access;
  }

  /** public: anyone; restricted: the drivers its rules name; private: the same, never published over OCPI. */
  async setAccessMode(locationId: string, mode: unknown): Promise<void> {
    if (!ACCESS_MODES.includes(mode as AccessMode)) throw new InvalidInput(`accessMode: must be one of ${ACCESS_MODES.join(', ')}`);
    if ((await updateLocationAccessMode(this.o.db, locationId, mode as AccessMode)) === 0) throw new NotFound(`location ${locationId} not found`);
    if (mode === 'restricted') return void (await this.republish(locationId));
    // public: shown to every eMSP; private: to none (publish false, no publish_allowed_to).
    await this.o.publication?.setPublication(locationId, { publish: mode === 'public', publishAllowedTo: mode === 'public' ? null : [] });
  }

  /**
   * A restricted location is published with publish=false and publish_allowed_to = its drivers' tokens
   * (OCPI 2.2.1 locations §8.3.1); sent again (pushed) only when that list changed. Called after every change
   * of rules, members or token owners: for one location, or all restricted ones.
   */
  async republish(locationId?: string): Promise<void> {
    if (!this.o.publication) return;
    for (const loc of await listRestrictedLocations(this.o.db, locationId)) {
      const tokens = await listAllowedTokensOfLocation(this.o.db, loc.id, MAX_PUBLISH_TOKENS);
      const allowedTo = tokens.map((t) => ({ uid: t.uid, type: t.type }));
      if (!loc.publish && JSON.stringify(loc.publishAllowedTo ?? []) === JSON.stringify(allowedTo)) continue;
      await this.o.publication.setPublication(loc.id, { publish: false, publishAllowedTo: allowedTo });
    }
  }

  /** After a change of rules, members or token owners: the OCPI publication, then the hook (local lists). */
  private async changed(): Promise<void> {
    await this.republish();
    this.o.onAccessChanged?.();
  }

  private async requireGroup(id: number): Promise<void> {
    if (!(await groups.findGroup(this.o.db, id))) throw new NotFound(`group ${id} not found`);
  }
}
