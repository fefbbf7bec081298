// Pure mapping from location records to OCPI 2.2.1 Location / EVSE / Connector objects. No I/O.
import type {
  ConnectorRecord,
  EvseRecord,
  LocationTree,
  OcpiConnector,
  OcpiEvse,
  OcpiEvseStatusPatch,
  OcpiLocation,
} from './ocpi.types.ts';

/**
 * Capabilities of an EVSE whose row names none. OCPP 1.6 Core gives every charger RemoteStart/Stop and
 * UnlockConnector, and an RFID reader is the norm; reservations and smart charging are optional feature
 * profiles, so RESERVABLE and CHARGING_PROFILE_CAPABLE are only shown when the operator sets them.
 */
export const DEFAULT_EVSE_CAPABILITIES: readonly string[] = ['RFID_READER', 'REMOTE_START_STOP_CAPABLE', 'UNLOCK_CAPABLE'];

/** Drops the keys whose value is null or undefined (OCPI: optional fields are omitted, not null). */
function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out as T;
}

/** OCPI 2.2.1 types §16.2 DateTime: UTC with Z. */
function toDateTime(d: Date): string {
  return d.toISOString();
}

function latest(dates: Date[]): Date {
  let max = dates[0]!;
  for (const d of dates) if (d.getTime() > max.getTime()) max = d;
  return max;
}

/** An EVSE's last_updated: its own or any of its connectors', whichever is newer (locations §8.3.2). */
export function evseLastUpdated(evse: EvseRecord, connectors: readonly ConnectorRecord[]): Date {
  return latest([evse.lastUpdated, ...connectors.map((c) => c.lastUpdated)]);
}

/** A location's last_updated: the newest of the location, its EVSEs and their connectors (locations §8.2.1.1). */
export function locationLastUpdated(tree: LocationTree): Date {
  return latest([tree.location.lastUpdated, ...tree.evses.map((e) => evseLastUpdated(e.evse, e.connectors))]);
}

/**
 * The tree as one eMSP sees it: `tariffIds` (connector id → that eMSP's Connector.tariff_ids) replaces
 * the general tariff_ids of the connectors it names (locations §8.3.3: "can be different for different
 * eMSPs"). Other connectors keep theirs.
 */
export function withTariffView(tree: LocationTree, tariffIds: ReadonlyMap<number, string[]>): LocationTree {
  if (tariffIds.size === 0) return tree;
  const view = (c: ConnectorRecord): ConnectorRecord => (tariffIds.has(c.id) ? { ...c, tariffIds: tariffIds.get(c.id)! } : c);
  return { ...tree, evses: tree.evses.map((e) => ({ ...e, connectors: e.connectors.map(view) })) };
}

/** Ids of every connector of the tree (to ask for one eMSP's tariff view). */
export function connectorIdsOf(tree: LocationTree): number[] {
  return tree.evses.flatMap((e) => e.connectors.map((c) => c.id));
}

/**
 * Where each connector of the tree is, with its stored general Connector.tariff_ids (null when never computed),
 * as the tariffs domain ranks its rules.
 */
export function connectorSitesOf(tree: LocationTree): Array<{ connectorFk: number; evseFk: number; locationId: string; tariffIds: string[] | null }> {
  return tree.evses.flatMap((e) => e.connectors.map((c) => ({ connectorFk: c.id, evseFk: e.evse.id, locationId: tree.location.id, tariffIds: Array.isArray(c.tariffIds) ? c.tariffIds : null })));
}

/** OCPI 2.2.1 locations §8.3.3 Connector. */
export function toOcpiConnector(c: ConnectorRecord): OcpiConnector {
  return compact<OcpiConnector>({
    id: c.ocpiId,
    standard: c.standard,
    format: c.format,
    power_type: c.powerType,
    max_voltage: c.maxVoltage,
    max_amperage: c.maxAmperage,
    max_electric_power: c.maxElectricPower ?? undefined,
    tariff_ids: c.tariffIds ?? undefined,
    terms_and_conditions: c.termsAndConditions ?? undefined,
    last_updated: toDateTime(c.lastUpdated),
  });
}

/**
 * OCPI 2.2.1 locations §8.3.2 EVSE, or undefined when it has no connector yet: an EVSE needs at least
 * one (cardinality +), and OCPP 1.6 chargers only reveal theirs with their first StatusNotification.
 * A removed EVSE is kept with status REMOVED (§8.1: EVSEs are never deleted).
 */
export function toOcpiEvse(evse: EvseRecord, connectors: readonly ConnectorRecord[]): OcpiEvse | undefined {
  if (connectors.length === 0) return undefined;
  const hasCoordinates = evse.latitude !== null && evse.longitude !== null;
  return compact<OcpiEvse>({
    uid: evse.uid,
    evse_id: evse.evseId ?? undefined,
    status: evse.isRemoved ? 'REMOVED' : evse.status,
    status_schedule: evse.statusSchedule ?? undefined,
    capabilities: evse.capabilities ?? [...DEFAULT_EVSE_CAPABILITIES],
    connectors: connectors.map(toOcpiConnector),
    floor_level: evse.floorLevel ?? undefined,
    coordinates: hasCoordinates ? { latitude: evse.latitude!, longitude: evse.longitude! } : undefined,
    physical_reference: evse.physicalReference ?? undefined,
    directions: evse.directions ?? undefined,
    parking_restrictions: evse.parkingRestrictions ?? undefined,
    images: evse.images ?? undefined,
    last_updated: toDateTime(evseLastUpdated(evse, connectors)),
  });
}

/** OCPI 2.2.1 locations §8.3.1 Location with its EVSEs (those that have connectors). */
export function toOcpiLocation(tree: LocationTree): OcpiLocation {
  const l = tree.location;
  const evses = tree.evses.map((e) => toOcpiEvse(e.evse, e.connectors)).filter((e): e is OcpiEvse => e !== undefined);
  return compact<OcpiLocation>({
    country_code: l.countryCode,
    party_id: l.partyId,
    id: l.id,
    publish: l.publish,
    // §8.3.1: publish_allowed_to may only be used when publish is false.
    publish_allowed_to: l.publish ? undefined : (l.publishAllowedTo ?? undefined),
    name: l.name ?? undefined,
    address: l.address,
    city: l.city,
    postal_code: l.postalCode ?? undefined,
    state: l.state ?? undefined,
    country: l.country,
    coordinates: { latitude: l.latitude, longitude: l.longitude },
    related_locations: l.relatedLocations ?? undefined,
    parking_type: l.parkingType ?? undefined,
    evses,
    directions: l.directions ?? undefined,
    operator: l.operator ?? undefined,
    suboperator: l.suboperator ?? undefined,
    owner: l.owner ?? undefined,
    facilities: l.facilities ?? undefined,
    time_zone: l.timeZone,
    opening_times: l.openingTimes ?? undefined,
    charging_when_closed: l.chargingWhenClosed ?? undefined,
    images: l.images ?? undefined,
    energy_mix: l.energyMix ?? undefined,
    last_updated: toDateTime(locationLastUpdated(tree)),
  });
}

/** Body of the PATCH that tells an eMSP an EVSE's status changed (locations §8.2.2.3 example "status update"). */
export function toEvseStatusPatch(change: { status: string; isRemoved?: boolean; lastUpdated: Date }): OcpiEvseStatusPatch {
  return { status: change.isRemoved ? 'REMOVED' : change.status, last_updated: toDateTime(change.lastUpdated) };
}
