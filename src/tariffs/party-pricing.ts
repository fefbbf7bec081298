// Pure: a tariff body as the operator entered it, completed with the jurisdiction of the party that owns it
// (issue 9: many parties, currencies and VAT rules). OCPI 2.2.1 tariffs §11.4.4 PriceComponent: `price` is
// excl. VAT and `vat` the percentage that applies (absent: no VAT applies).
import { Decimal } from '../shared/money.ts';
import { InvalidInput } from '../shared/errors.ts';

/** The parts of an own party's settings that pricing needs. */
export interface PartyPricing {
  countryCode: string;
  partyId: string;
  currency: string | null;
  /** Percent as a decimal string; null: no VAT applies. */
  vatRate: string | null;
  pricesIncludeVat: boolean;
}

/** Decimals kept for a price converted from incl. to excl. VAT (the CDR is rounded to the currency at its end). */
export const EXCL_VAT_DECIMALS = 6;

/** `inclVat` / (1 + `vat`/100), rounded half-up to EXCL_VAT_DECIMALS decimals. */
export function priceExclVat(inclVat: number, vat: number): number {
  const rate = Decimal.parse(vat);
  const factorUnits = Decimal.fromInt(100).rescale(rate.scale).units + rate.units; // (100 + vat) × 10^scale
  const numerator = Decimal.parse(inclVat).mul(Decimal.fromInt(100n * 10n ** BigInt(rate.scale)));
  return numerator.divInt(factorUnits, EXCL_VAT_DECIMALS).toNumber();
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function component(pc: unknown, party: PartyPricing): unknown {
  if (!isObject(pc)) return pc; // the OCPI schema check that follows names what is wrong
  const vat = pc.vat ?? (party.vatRate === null ? undefined : Number(party.vatRate));
  const out: Json = vat === undefined ? { ...pc } : { ...pc, vat };
  if (party.pricesIncludeVat && typeof pc.price === 'number' && typeof vat === 'number') out.price = priceExclVat(pc.price, vat);
  return out;
}

/**
 * `body` with the party's currency when it gives none (another currency is refused), its VAT rate on every
 * price component that gives none and, when the party quotes prices incl. VAT, every component's price
 * converted to excl. VAT. Anything malformed is left for the OCPI schema check.
 */
export function applyPartyPricing(body: Json, party: PartyPricing): Json {
  if (party.currency !== null && body.currency !== undefined && body.currency !== party.currency) {
    throw new InvalidInput(`currency: party ${party.countryCode}/${party.partyId} bills in ${party.currency}`);
  }
  const out: Json = { ...body };
  if (party.currency !== null) out.currency = party.currency;
  if (Array.isArray(body.elements)) {
    out.elements = body.elements.map((e) => (isObject(e) && Array.isArray(e.price_components)
      ? { ...e, price_components: e.price_components.map((pc) => component(pc, party)) }
      : e));
  }
  return out;
}
