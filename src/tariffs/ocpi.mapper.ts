// Stored tariff <-> OCPI 2.2.1 Tariff object (tariffs §11.3.1). Pure: no I/O, no clock.
import { Decimal } from '../shared/money.ts';
import { toOcpiDateTime } from './charging-periods.mapper.ts';
import type { StoredPrice, TariffRecord, TariffWrite } from './tariff-record.types.ts';
import type { TariffValidity } from './tariff-selection.ts';
import type { Price, Tariff } from './tariff.types.ts';

function toOcpiPrice(p: StoredPrice): Price {
  // Decimal strings become JSON numbers only here, at the wire edge.
  const price: Price = { excl_vat: Decimal.parse(p.exclVat).toNumber() };
  if (p.inclVat !== null) price.incl_vat = Decimal.parse(p.inclVat).toNumber();
  return price;
}

function fromOcpiPrice(p: Price | undefined): StoredPrice | null {
  if (!p) return null;
  return {
    exclVat: Decimal.parse(p.excl_vat).toString(),
    inclVat: p.incl_vat === undefined ? null : Decimal.parse(p.incl_vat).toString(),
  };
}

const dateTime = (d: Date): string => toOcpiDateTime(d.getTime());

/** The OCPI Tariff object of a stored tariff; optional fields that are not set are left out. */
export function toOcpiTariff(t: TariffRecord): Tariff {
  const out: Tariff = {
    country_code: t.countryCode,
    party_id: t.partyId,
    id: t.id,
    currency: t.currency,
    elements: t.elements,
    last_updated: dateTime(t.lastUpdated),
  };
  if (t.type !== null) out.type = t.type;
  if (t.altText !== null && t.altText.length > 0) out.tariff_alt_text = t.altText;
  if (t.altUrl !== null) out.tariff_alt_url = t.altUrl;
  if (t.minPrice !== null) out.min_price = toOcpiPrice(t.minPrice);
  if (t.maxPrice !== null) out.max_price = toOcpiPrice(t.maxPrice);
  if (t.startDateTime !== null) out.start_date_time = dateTime(t.startDateTime);
  if (t.endDateTime !== null) out.end_date_time = dateTime(t.endDateTime);
  if (t.energyMix !== null && t.energyMix !== undefined) out.energy_mix = t.energyMix;
  return out;
}

/** OCPI 2.2.1 types §16.2: a DateTime without zone designator is UTC. */
function parseDateTime(s: string | undefined): Date | null {
  if (s === undefined) return null;
  return new Date(/Z$/.test(s) ? s : `${s}Z`);
}

/**
 * The stored form of a validated OCPI Tariff owned by `partyFk`. Its own country_code, party_id and
 * last_updated are ignored: the owner is the addressed party and last_updated is the time of the change.
 */
export function fromOcpiTariff(t: Tariff, o: { partyFk: number; lastUpdated: Date }): TariffWrite {
  return {
    id: t.id,
    partyFk: o.partyFk,
    currency: t.currency,
    type: t.type ?? null,
    altText: t.tariff_alt_text ?? null,
    altUrl: t.tariff_alt_url ?? null,
    minPrice: fromOcpiPrice(t.min_price),
    maxPrice: fromOcpiPrice(t.max_price),
    elements: t.elements,
    enteredElements: null,
    energyMix: t.energy_mix ?? null,
    startDateTime: parseDateTime(t.start_date_time),
    endDateTime: parseDateTime(t.end_date_time),
    lastUpdated: o.lastUpdated,
  };
}

/** The validity window of a stored tariff, for the tariff selection. */
export function toTariffValidity(t: Pick<TariffRecord, 'startDateTime' | 'endDateTime'>): TariffValidity {
  return { startMs: t.startDateTime?.getTime() ?? null, endMs: t.endDateTime?.getTime() ?? null };
}
