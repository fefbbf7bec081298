import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { Conflict, InvalidInput } from '../shared/errors.ts';
import { getDefaultParty } from '../parties/party.service.ts';
import * as repo from './location.repo.ts';
import type { Evse, Location, LocationInput } from './location.types.ts';
import type { OcpiPublishToken } from './ocpi.types.ts';
import { readPublication } from './publish-tokens.ts';

const LAT = /^-?[0-9]{1,2}\.[0-9]{5,7}$/;
const LON = /^-?[0-9]{1,3}\.[0-9]{5,7}$/;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false; // RangeError: not an IANA zone
  }
}

/** A location as the operator enters it; the owning party is the default one. `publish` (default true) and
 * `publishAllowedTo` as the admin API takes them (see publish-tokens.ts readPublication). */
export type NewLocation = Omit<LocationInput, 'partyFk' | 'publish' | 'publishAllowedTo' | 'gridLimitA'> & { gridLimitA?: number; publish?: unknown; publishAllowedTo?: unknown };

// For other domains, inside their own transaction (`db` may be one).

/** The location `id`; NotFound when there is none. */
export async function getLocation(db: Db, id: string): Promise<Location> {
  return repo.getLocation(db, id);
}

/** Which of `ids` are locations (a bulk import checks its rows' references at once). */
export async function listExistingLocationIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  return ids.length === 0 ? new Set() : repo.listLocationIdsIn(db, ids);
}

export async function findEvse(db: Db, evseFk: number): Promise<Evse | undefined> {
  return repo.findEvse(db, evseFk);
}

/** The EVSE with this uid, if any (uids are unique across locations). */
export async function findEvseByUid(db: Db, uid: string): Promise<Evse | undefined> {
  return repo.findEvseByUid(db, uid);
}

/**
 * EVSE `evseUid` at the location for a charge point's connectors: created when new, taken over (and live
 * again when REMOVED) when it is free or already the charge point's. An EVSE of another location is
 * InvalidInput, one holding another charge point's connectors Conflict (an EVSE charges one EV at a time,
 * locations §8.3.2, so its connectors are one charger's). The EVSE row stays locked until the caller's
 * transaction ends, so a concurrent claim sees the connectors this one moves there. `field` names the input.
 */
export async function claimEvse(db: Db, a: { locationId: string; evseUid: string; chargePointId: string; field: string }): Promise<Evse> {
  const evse = await repo.insertEvseIfAbsent(db, { locationId: a.locationId, uid: a.evseUid, chargePointId: a.chargePointId });
  if (evse.locationId !== a.locationId) throw new InvalidInput(`${a.field}: EVSE ${a.evseUid} belongs to location ${evse.locationId}`);
  const other = await repo.findOtherChargePointOnEvse(db, evse.id, a.chargePointId);
  if (other) throw new Conflict(`${a.field}: EVSE ${a.evseUid} holds connectors of charger ${other}`);
  await repo.updateEvseChargePoint(db, evse.id, a.chargePointId);
  return { ...evse, chargePointId: a.chargePointId, isRemoved: false };
}

/** Marks an EVSE that lost its last connector REMOVED (locations §8.1: never deleted). */
export async function markEvseRemoved(db: Db, evseFk: number): Promise<void> {
  await repo.updateEvseRemoved(db, evseFk);
}

/** A location's publication before a change (the pushes retract it from those who no longer may get it). */
export interface PublicationBefore {
  publish: boolean;
  publishAllowedTo: OcpiPublishToken[];
}

/** Runs inside the transaction that created or changed a location (partner pushes); `before` on a change of its publication. */
export type LocationChangedHook = (trx: Knex.Transaction, locationId: string, before?: PublicationBefore) => Promise<void>;

/** Locations of the operator's default party; validated with the OCPI 2.2.1 locations §8.3.1 rules. */
export class LocationService {
  private readonly changedHooks: LocationChangedHook[] = [];

  constructor(private readonly o: { db: Knex }) {}

  onChanged(hook: LocationChangedHook): void {
    this.changedHooks.push(hook);
  }

  async create(input: NewLocation): Promise<Location> {
    if (!/^[A-Za-z0-9._-]{1,36}$/.test(input.id)) throw new InvalidInput('id: must be 1-36 characters of letters, digits and ._-');
    if (!/^[A-Z]{3}$/.test(input.country)) throw new InvalidInput('country: must be an ISO 3166-1 alpha-3 code');
    if (!LAT.test(input.latitude)) throw new InvalidInput('latitude: must match -?[0-9]{1,2}\\.[0-9]{5,7}');
    if (!LON.test(input.longitude)) throw new InvalidInput('longitude: must match -?[0-9]{1,3}\\.[0-9]{5,7}');
    if (!isTimeZone(input.timeZone)) throw new InvalidInput('timeZone: must be an IANA time zone, e.g. Europe/Amsterdam');
    if (input.gridLimitA !== undefined && !(Number.isInteger(input.gridLimitA) && input.gridLimitA > 0)) throw new InvalidInput('gridLimitA: must be a positive integer');
    const publication = readPublication(input.publish ?? true, input.publishAllowedTo);
    return this.o.db.transaction(async (trx) => {
      const party = await getDefaultParty(trx);
      const location = await repo.insertLocation(trx, { ...input, ...publication, partyFk: party.id });
      for (const hook of this.changedHooks) await hook(trx, location.id);
      return location;
    });
  }

  /**
   * Sets whether the location is published and, when it is not, to the owners of which tokens it may be
   * shown (OCPI 2.2.1 locations §8.3.1). The eMSP parties are told in the same transaction (ocpi.pushes.ts).
   */
  async setPublication(id: string, input: { publish: unknown; publishAllowedTo?: unknown }): Promise<Location> {
    const publication = readPublication(input.publish, input.publishAllowedTo);
    return this.o.db.transaction(async (trx) => {
      const current = await repo.getLocationForUpdate(trx, id);
      await repo.updateLocationPublication(trx, id, publication);
      const before = { publish: current.publish, publishAllowedTo: current.publishAllowedTo ?? [] };
      for (const hook of this.changedHooks) await hook(trx, id, before);
      return repo.getLocation(trx, id);
    });
  }
}
