// priceCdr(tariffJson, cdrJson): input validation with exact field paths, and the priced CDR it returns.
import { expect } from 'chai';
import { InvalidInput } from '../../../src/shared/errors.ts';
import { priceCdr } from '../../../src/tariffs/price-cdr.ts';
import { aCdr, aComponent, anElement, aPeriod, aTariff, periodsFrom } from '../../fixtures/tariffs.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- free-form test JSON

const START = '2024-01-15T11:00:00Z';
const validCdr = (): Json => aCdr(periodsFrom(START, [{ kwh: 10, chargingMin: 60 }, { kwh: 5, chargingMin: 30 }, { parkingMin: 10 }]));
const validTariff = (): Json => aTariff({ elements: [anElement([aComponent('ENERGY', 0.25, { vat: 10 })], { start_time: '08:00' }), anElement([aComponent('ENERGY', 0.3)])] });

const cases: { name: string; mutate: (t: Json, c: Json) => void; message: string }[] = [
  { name: 'a non-numeric volume', mutate: (_t, c) => (c.charging_periods[2].dimensions[0].volume = '0.1'), message: 'cdr.charging_periods[2].dimensions[0].volume: must be a number' },
  { name: 'a negative TIME volume', mutate: (_t, c) => (c.charging_periods[0].dimensions[1].volume = -1), message: 'cdr.charging_periods[0].dimensions[1].volume: must be at least 0' },
  { name: 'an unknown dimension type', mutate: (_t, c) => (c.charging_periods[1].dimensions[0].type = 'KWH'), message: 'cdr.charging_periods[1].dimensions[0].type: must be one of CURRENT, ENERGY, ENERGY_EXPORT, ENERGY_IMPORT, MAX_CURRENT, MIN_CURRENT, MAX_POWER, MIN_POWER, PARKING_TIME, POWER, RESERVATION_TIME, STATE_OF_CHARGE, TIME' },
  { name: 'empty dimensions', mutate: (_t, c) => (c.charging_periods[0].dimensions = []), message: 'cdr.charging_periods[0].dimensions: must have at least 1 item' },
  { name: 'no charging periods', mutate: (_t, c) => (c.charging_periods = []), message: 'cdr.charging_periods: must have at least 1 item' },
  { name: 'missing charging_periods', mutate: (_t, c) => delete c.charging_periods, message: 'cdr.charging_periods: is required' },
  { name: 'periods out of order', mutate: (_t, c) => (c.charging_periods[1].start_date_time = '2024-01-15T10:00:00Z'), message: 'cdr.charging_periods[1].start_date_time: must not be before the previous period' },
  { name: 'a period after the session end', mutate: (_t, c) => (c.charging_periods[2].start_date_time = '2024-01-16T00:00:00Z'), message: 'cdr.charging_periods[2].start_date_time: must not be after end_date_time' },
  { name: 'a malformed period start', mutate: (_t, c) => (c.charging_periods[0].start_date_time = '2024-01-15 11:00'), message: 'cdr.charging_periods[0].start_date_time: must be an RFC 3339 date-time such as 2015-06-29T20:39:09Z' },
  { name: 'a missing start_date_time', mutate: (_t, c) => delete c.start_date_time, message: 'cdr.start_date_time: is required' },
  { name: 'an end before the start', mutate: (_t, c) => (c.end_date_time = '2024-01-15T10:00:00Z'), message: 'cdr.end_date_time: must not be before start_date_time' },
  { name: 'a missing time zone when the tariff uses local time', mutate: (_t, c) => delete c.cdr_location.time_zone, message: "cdr.cdr_location.time_zone: is required: the tariff restricts on local time (pass the Location's time_zone)" },
  { name: 'an unknown time zone', mutate: (_t, c) => (c.cdr_location.time_zone = 'Mars/Olympus_Mons'), message: 'cdr.cdr_location.time_zone: must be an IANA time zone such as Europe/Amsterdam' },
  { name: 'a currency other than the tariff', mutate: (_t, c) => (c.currency = 'USD'), message: 'cdr.currency: must equal tariff.currency (EUR)' },
  { name: 'a CDR that is not an object', mutate: (_t, c) => Object.assign(c, { __replace: [] }), message: 'cdr: must be an object' },
  { name: 'a missing tariff currency', mutate: (t) => delete t.currency, message: 'tariff.currency: is required' },
  { name: 'a malformed tariff currency', mutate: (t) => (t.currency = 'euro'), message: 'tariff.currency: must be an ISO 4217 code such as EUR' },
  { name: 'no tariff elements', mutate: (t) => (t.elements = []), message: 'tariff.elements: must have at least 1 item' },
  { name: 'a fractional step_size', mutate: (t) => (t.elements[1].price_components[0].step_size = 1.5), message: 'tariff.elements[1].price_components[0].step_size: must be an integer' },
  { name: 'a missing step_size', mutate: (t) => delete t.elements[0].price_components[0].step_size, message: 'tariff.elements[0].price_components[0].step_size: is required' },
  { name: 'a negative price', mutate: (t) => (t.elements[0].price_components[0].price = -0.1), message: 'tariff.elements[0].price_components[0].price: must be at least 0' },
  { name: 'an unknown dimension', mutate: (t) => (t.elements[0].price_components[0].type = 'KWH'), message: 'tariff.elements[0].price_components[0].type: must be one of ENERGY, FLAT, PARKING_TIME, TIME' },
  { name: 'a 24:00 start_time', mutate: (t) => (t.elements[0].restrictions.start_time = '24:00'), message: 'tariff.elements[0].restrictions.start_time: must be a time of day HH:MM (24h)' },
  { name: 'a malformed end_date', mutate: (t) => (t.elements[0].restrictions.end_date = '2024-13-01'), message: 'tariff.elements[0].restrictions.end_date: must be a date YYYY-MM-DD' },
  { name: 'an unknown weekday', mutate: (t) => (t.elements[0].restrictions.day_of_week = ['MONDAY', 'MON']), message: 'tariff.elements[0].restrictions.day_of_week[1]: must be one of MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY' },
  { name: 'a fractional max_duration', mutate: (t) => (t.elements[0].restrictions.max_duration = 1.5), message: 'tariff.elements[0].restrictions.max_duration: must be an integer' },
  { name: 'an unknown reservation type', mutate: (t) => (t.elements[0].restrictions.reservation = 'EXPIRED'), message: 'tariff.elements[0].restrictions.reservation: must be one of RESERVATION, RESERVATION_EXPIRES' },
  { name: 'a min_price without excl_vat', mutate: (t) => (t.min_price = { incl_vat: 1 }), message: 'tariff.min_price.excl_vat: is required' },
  { name: 'a min_price above max_price', mutate: (t) => Object.assign(t, { min_price: { excl_vat: 5 }, max_price: { excl_vat: 4 } }), message: 'tariff.min_price.excl_vat: must not exceed max_price.excl_vat' },
];

