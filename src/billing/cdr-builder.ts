// Pure: a finished session with its meter values, tariff snapshot, location and token → an OCPI 2.2.1 CDR
// priced by the tariff engine. No I/O, no clock: the caller passes the id and the time.
import { buildSessionUsage } from '../tariffs/charging-periods.ts';
import { toChargingPeriods, toOcpiDateTime } from '../tariffs/charging-periods.mapper.ts';
import { compileTariff } from '../tariffs/compiled-tariff.ts';
import { applyTotals } from '../tariffs/price-cdr.ts';
import { priceSession } from '../tariffs/pricing.ts';
import type { ChargingPeriod, Price, Tariff } from '../tariffs/tariff.types.ts';
import type { Sample } from '../sessions/meter-values.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { OcpiCdr, OcpiCdrLocation, OcpiCdrToken } from './cdr.types.ts';
import { toMeterSeries, type StatusChange } from './meter-series.ts';
import { toSignedData } from './signed-data.ts';

export interface CdrLocationSource {
  id: string;
  name: string | null;
  address: string;
  city: string;
  postalCode: string | null;
  state: string | null;
  country: string;
  latitude: string;
  longitude: string;
  timeZone: string;
}

export interface CdrSources {
  /** CDR id (at most 36 characters for a normal CDR, OCPI 2.2.1 cdrs §10.3.1). */
  id: string;
  party: { countryCode: string; partyId: string };
  session: {
    uid: string;
    startAt: Date;
    stopAt: Date;
    authMethod: string;
    authorizationReference: string | null;
    meterStartWh: number;
    meterStopWh: number;
  };
  samples: readonly Sample[];
  statuses: readonly StatusChange[];
  /** The tariff in force at the session start; none = free of charge in `defaultCurrency`. */
  tariff: Tariff | undefined;
  defaultCurrency: string;
  location: CdrLocationSource;
  evse: { uid: string; evseId: string | null };
  connector: { id: string; standard: string; format: string; powerType: string };
  token: OcpiCdrToken;
  meterId?: string | null;
  remark?: string;
  now: Date;
}

const AUTH_METHODS = new Set(['AUTH_REQUEST', 'COMMAND', 'WHITELIST']);
const DAY_MS = 86_400_000;

/**
 * Why a session's times cannot be billed, or undefined: a stop before its start, or a session longer
 * than `maxDays` (both a charger clock gone wrong, e.g. reset to 1970 or set years ahead; pricing a
 * session of years would also take minutes inside the stop transaction).
 */
export function timesProblem(start: Date, stop: Date, maxDays: number): string | undefined {
  if (stop.getTime() < start.getTime()) return `it stops (${stop.toISOString()}) before it starts (${start.toISOString()}): the charger's clock was wrong`;
  const days = (stop.getTime() - start.getTime()) / DAY_MS;
  if (days > maxDays) return `it lasts ${Math.floor(days)} days, more than billing.maxSessionDays (${maxDays}): the charger's clock was wrong`;
  return undefined;
}

/** Prices nothing; only used to cut charging periods of a session without a tariff. */
function freeTariff(currency: string): Tariff {
  return { country_code: 'ZZ', party_id: 'ZZZ', id: 'free', currency, elements: [{ price_components: [{ type: 'ENERGY', price: 0, step_size: 1 }] }], last_updated: '1970-01-01T00:00:00Z' };
}

function toCdrLocation(s: CdrSources): OcpiCdrLocation {
  const l = s.location;
  const loc: OcpiCdrLocation = {
    id: l.id,
    address: l.address,
    city: l.city,
    country: l.country,
    coordinates: { latitude: l.latitude, longitude: l.longitude },
    evse_uid: s.evse.uid,
    // OCPI 2.2.1 cdrs §10.4.4: evse_id is required; an EVSE without an eMI3 id is named by its uid
    evse_id: s.evse.evseId ?? s.evse.uid,
    connector_id: s.connector.id,
    connector_standard: s.connector.standard,
    connector_format: s.connector.format,
    connector_power_type: s.connector.powerType,
  };
  if (l.name) loc.name = l.name;
  if (l.postalCode) loc.postal_code = l.postalCode;
  if (l.state) loc.state = l.state;
  return loc;
}

