// Pure: the cost so far of an ACTIVE session, as the tariff engine prices it (issue 9 live view).
import { compileTariff } from '../tariffs/compiled-tariff.ts';
import { priceSession } from '../tariffs/pricing.ts';
import type { Tariff } from '../tariffs/tariff.types.ts';

export interface CostSoFar {
  currency: string;
  exclVat: number;
  inclVat: number;
}

/**
 * An estimate of what the session costs if it stopped now: the tariff frozen at its start, priced over one
 * charging period from the start to `nowMs` with the energy so far (no meter-series split: a tariff whose
 * price changes by time of day or power within the session is priced as at the start, and parking time is
 * not told apart). The CDR, built at the stop from every meter value, is what is billed. Null without a
 * tariff, or when the engine cannot price it.
 */
export function costSoFar(tariff: Tariff | null, session: { startAt: Date; energyWh: number; timeZone: string }, nowMs: number): CostSoFar | null {
  if (!tariff) return null;
  try {
    const startMs = session.startAt.getTime();
    const endMs = Math.max(startMs, Math.floor(nowMs / 1000) * 1000);
    const compiled = compileTariff(tariff);
    const priced = priceSession(compiled, {
      timeZone: session.timeZone,
      startMs,
      endMs,
      reservationExpired: false,
      periods: [{ startMs, energyMwh: session.energyWh * 1000, chargingMs: endMs - startMs, parkingMs: 0, reservationMs: 0, minCurrent: NaN, maxCurrent: NaN, minPowerKw: NaN, maxPowerKw: NaN }],
    });
    return { currency: priced.currency, exclVat: priced.totalCost.exclVat.toNumber(), inclVat: priced.totalCost.inclVat.toNumber() };
  } catch {
    return null;
  }
}