describe('tariffs/price-cdr priceCdr validation', () => {
  for (const c of cases) {
    it(`should reject ${c.name} naming the field`, () => {
      const tariff = validTariff();
      let cdr: unknown = validCdr();
      c.mutate(tariff, cdr as Json);
      if ((cdr as Json).__replace) cdr = (cdr as Json).__replace;

      const act = (): unknown => priceCdr(tariff, cdr);

      expect(act).to.throw(InvalidInput, c.message).with.property('code', 'INVALID_INPUT');
      try {
        act();
      } catch (err) {
        expect((err as Error).message).to.equal(c.message);
      }
    });
  }
});

describe('tariffs/price-cdr priceCdr output', () => {
  it('should fill every total and keep the other CDR fields, without mutating the input', () => {
    const cdr = { ...validCdr(), id: 'CDR-1', total_cost: { excl_vat: 99 } };
    const before = JSON.stringify(cdr);

    const priced = priceCdr(validTariff(), cdr);

    expect(JSON.stringify(cdr)).to.equal(before);
    expect(priced).to.deep.include({
      id: 'CDR-1',
      currency: 'EUR',
      total_cost: { excl_vat: 3.75, incl_vat: 4.13 }, // 15 kWh x 0.25, 10 % VAT (local 12:00 is after 08:00)
      total_fixed_cost: { excl_vat: 0, incl_vat: 0 },
      total_energy: 15,
      total_energy_cost: { excl_vat: 3.75, incl_vat: 4.13 },
      total_time: 1.6667,
      total_time_cost: { excl_vat: 0, incl_vat: 0 },
      total_parking_time: 0.1667,
      total_parking_cost: { excl_vat: 0, incl_vat: 0 },
      total_reservation_cost: { excl_vat: 0, incl_vat: 0 },
    });
  });

  it('should let options.timeZone stand in for the non-standard cdr_location.time_zone', () => {
    const cdr = { ...aCdr({ charging_periods: [aPeriod('2024-01-15T06:30:00Z', { kwh: 10, chargingMin: 60 })] }), cdr_location: { id: 'LOC1' } };

    // 07:30 local in Amsterdam (before 08:00, fallback price) but 08:30 in Helsinki (after 08:00)
    const amsterdam = priceCdr(validTariff(), { ...cdr, end_date_time: '2024-01-15T07:30:00Z' }, { timeZone: 'Europe/Amsterdam' });
    const helsinki = priceCdr(validTariff(), { ...cdr, end_date_time: '2024-01-15T07:30:00Z' }, { timeZone: 'Europe/Helsinki' });

    expect([amsterdam.total_cost, helsinki.total_cost]).to.deep.equal([{ excl_vat: 3, incl_vat: 3 }, { excl_vat: 2.5, incl_vat: 2.75 }]);
  });

  it('should not need a time zone when no restriction uses local time', () => {
    const cdr = { ...validCdr(), cdr_location: { id: 'LOC1' } };

    expect(priceCdr(aTariff(), cdr).total_cost).to.deep.equal({ excl_vat: 3.75, incl_vat: 4.13 });
  });
});
