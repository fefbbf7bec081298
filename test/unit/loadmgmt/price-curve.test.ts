// Issue 10 "energy price curve (time-of-use)": a load group's stored curve → the allocator's step-wise prices
// (src/loadmgmt/price-curve.ts), and its validation (src/loadmgmt/price-curve-input.ts).
import { expect } from 'chai';
import { priceAt, pricePointsOf, type PriceCurve } from '../../../src/loadmgmt/price-curve.ts';
import { priceCurveOf, priceCurveWire } from '../../../src/loadmgmt/price-curve-input.ts';
import { InvalidInput } from '../../../src/shared/errors.ts';

const at = (iso: string): number => Date.parse(iso);
const points = (curve: PriceCurve, from: string, to: string) => pricePointsOf(curve, at(from), at(to)).map((p) => [new Date(p.startsAt).toISOString(), p.pricePerKWh]);
const NIGHT = priceCurveOf({ currency: 'EUR', timeZone: 'Europe/Amsterdam', basePricePerKwh: 0.3, timeOfUse: [{ from: '23:00', to: '07:00', pricePerKwh: 0.1 }] });

describe('loadmgmt price curve', () => {
  it('should follow a night tariff in the site\'s local time across the spring DST change (Europe/Amsterdam, 2026-03-29)', () => {
    // 23:00 CET = 22:00Z; 07:00 CEST = 05:00Z (the clocks went forward at 01:00Z)
    expect(points(NIGHT, '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z')).to.deep.equal([
      ['2026-03-28T12:00:00.000Z', 0.3],
      ['2026-03-28T22:00:00.000Z', 0.1],
      ['2026-03-29T05:00:00.000Z', 0.3],
      ['2026-03-29T21:00:00.000Z', 0.1],
      ['2026-03-30T05:00:00.000Z', 0.3],
    ]);
  });

  it('should follow it across the autumn DST change (a 25-hour local day, 2026-10-25)', () => {
    // 23:00 CEST = 21:00Z; 07:00 CET = 06:00Z: a 9-hour night
    expect(points(NIGHT, '2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z')).to.deep.equal([
      ['2026-10-24T12:00:00.000Z', 0.3],
      ['2026-10-24T21:00:00.000Z', 0.1],
      ['2026-10-25T06:00:00.000Z', 0.3],
    ]);
  });

  it('should apply a row past midnight from the day it starts on only', () => {
    // 2026-12-04 is a Friday: its night row runs into Saturday 06:00; Saturday night has no row
    const curve = priceCurveOf({ currency: 'EUR', timeZone: 'UTC', basePricePerKwh: 0.3, timeOfUse: [{ days: ['FRIDAY'], from: '22:00', to: '06:00', pricePerKwh: 0.1 }] });
    expect(priceAt(curve, at('2026-12-05T05:59:00Z'))).to.equal(0.1);
    expect(priceAt(curve, at('2026-12-05T06:00:00Z'))).to.equal(0.3);
    expect(priceAt(curve, at('2026-12-05T23:00:00Z'))).to.equal(0.3);
    expect(priceAt(curve, at('2026-12-04T21:59:00Z'))).to.equal(0.3);
  });

  it('should let absolute periods override the table, an open period last until the next, the first matching row win', () => {
    const curve = priceCurveOf({
      currency: 'EUR', timeZone: 'UTC', basePricePerKwh: 0.3,
      timeOfUse: [{ from: '00:00', to: '06:00', pricePerKwh: 0.1 }, { from: '00:00', to: '12:00', pricePerKwh: 0.2 }],
      periods: [{ from: '2026-12-05T02:00:00Z', pricePerKwh: -0.05 }, { from: '2026-12-05T03:00:00Z', to: '2026-12-05T04:00:00Z', pricePerKwh: 0.5 }],
    });
    expect(points(curve, '2026-12-05T00:00:00Z', '2026-12-06T00:00:00Z')).to.deep.equal([
      ['2026-12-05T00:00:00.000Z', 0.1],
      ['2026-12-05T02:00:00.000Z', -0.05],
      ['2026-12-05T03:00:00.000Z', 0.5],
      ['2026-12-05T04:00:00.000Z', 0.1],
      ['2026-12-05T06:00:00.000Z', 0.2],
      ['2026-12-05T12:00:00.000Z', 0.3],
    ]);
  });

  it('should price time no period nor row covers at the curve\'s highest price when no base price is given', () => {
    const curve = priceCurveOf({ currency: 'EUR', periods: [{ from: '2026-12-05T00:00:00Z', to: '2026-12-05T06:00:00Z', pricePerKwh: 0.1 }, { from: '2026-12-05T06:00:00Z', to: '2026-12-05T08:00:00Z', pricePerKwh: 0.4 }] });
    expect(points(curve, '2026-12-04T23:00:00Z', '2026-12-05T10:00:00Z')).to.deep.equal([
      ['2026-12-04T23:00:00.000Z', 0.4],
      ['2026-12-05T00:00:00.000Z', 0.1],
      ['2026-12-05T06:00:00.000Z', 0.4],
    ]);
  });

  it('should give back the wire form it read', () => {
    const body = { currency: 'EUR', timeZone: 'Europe/Amsterdam', basePricePerKwh: 0.3, timeOfUse: [{ days: ['SATURDAY', 'SUNDAY'], from: '00:00', to: '24:00', pricePerKwh: 0.2 }], periods: [{ from: '2026-12-05T00:00:00.000Z', to: '2026-12-05T06:00:00.000Z', pricePerKwh: 0.1 }] };
    expect(priceCurveWire(priceCurveOf(body))).to.deep.equal(body);
  });

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['a missing currency', { periods: [] }, 'currency'],
    ['a table without a time zone', { currency: 'EUR', timeOfUse: [{ from: '07:00', to: '23:00', pricePerKwh: 0.3 }] }, 'timeZone: required'],
    ['an unknown time zone', { currency: 'EUR', timeZone: 'Mars/Olympus', basePricePerKwh: 1 }, 'timeZone'],
    ['a bad local time', { currency: 'EUR', timeZone: 'UTC', timeOfUse: [{ from: '7:00', to: '23:00', pricePerKwh: 0.3 }] }, 'timeOfUse[0].from'],
    ['a bad day', { currency: 'EUR', timeZone: 'UTC', timeOfUse: [{ days: ['MON'], from: '07:00', to: '23:00', pricePerKwh: 0.3 }] }, 'timeOfUse[0].days[0]'],
    ['a price that is no number', { currency: 'EUR', periods: [{ from: '2026-12-05T00:00:00Z', pricePerKwh: '0.1' }] }, 'periods[0].pricePerKwh'],
    ['a period ending before it starts', { currency: 'EUR', periods: [{ from: '2026-12-05T06:00:00Z', to: '2026-12-05T05:00:00Z', pricePerKwh: 0.1 }] }, 'periods[0].to'],
    ['overlapping periods', { currency: 'EUR', periods: [{ from: '2026-12-05T00:00:00Z', to: '2026-12-05T06:00:00Z', pricePerKwh: 0.1 }, { from: '2026-12-05T05:00:00Z', pricePerKwh: 0.2 }] }, 'periods: two periods overlap'],
    ['an empty curve', { currency: 'EUR' }, 'at least one'],
  ];
  for (const [name, body, message] of invalid) {
    it(`should refuse ${name} naming the field`, () => {
      expect(() => priceCurveOf(body)).to.throw(InvalidInput, message);
    });
  }
});