/** OCPI 2.2.1 cdrs §10.3.1: charging_periods has at least one entry, even for a zero-length session. */
function atLeastOnePeriod(periods: ChargingPeriod[], startMs: number, tariffId: string | undefined): ChargingPeriod[] {
  if (periods.length > 0) return periods;
  const period: ChargingPeriod = { start_date_time: toOcpiDateTime(startMs), dimensions: [{ type: 'ENERGY', volume: 0 }] };
  if (tariffId !== undefined) period.tariff_id = tariffId;
  return [period];
}

function baseCdr(s: CdrSources, currency: string): Omit<OcpiCdr, 'charging_periods' | 'total_cost' | 'total_energy' | 'total_time'> {
  const cdr: Omit<OcpiCdr, 'charging_periods' | 'total_cost' | 'total_energy' | 'total_time'> = {
    country_code: s.party.countryCode,
    party_id: s.party.partyId,
    id: s.id,
    start_date_time: toOcpiDateTime(s.session.startAt.getTime()),
    end_date_time: toOcpiDateTime(s.session.stopAt.getTime()),
    session_id: s.session.uid,
    cdr_token: { ...s.token },
    // OCPI 2.2.1 cdrs §10.3.1 auth_method: the last method used during the session
    auth_method: AUTH_METHODS.has(s.session.authMethod) ? s.session.authMethod : 'WHITELIST',
    cdr_location: toCdrLocation(s),
    currency,
    last_updated: toOcpiDateTime(s.now.getTime()),
  };
  if (s.session.authorizationReference) cdr.authorization_reference = s.session.authorizationReference;
  if (s.meterId) cdr.meter_id = s.meterId;
  if (s.tariff) cdr.tariffs = [s.tariff];
  if (s.remark) cdr.remark = s.remark.slice(0, 255);
  return cdr;
}

/**
 * Builds the complete OCPI 2.2.1 CDR of a finished session (cdrs §10.3.1): charging periods cut by the
 * engine from the meter values (CHARGING vs PARKING_TIME from the energy flow and connector status),
 * priced against the tariff snapshot (the tariff in force at the start: the CDR is "sealed", §10.3.1),
 * with totals, signed data when the charger sent SignedData samples, and last_updated = `now`.
 * A session without a tariff is free: zero costs in `defaultCurrency`, no `tariffs`, no `tariff_id`.
 */
export function buildCdr(s: CdrSources): OcpiCdr {
  if (s.session.stopAt.getTime() < s.session.startAt.getTime()) throw new InvalidInput('session: stop before start');
  const tariff = s.tariff ?? freeTariff(s.defaultCurrency);
  const compiled = compileTariff(tariff);
  const series = toMeterSeries({
    timeZone: s.location.timeZone,
    start: s.session.startAt,
    end: s.session.stopAt,
    meterStartWh: s.session.meterStartWh,
    meterStopWh: s.session.meterStopWh,
    samples: s.samples,
    statuses: s.statuses,
  });
  const usage = buildSessionUsage(compiled, series);
  const priced = priceSession(compiled, usage);
  const periods = atLeastOnePeriod(toChargingPeriods(usage.periods, s.tariff?.id), usage.startMs, s.tariff?.id);
  const cdr = applyTotals({ ...baseCdr(s, tariff.currency), charging_periods: periods }, priced) as unknown as OcpiCdr;
  const { signedData } = toSignedData(s.samples);
  if (signedData) cdr.signed_data = signedData;
  return cdr;
}

const negate = (x: number): number => (x === 0 ? 0 : -x);

function negatePrice(p: Price): Price {
  const out: Price = { excl_vat: negate(p.excl_vat) };
  if (p.incl_vat !== undefined) out.incl_vat = negate(p.incl_vat);
  return out;
}

/**
 * OCPI 2.2.1 cdrs §10.2.1.1 Credit CDRs: all the data of the original, a new id (the original's with
 * "-C" appended), `credit: true`, `credit_reference_id` = the original id, and only `total_cost` negated.
 */
export function buildCreditCdr(original: OcpiCdr, opts: { now: Date; remark?: string }): OcpiCdr {
  if (original.credit) throw new InvalidInput(`cdr ${original.id}: a credit CDR cannot be credited`);
  const credit: OcpiCdr = {
    ...structuredClone(original),
    id: `${original.id}-C`,
    total_cost: negatePrice(original.total_cost),
    credit: true,
    credit_reference_id: original.id,
    last_updated: toOcpiDateTime(opts.now.getTime()),
  };
  if (opts.remark) credit.remark = opts.remark.slice(0, 255);
  return credit;
}
