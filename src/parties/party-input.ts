// Pure: an own party's settings as the admin API takes them (PUT /own-parties/{countryCode}/{partyId}), read
// and checked. Bad input is InvalidInput (400) naming the field.
import { InvalidInput } from '../shared/errors.ts';
import type { PartySettings } from './party.repo.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** OCPI 2.2.1 types §16.1 CiString(2) country_code and CiString(3) party_id, upper-cased. */
export function readPartyKey(countryCode: string, partyId: string): { countryCode: string; partyId: string } {
  const key = { countryCode: countryCode.toUpperCase(), partyId: partyId.toUpperCase() };
  if (!/^[A-Z]{2}$/.test(key.countryCode)) throw new InvalidInput('countryCode: the ISO 3166-1 alpha-2 country code, e.g. NL');
  if (!/^[A-Z0-9]{3}$/.test(key.partyId)) throw new InvalidInput('partyId: 3 letters or digits');
  return key;
}

function vatRateOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const text = typeof v === 'number' ? String(v) : v;
  if (typeof text !== 'string' || !/^\d{1,3}(\.\d{1,4})?$/.test(text) || Number(text) > 100) {
    throw new InvalidInput('vatRate: a percentage from 0 to 100 with at most 4 decimals (e.g. 21 or 8.1), or null when no VAT applies');
  }
  return String(Number(text));
}

/**
 * The settings in `body`: name (required), currency (ISO 4217), vatRate (percent, null: no VAT),
 * pricesIncludeVat (default false) and timeZone (IANA; checked with `isTimeZone`).
 */
export function readPartySettings(body: unknown, isTimeZone: (tz: string) => boolean): PartySettings {
  if (!isObject(body)) throw new InvalidInput('body: must be an object');
  const { name, currency, vatRate, pricesIncludeVat, timeZone } = body;
  if (typeof name !== 'string' || name.length === 0 || name.length > 100) throw new InvalidInput('name: a string of 1 to 100 characters');
  if (currency !== undefined && currency !== null && (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))) {
    throw new InvalidInput('currency: an ISO 4217 code such as EUR, CHF or USD');
  }
  if (pricesIncludeVat !== undefined && typeof pricesIncludeVat !== 'boolean') throw new InvalidInput('pricesIncludeVat: a boolean');
  if (timeZone !== undefined && timeZone !== null && (typeof timeZone !== 'string' || !isTimeZone(timeZone))) {
    throw new InvalidInput('timeZone: an IANA time zone such as Europe/Zurich');
  }
  const rate = vatRateOf(vatRate);
  if (pricesIncludeVat === true && rate === null) throw new InvalidInput('pricesIncludeVat: prices can include VAT only with a vatRate');
  return { name, currency: (currency as string | null | undefined) ?? null, vatRate: rate, pricesIncludeVat: pricesIncludeVat === true, timeZone: (timeZone as string | null | undefined) ?? null };
}
