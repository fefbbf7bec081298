import type { OcpiPublishToken } from './ocpi.types.ts';

export interface LocationInput {
  id: string;
  partyFk: number;
  name?: string;
  address: string;
  city: string;
  postalCode?: string;
  state?: string;
  country: string;
  latitude: string;
  longitude: string;
  timeZone: string;
  parkingType?: string;
  publish?: boolean;
  /** OCPI 2.2.1 locations §8.3.1: only while publish is false; wire objects (§8.4.20 PublishTokenType). */
  publishAllowedTo?: OcpiPublishToken[] | null;
  gridLimitA?: number | null;
}

export interface Location extends Required<Omit<LocationInput, 'postalCode' | 'state' | 'name' | 'parkingType' | 'gridLimitA' | 'publishAllowedTo'>> {
  name: string | null;
  postalCode: string | null;
  state: string | null;
  parkingType: string | null;
  gridLimitA: number | null;
  publishAllowedTo: OcpiPublishToken[] | null;
  lastUpdated: Date;
}

export interface Evse {
  id: number;
  locationId: string;
  uid: string;
  evseId: string | null;
  chargePointId: string | null;
  status: string;
  /** OCPI status REMOVED: the EVSE lost its connectors (EVSEs are never deleted, locations §8.1). */
  isRemoved: boolean;
  lastUpdated: Date;
}
