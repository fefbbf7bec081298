// Records read for the OCPI locations module (camelCase, from ocpi.repo.ts) and the OCPI 2.2.1 wire
// objects built from them (snake_case, mod_locations §8.3).

/** A location row with its owning party, as the OCPI mapper needs it. */
export interface LocationRecord {
  id: string;
  countryCode: string;
  partyId: string;
  publish: boolean;
  publishAllowedTo: OcpiPublishToken[] | null;
  name: string | null;
  address: string;
  city: string;
  postalCode: string | null;
  state: string | null;
  country: string;
  latitude: string;
  longitude: string;
  timeZone: string;
  parkingType: string | null;
  facilities: string[] | null;
  openingTimes: Record<string, unknown> | null;
  chargingWhenClosed: boolean | null;
  operator: Record<string, unknown> | null;
  suboperator: Record<string, unknown> | null;
  owner: Record<string, unknown> | null;
  energyMix: Record<string, unknown> | null;
  directions: unknown[] | null;
  images: unknown[] | null;
  relatedLocations: unknown[] | null;
  lastUpdated: Date;
}

export interface EvseRecord {
  id: number;
  locationId: string;
  uid: string;
  evseId: string | null;
  status: string;
  isRemoved: boolean;
  /** Changed outside the services (a migration): the eMSPs must get the whole Location before a PATCH of it. */
  pendingLocationPush: boolean;
  capabilities: string[] | null;
  floorLevel: string | null;
  latitude: string | null;
  longitude: string | null;
  physicalReference: string | null;
  directions: unknown[] | null;
  parkingRestrictions: string[] | null;
  images: unknown[] | null;
  statusSchedule: unknown[] | null;
  lastUpdated: Date;
}

export interface ConnectorRecord {
  id: number;
  evseFk: number;
  ocpiId: string;
  standard: string;
  format: string;
  powerType: string;
  maxVoltage: number;
  maxAmperage: number;
  maxElectricPower: number | null;
  tariffIds: string[] | null;
  termsAndConditions: string | null;
  lastUpdated: Date;
}

/** A location with its EVSEs and each EVSE's connectors. */
export interface LocationTree {
  location: LocationRecord;
  evses: Array<{ evse: EvseRecord; connectors: ConnectorRecord[] }>;
}

/** OCPI 2.2.1 locations §8.3.3 Connector object. */
export interface OcpiConnector {
  id: string;
  standard: string;
  format: string;
  power_type: string;
  max_voltage: number;
  max_amperage: number;
  max_electric_power?: number;
  tariff_ids?: string[];
  terms_and_conditions?: string;
  last_updated: string;
}

/** OCPI 2.2.1 locations §8.3.2 EVSE object. */
export interface OcpiEvse {
  uid: string;
  evse_id?: string;
  status: string;
  status_schedule?: unknown[];
  capabilities?: string[];
  connectors: OcpiConnector[];
  floor_level?: string;
  coordinates?: { latitude: string; longitude: string };
  physical_reference?: string;
  directions?: unknown[];
  parking_restrictions?: string[];
  images?: unknown[];
  last_updated: string;
}

/** OCPI 2.2.1 locations §8.4.20 PublishTokenType: who may be shown an unpublished location. */
export interface OcpiPublishToken {
  uid?: string;
  type?: string;
  visual_number?: string;
  issuer?: string;
  group_id?: string;
}

/** OCPI 2.2.1 locations §8.3.1 Location object. */
export interface OcpiLocation {
  country_code: string;
  party_id: string;
  id: string;
  publish: boolean;
  publish_allowed_to?: OcpiPublishToken[];
  name?: string;
  address: string;
  city: string;
  postal_code?: string;
  state?: string;
  country: string;
  coordinates: { latitude: string; longitude: string };
  related_locations?: unknown[];
  parking_type?: string;
  evses?: OcpiEvse[];
  directions?: unknown[];
  operator?: Record<string, unknown>;
  suboperator?: Record<string, unknown>;
  owner?: Record<string, unknown>;
  facilities?: string[];
  time_zone: string;
  opening_times?: Record<string, unknown>;
  charging_when_closed?: boolean;
  images?: unknown[];
  energy_mix?: Record<string, unknown>;
  last_updated: string;
}

/** OCPI 2.2.1 locations §8.2.2.3 PATCH of an EVSE's status (the most common push, example "status update"). */
export interface OcpiEvseStatusPatch {
  status: string;
  last_updated: string;
}
