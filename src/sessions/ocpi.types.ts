// Inputs of the OCPI sessions mapper (camelCase) and the OCPI 2.2.1 wire objects (snake_case, mod_sessions §9.3).
import type { ChargingPeriod, Price } from '../tariffs/tariff.types.ts';
import type { Session } from './session.types.ts';

/** One total energy import register reading of a session, in Wh. */
export interface EnergyReading {
  at: Date;
  wh: number;
}

/** The token of a session as OCPI cdrs §10.4.5 CdrToken needs it. */
export interface CdrTokenRecord {
  countryCode: string;
  partyId: string;
  uid: string;
  type: string;
  contractId: string;
}

/** Everything the mapper needs to describe one session. */
export interface SessionOcpiInput {
  session: Session;
  /** The cpms party that owns the session; its currency (when set) before defaultCurrency. */
  party: { countryCode: string; partyId: string; currency?: string | null };
  token: CdrTokenRecord;
  /** Connector.id (OCPI) of the connector charged on. */
  connectorId: string;
  meterId: string | null;
  /** Register readings of the session (any order); drive charging_periods. */
  readings: readonly EnergyReading[];
  /** Used when the session has no currency of its own (no tariff known). */
  defaultCurrency: string;
}

/** OCPI 2.2.1 cdrs §10.4.5 CdrToken. */
export interface OcpiCdrToken {
  country_code: string;
  party_id: string;
  uid: string;
  type: string;
  contract_id: string;
}

/** OCPI 2.2.1 sessions §9.3.1 Session object. */
export interface OcpiSession {
  country_code: string;
  party_id: string;
  id: string;
  start_date_time: string;
  end_date_time?: string;
  kwh: number;
  cdr_token: OcpiCdrToken;
  auth_method: string;
  authorization_reference?: string;
  location_id: string;
  evse_uid: string;
  connector_id: string;
  meter_id?: string;
  currency: string;
  charging_periods?: ChargingPeriod[];
  total_cost?: Price;
  status: string;
  last_updated: string;
}

/** OCPI 2.2.1 sessions §9.2.2.3 PATCH body: changed fields only, last_updated always. */
export type OcpiSessionPatch = Partial<OcpiSession> & { last_updated: string };

/** OCPI 2.2.1 sessions §9.3.2 ChargingPreferences. */
export interface OcpiChargingPreferences {
  profile_type: 'CHEAP' | 'FAST' | 'GREEN' | 'REGULAR';
  departure_time?: string;
  energy_need?: number;
  discharge_allowed?: boolean;
}

/** OCPI 2.2.1 sessions §9.4.1 ChargingPreferencesResponse. */
export type ChargingPreferencesResponse = 'ACCEPTED' | 'DEPARTURE_REQUIRED' | 'ENERGY_NEED_REQUIRED' | 'NOT_POSSIBLE' | 'PROFILE_TYPE_NOT_SUPPORTED';
