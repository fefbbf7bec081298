// Validation of an untrusted OCPI Tariff, limited to what pricing reads (OCPI 2.2.1 tariffs §11.3.1, §11.4).
import {
  asArray,
  asCount,
  asEnum,
  asNumber,
  asObject,
  asString,
  fail,
  optional,
  required,
  type JsonObject,
} from './json-fields.ts';
import type {
  DayOfWeek,
  Price,
  PriceComponent,
  Tariff,
  TariffDimensionType,
  TariffElement,
  TariffRestrictions,
} from './tariff.types.ts';

const DIMENSIONS: readonly TariffDimensionType[] = ['ENERGY', 'FLAT', 'PARKING_TIME', 'TIME'];
const DAYS: readonly DayOfWeek[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const RESERVATIONS = ['RESERVATION', 'RESERVATION_EXPIRES'] as const;
// OCPI 2.2.1 tariffs §11.4.6: regexes of start_time/end_time and start_date/end_date
const TIME_RE = /^([0-1][0-9]|2[0-3]):[0-5][0-9]$/;
const DATE_RE = /^([12][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

const time = (v: unknown, p: string): string => asString(v, p, TIME_RE, 'a time of day HH:MM (24h)');
const date = (v: unknown, p: string): string => asString(v, p, DATE_RE, 'a date YYYY-MM-DD');
const amount = (v: unknown, p: string): number => asNumber(v, p, 0);

function readPrice(v: unknown, path: string): Price {
  const o = asObject(v, path);
  const price: Price = { excl_vat: required(o, 'excl_vat', path, amount) };
  const incl = optional(o, 'incl_vat', path, amount);
  if (incl !== undefined) price.incl_vat = incl;
  return price;
}

function readComponent(v: unknown, path: string): PriceComponent {
  const o = asObject(v, path);
  const pc: PriceComponent = {
    type: required(o, 'type', path, (x, p) => asEnum(x, p, DIMENSIONS)),
    price: required(o, 'price', path, amount),
    step_size: required(o, 'step_size', path, asCount),
  };
  const vat = optional(o, 'vat', path, amount);
  if (vat !== undefined) pc.vat = vat;
  return pc;
}

function setIfDefined<K extends keyof TariffRestrictions>(r: TariffRestrictions, k: K, v: TariffRestrictions[K]): void {
  if (v !== undefined) r[k] = v;
}

function readRestrictions(v: unknown, path: string): TariffRestrictions {
  const o = asObject(v, path);
  const r: TariffRestrictions = {};
  setIfDefined(r, 'start_time', optional(o, 'start_time', path, time));
  setIfDefined(r, 'end_time', optional(o, 'end_time', path, time));
  setIfDefined(r, 'start_date', optional(o, 'start_date', path, date));
  setIfDefined(r, 'end_date', optional(o, 'end_date', path, date));
  for (const k of ['min_kwh', 'max_kwh', 'min_current', 'max_current', 'min_power', 'max_power'] as const) {
    setIfDefined(r, k, optional(o, k, path, amount));
  }
  setIfDefined(r, 'min_duration', optional(o, 'min_duration', path, asCount));
  setIfDefined(r, 'max_duration', optional(o, 'max_duration', path, asCount));
  const days = optional(o, 'day_of_week', path, (x, p) => asArray(x, p).map((d, i) => asEnum(d, `${p}[${i}]`, DAYS)));
  setIfDefined(r, 'day_of_week', days);
  setIfDefined(r, 'reservation', optional(o, 'reservation', path, (x, p) => asEnum(x, p, RESERVATIONS)));
  return r;
}

function readElement(v: unknown, path: string): TariffElement {
  const o = asObject(v, path);
  const components = required(o, 'price_components', path, (x, p) => asArray(x, p, 1));
  const el: TariffElement = {
    price_components: components.map((c, i) => readComponent(c, `${path}.price_components[${i}]`)),
  };
  const r = optional(o, 'restrictions', path, readRestrictions);
  if (r !== undefined) el.restrictions = r;
  return el;
}

/**
 * Validates an untrusted Tariff JSON for pricing and returns it typed (unknown fields kept). Throws
 * InvalidInput naming the first bad field, e.g. "tariff.elements[1].price_components[0].step_size: ...".
 * Fields pricing does not read (country_code, party_id, last_updated, ...) are not required.
 */
export function readTariff(json: unknown, path = 'tariff'): Tariff {
  const o: JsonObject = asObject(json, path);
  const elements = required(o, 'elements', path, (x, p) => asArray(x, p, 1));
  const tariff = {
    ...o,
    id: optional(o, 'id', path, asString) ?? '',
    currency: required(o, 'currency', path, (x, p) => asString(x, p, /^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')),
    elements: elements.map((e, i) => readElement(e, `${path}.elements[${i}]`)),
  } as Tariff;
  for (const k of ['min_price', 'max_price'] as const) {
    const price = optional(o, k, path, readPrice);
    if (price) tariff[k] = price;
  }
  if (tariff.min_price && tariff.max_price && tariff.min_price.excl_vat > tariff.max_price.excl_vat) {
    fail(`${path}.min_price.excl_vat`, 'must not exceed max_price.excl_vat');
  }
  return tariff;
}
