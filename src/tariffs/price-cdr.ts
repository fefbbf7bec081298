import { fail } from './json-fields.ts';
import { readCdrUsage } from './cdr-input.ts';
import { compileTariff } from './compiled-tariff.ts';
import { priceSession } from './pricing.ts';
import type { Cdr, Price } from './tariff.types.ts';
import { readTariff } from './tariff-input.ts';
import type { PriceAmount, PricedSession } from './usage.types.ts';

export interface PriceCdrOptions {
  /** IANA time zone of the CDR's Location; wins over a (non-standard) cdr_location.time_zone. */
  timeZone?: string;
}

/** OCPI Price of an engine amount (already rounded to the currency's minor unit). */
export function toOcpiPrice(a: PriceAmount): Price {
  return { excl_vat: a.exclVat.toNumber(), incl_vat: a.inclVat.toNumber() };
}

const hours = (ms: number): number => Math.round(ms / 360) / 1e4; // 4 decimals (OCPI 2.2.1 types §16.4)

/** The CDR with the cost and volume totals of a priced session filled in (other fields unchanged). */
export function applyTotals(cdr: Record<string, unknown>, priced: PricedSession): Cdr {
  // Without any ENERGY dimension the periods say nothing about energy: keep the CDR's own total_energy.
  const hasEnergy = priced.periods.some((p) => p.billedEnergyMwh !== 0) || priced.totalEnergyMwh !== 0;
  const energy = hasEnergy ? Math.round(priced.totalEnergyMwh / 100) / 1e4 : (cdr.total_energy ?? 0);
  return {
    ...cdr,
    currency: priced.currency,
    total_cost: toOcpiPrice(priced.totalCost),
    total_fixed_cost: toOcpiPrice(priced.totalFixedCost),
    total_energy: energy,
    total_energy_cost: toOcpiPrice(priced.totalEnergyCost),
    total_time: hours(priced.totalTimeMs),
    total_time_cost: toOcpiPrice(priced.totalTimeCost),
    total_parking_time: hours(priced.totalParkingMs),
    total_parking_cost: toOcpiPrice(priced.totalParkingCost),
    total_reservation_cost: toOcpiPrice(priced.totalReservationCost),
  } as Cdr;
}

/**
 * Prices an untrusted CDR against an untrusted tariff (for `cpms tariff price` and the admin endpoint) and
 * returns the engine result next to the priced CDR JSON. Throws InvalidInput naming the exact bad field.
 */
export function priceCdrDetailed(
  tariffJson: unknown,
  cdrJson: unknown,
  options: PriceCdrOptions = {},
): { cdr: Cdr; priced: PricedSession } {
  const tariff = readTariff(tariffJson);
  const compiled = compileTariff(tariff);
  const read = readCdrUsage(cdrJson, { needsTimeZone: compiled.boundaries.usesLocalTime, timeZone: options.timeZone });
  const currency = read.cdr.currency;
  if (currency !== undefined && currency !== tariff.currency) {
    fail('cdr.currency', `must equal tariff.currency (${tariff.currency})`);
  }
  const priced = priceSession(compiled, read.usage);
  return { cdr: applyTotals(read.cdr, priced), priced };
}

/**
 * `priceCdr(tariffJson, cdrJson)`: validates both inputs and returns the CDR JSON with total_cost,
 * total_fixed_cost, total_energy_cost, total_time_cost, total_parking_cost, total_reservation_cost,
 * total_energy, total_time and total_parking_time replaced by the engine's values.
 */
export function priceCdr(tariffJson: unknown, cdrJson: unknown, options: PriceCdrOptions = {}): Cdr {
  return priceCdrDetailed(tariffJson, cdrJson, options).cdr;
}
