// Engine-side (camelCase) description of what a session consumed, in integer units: mWh and ms.
import type { Decimal } from '../shared/money.ts';

/**
 * One charging period: it starts at `startMs` and ends where the next starts (the last at the session end).
 * Time volumes are whole seconds expressed in ms. Unknown current/power are NaN.
 */
export interface PeriodUsage {
  startMs: number;
  energyMwh: number;
  /** TIME: time charging. */
  chargingMs: number;
  /** PARKING_TIME: time the vehicle is not requesting power (OCPI 2.2.1 cdrs §10.4.3, as fixed in 2.2.1-bugfixes). */
  parkingMs: number;
  /** RESERVATION_TIME. */
  reservationMs: number;
  minCurrent: number;
  maxCurrent: number;
  minPowerKw: number;
  maxPowerKw: number;
}

export interface SessionUsage {
  /** IANA zone of the Location; restrictions are in local time (OCPI 2.2.1 tariffs §11.4.6). */
  timeZone: string;
  startMs: number;
  endMs: number;
  periods: PeriodUsage[];
  /** The session is a reservation that expired without charging (selects RESERVATION_EXPIRES elements). */
  reservationExpired: boolean;
}

export interface PriceAmount {
  exclVat: Decimal;
  inclVat: Decimal;
}

/** Which tariff element priced each dimension of a period (-1: none), and the volume billed there. */
export interface PeriodAssignment {
  startMs: number;
  flatElement: number;
  energyElement: number;
  timeElement: number;
  parkingElement: number;
  /** Billed volumes, including any step_size round-up credited to this period. */
  billedEnergyMwh: number;
  billedChargingMs: number;
  billedParkingMs: number;
  billedReservationMs: number;
}

/** Totals rounded half-up to the currency's minor unit; volumes unrounded in engine units. */
export interface PricedSession {
  currency: string;
  totalCost: PriceAmount;
  totalFixedCost: PriceAmount;
  totalEnergyCost: PriceAmount;
  totalTimeCost: PriceAmount;
  totalParkingCost: PriceAmount;
  totalReservationCost: PriceAmount;
  totalEnergyMwh: number;
  totalTimeMs: number;
  totalChargingMs: number;
  totalParkingMs: number;
  totalReservationMs: number;
  /** Set when min_price or max_price changed total_cost (excl. or incl. VAT). */
  limitApplied: 'min_price' | 'max_price' | undefined;
  periods: PeriodAssignment[];
}
