// OCPI 2.2.1 CDR wire types (snake_case as in mod_cdrs) and the stored CDR record.
import type { ChargingPeriod, Price, Tariff } from '../tariffs/tariff.types.ts';
import type { OcpiSignedData } from './signed-data.ts';

/** OCPI 2.2.1 cdrs §10.4.5 CdrToken. */
export interface OcpiCdrToken {
  country_code: string;
  party_id: string;
  uid: string;
  type: string;
  contract_id: string;
}

/** OCPI 2.2.1 cdrs §10.4.4 CdrLocation. */
export interface OcpiCdrLocation {
  id: string;
  name?: string;
  address: string;
  city: string;
  postal_code?: string;
  state?: string;
  country: string;
  coordinates: { latitude: string; longitude: string };
  evse_uid: string;
  evse_id: string;
  connector_id: string;
  connector_standard: string;
  connector_format: string;
  connector_power_type: string;
}

/** OCPI 2.2.1 cdrs §10.3.1 CDR object. */
export interface OcpiCdr {
  country_code: string;
  party_id: string;
  id: string;
  start_date_time: string;
  end_date_time: string;
  session_id?: string;
  cdr_token: OcpiCdrToken;
  auth_method: string;
  authorization_reference?: string;
  cdr_location: OcpiCdrLocation;
  meter_id?: string;
  currency: string;
  tariffs?: Tariff[];
  charging_periods: ChargingPeriod[];
  signed_data?: OcpiSignedData;
  total_cost: Price;
  total_fixed_cost?: Price;
  total_energy: number;
  total_energy_cost?: Price;
  total_time: number;
  total_time_cost?: Price;
  total_parking_time?: number;
  total_parking_cost?: Price;
  total_reservation_cost?: Price;
  remark?: string;
  credit?: boolean;
  credit_reference_id?: string;
  last_updated: string;
}

/** A stored CDR: the immutable OCPI body plus the columns billing queries on. Amounts are decimal strings. */
export interface CdrRecord {
  id: number;
  cdrId: string;
  partyFk: number;
  sessionFk: number | null;
  /** The eMSP that owns the token; null for the operator's own (local) tokens. */
  partnerFk: number | null;
  currency: string;
  totalCostExclVat: string;
  totalCostInclVat: string;
  kwh: string;
  totalTimeHours: string;
  totalParkingHours: string;
  credit: boolean;
  creditReferenceId: string | null;
  /** The CDR this one replaces (a late StopTransaction restated its session), or null. */
  replacesCdrFk: number | null;
  body: OcpiCdr;
  createdAt: Date;
}
