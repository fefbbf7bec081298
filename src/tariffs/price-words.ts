// Pure: a tariff in plain words for drivers ("€0.35/kWh, €2.00/h after 2 h parking"), prices incl. VAT,
// formatted for a locale with Intl. Issue 11: the driver app shows it beside each charger.
import type { PriceComponent, Tariff, TariffElement, TariffRestrictions } from './tariff.types.ts';

const DAY_SHORT: Record<string, string> = { MONDAY: 'Mon', TUESDAY: 'Tue', WEDNESDAY: 'Wed', THURSDAY: 'Thu', FRIDAY: 'Fri', SATURDAY: 'Sat', SUNDAY: 'Sun' };

/** `amount` in `currency` for `locale` ("€0.35"; at least the currency's own decimals, up to 4 for small unit prices). */
export function formatMoney(amount: number, currency: string, locale = 'en'): string {
  const f = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  // A per-kWh price of 0.2345 keeps its precision; 0.35 is still shown as 0.35.
  const exact = Number(amount.toFixed(Math.max(digits, 4)));
  const needed = Math.min(4, Math.max(digits, (String(exact).split('.')[1] ?? '').length));
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: needed }).format(exact);
}

/** Price incl. VAT of a component; OCPI 2.2.1 tariffs §11.4.2: no `vat` means none applies. */
function priceInclVat(c: PriceComponent): number {
  // Rounded to 6 decimals: 0.35 × 1.21 is 0.4235, not 0.42349999…
  return Math.round(c.price * (100 + (c.vat ?? 0)) * 10_000) / 1_000_000;
}

const hours = (seconds: number): string => {
  const h = seconds / 3600;
  return Number.isInteger(h) ? `${h} h` : `${Math.round(seconds / 60)} min`;
};

/** The restrictions drivers care about, in words ("after 2 h", "07:00–19:00", "Mon–Fri"); others are left out. */
function restrictionWords(r: TariffRestrictions | undefined): { after?: string; when: string[] } {
  if (!r) return { when: [] };
  const when: string[] = [];
  if (r.start_time && r.end_time) when.push(`${r.start_time}–${r.end_time}`);
  else if (r.start_time) when.push(`from ${r.start_time}`);
  else if (r.end_time) when.push(`until ${r.end_time}`);
  if (r.day_of_week?.length) when.push(r.day_of_week.map((d) => DAY_SHORT[d] ?? d).join(', '));
  if (r.max_duration !== undefined) when.push(`first ${hours(r.max_duration)}`);
  if (r.min_power !== undefined) when.push(`above ${r.min_power} kW`);
  if (r.max_power !== undefined) when.push(`up to ${r.max_power} kW`);
  return { after: r.min_duration !== undefined && r.min_duration > 0 ? `after ${hours(r.min_duration)}` : undefined, when };
}

function componentWords(c: PriceComponent, e: TariffElement, money: (n: number) => string): string {
  const price = money(priceInclVat(c));
  const { after, when } = restrictionWords(e.restrictions);
  const suffix = when.length ? ` (${when.join(', ')})` : '';
  switch (c.type) {
    case 'ENERGY': return `${price}/kWh${after ? ` ${after}` : ''}${suffix}`;
    case 'FLAT': return `${price} per session${suffix}`;
    case 'TIME': return `${price}/h charging${after ? ` ${after}` : ''}${suffix}`;
    case 'PARKING_TIME': return `${price}/h ${after ? `${after} ` : ''}parking${suffix}`;
  }
}

/**
 * The tariff's prices in plain words, incl. VAT, in the order of its elements: "€0.35/kWh, €2.00/h after
 * 2 h parking". A component priced 0 is left out; a tariff without any priced component is "free".
 */
export function priceInWords(tariff: Pick<Tariff, 'currency' | 'elements' | 'min_price'>, locale = 'en'): string {
  const money = (n: number) => formatMoney(n, tariff.currency, locale);
  const parts: string[] = [];
  for (const e of tariff.elements) {
    for (const c of e.price_components) {
      const words = c.price > 0 ? componentWords(c, e, money) : undefined;
      if (words && !parts.includes(words)) parts.push(words);
    }
  }
  const minPrice = tariff.min_price ? (tariff.min_price.incl_vat ?? tariff.min_price.excl_vat) : 0;
  if (minPrice > 0) parts.push(`at least ${money(minPrice)}`);
  return parts.length ? parts.join(', ') : 'free';
}
