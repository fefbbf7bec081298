// OCPI 2.2.1 wire types for tariffs and CDRs (snake_case as in the spec; mod_tariffs, mod_cdrs, types).

/** OCPI 2.2.1 types §Price. `incl_vat` is optional on the wire. */
export interface Price {
  excl_vat: number;
  incl_vat?: number;
}

export interface DisplayText {
  language: string;
  text: string;
}

export type TariffDimensionType = 'ENERGY' | 'FLAT' | 'PARKING_TIME' | 'TIME';

export type DayOfWeek = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';

export type ReservationRestrictionType = 'RESERVATION' | 'RESERVATION_EXPIRES';

export type TariffType = 'AD_HOC_PAYMENT' | 'PROFILE_CHEAP' | 'PROFILE_FAST' | 'PROFILE_GREEN' | 'REGULAR';

/** OCPI 2.2.1 tariffs §11.4.2 PriceComponent. */
export interface PriceComponent {
  type: TariffDimensionType;
  /** Price per unit excl. VAT: per kWh (ENERGY), per hour (TIME, PARKING_TIME), per session (FLAT). */
  price: number;
  /** VAT percentage; omitted means no VAT applies (different from 0). */
  vat?: number;
  /** Billing block in Wh (ENERGY) or seconds (TIME, PARKING_TIME). */
  step_size: number;
}

/** OCPI 2.2.1 tariffs §11.4.6 TariffRestrictions. */
export interface TariffRestrictions {
  start_time?: string;
  end_time?: string;
  start_date?: string;
  end_date?: string;
  min_kwh?: number;
  max_kwh?: number;
  min_current?: number;
  max_current?: number;
  min_power?: number;
  max_power?: number;
  min_duration?: number;
  max_duration?: number;
  day_of_week?: DayOfWeek[];
  reservation?: ReservationRestrictionType;
}

/** OCPI 2.2.1 tariffs §11.4.4 TariffElement. */
export interface TariffElement {
  price_components: PriceComponent[];
  restrictions?: TariffRestrictions;
}

/** OCPI 2.2.1 tariffs §11.3.1 Tariff object. */
export interface Tariff {
  country_code: string;
  party_id: string;
  id: string;
  currency: string;
  type?: TariffType;
  tariff_alt_text?: DisplayText[];
  tariff_alt_url?: string;
  min_price?: Price;
  max_price?: Price;
  elements: TariffElement[];
  start_date_time?: string;
  end_date_time?: string;
  energy_mix?: unknown;
  last_updated: string;
}

export type CdrDimensionType =
  | 'CURRENT'
  | 'ENERGY'
  | 'ENERGY_EXPORT'
  | 'ENERGY_IMPORT'
  | 'MAX_CURRENT'
  | 'MIN_CURRENT'
  | 'MAX_POWER'
  | 'MIN_POWER'
  | 'PARKING_TIME'
  | 'POWER'
  | 'RESERVATION_TIME'
  | 'STATE_OF_CHARGE'
  | 'TIME';

/** OCPI 2.2.1 cdrs §10.4.2 CdrDimension: ENERGY in kWh, *_TIME in hours, current in A, power in kW. */
export interface CdrDimension {
  type: CdrDimensionType;
  volume: number;
}

/** OCPI 2.2.1 cdrs §10.4.6 ChargingPeriod: it ends where the next one starts (the last at the CDR end). */
export interface ChargingPeriod {
  start_date_time: string;
  dimensions: CdrDimension[];
  tariff_id?: string;
}

/** The CDR fields the pricing engine reads or writes; other CDR fields pass through untouched. */
export interface Cdr {
  start_date_time: string;
  end_date_time: string;
  currency?: string;
  cdr_location?: { time_zone?: string; [key: string]: unknown };
  tariffs?: Tariff[];
  charging_periods: ChargingPeriod[];
  total_cost?: Price;
  total_fixed_cost?: Price;
  total_energy?: number;
  total_energy_cost?: Price;
  total_time?: number;
  total_time_cost?: Price;
  total_parking_time?: number;
  total_parking_cost?: Price;
  total_reservation_cost?: Price;
  [key: string]: unknown;
}
