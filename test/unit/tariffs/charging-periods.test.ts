// Building OCPI charging periods from meter values (OCPI 2.2.1 cdrs §10.3.1 ChargingPeriod: a new period
// whenever another price component becomes active), then pricing them.
import { expect } from 'chai';
import { buildSessionUsage, type MeterSample } from '../../../src/tariffs/charging-periods.ts';
import { toChargingPeriods, toOcpiDateTime } from '../../../src/tariffs/charging-periods.mapper.ts';
import { compileTariff } from '../../../src/tariffs/compiled-tariff.ts';
import { priceCdr } from '../../../src/tariffs/price-cdr.ts';
import { priceSession } from '../../../src/tariffs/pricing.ts';
import type { Tariff, TariffRestrictions } from '../../../src/tariffs/tariff.types.ts';
import { aComponent, anElement, aMeterSeries, aTariff } from '../../fixtures/tariffs.ts';

const ZONE = 'Europe/Amsterdam';

/** Prices a steady session; returns totals and the periods' local start times and kWh. */
function priceSteady(tariff: Tariff, opts: { start: string; minutes: number; everyMin: number; powerKw: number }) {
  const samples = aMeterSeries({ start: opts.start, count: Math.floor(opts.minutes / opts.everyMin) + 1, everyMin: opts.everyMin, powerKw: opts.powerKw });
  const startMs = Date.parse(opts.start);
  const endMs = startMs + opts.minutes * 60_000;
  const last = samples[samples.length - 1]!;
  if (last.timestampMs < endMs) {
    samples.push({ ...last, timestampMs: endMs, energyWh: Math.round((opts.powerKw * 1000 * opts.minutes) / 60) });
  }
  const compiled = compileTariff(tariff);
  const usage = buildSessionUsage(compiled, { timeZone: ZONE, startMs, endMs, samples });
  const priced = priceSession(compiled, usage);
  return {
    total: priced.totalCost.exclVat.toString(),
    periods: usage.periods.map((p) => `${toOcpiDateTime(p.startMs)} ${p.energyMwh / 1e6}`),
  };
}

const energyAt = (price: number, r?: TariffRestrictions) => anElement([aComponent('ENERGY', price)], r);
const timeAt = (price: number, r?: TariffRestrictions) => anElement([aComponent('TIME', price)], r);

const cases = [
  {
    name: 'should split at 17:00 local, interpolating energy between readings',
    tariff: aTariff({ elements: [energyAt(0.4, { start_time: '17:00', end_time: '21:00' }), energyAt(0.2)] }),
    session: { start: '2024-01-15T15:30:00Z', minutes: 60, everyMin: 7, powerKw: 12 },
    total: '3.6', // 6 kWh x 0.20 + 6 kWh x 0.40
    periods: ['2024-01-15T15:30:00Z 6', '2024-01-15T16:00:00Z 6'],
  },
  {
    name: 'should split a session across local midnight for a day_of_week price',
    tariff: aTariff({ elements: [energyAt(0.2, { day_of_week: ['SUNDAY'] }), energyAt(0.3)] }),
    session: { start: '2024-01-14T22:00:00Z', minutes: 120, everyMin: 10, powerKw: 6 }, // Sun 23:00 to Mon 01:00
    total: '3', // 6 kWh x 0.20 + 6 kWh x 0.30
    periods: ['2024-01-14T22:00:00Z 6', '2024-01-14T23:00:00Z 6'],
  },
  {
    name: 'should split where consumed energy reaches min_kwh',
    tariff: aTariff({ elements: [energyAt(0.5, { min_kwh: 10 }), energyAt(0.3)] }),
    session: { start: '2024-01-15T11:00:00Z', minutes: 60, everyMin: 7, powerKw: 12 },
    total: '4', // 10 kWh x 0.30 + 2 kWh x 0.50
    periods: ['2024-01-15T11:00:00Z 10', '2024-01-15T11:50:00Z 2'],
  },
  {
    name: 'should split where the session reaches max_duration',
    tariff: aTariff({ elements: [energyAt(0, { max_duration: 1800 }), energyAt(0.3)] }),
    session: { start: '2024-01-15T11:00:00Z', minutes: 60, everyMin: 7, powerKw: 12 },
    total: '1.8', // 6 kWh free, 6 kWh x 0.30
    periods: ['2024-01-15T11:00:00Z 6', '2024-01-15T11:30:00Z 6'],
  },
  {
    name: 'DST spring forward: should bill nothing at a 02:00-03:00 price on the last Sunday of March',
    tariff: aTariff({ elements: [timeAt(10, { start_time: '02:00', end_time: '03:00' }), timeAt(1)] }),
    session: { start: '2024-03-31T00:00:00Z', minutes: 120, everyMin: 15, powerKw: 6 }, // 01:00 CET to 04:00 CEST
    total: '2',
    periods: ['2024-03-31T00:00:00Z 12'],
  },
  {
    name: 'DST fall back: should bill both local 02:00-03:00 hours on the last Sunday of October',
    tariff: aTariff({ elements: [timeAt(10, { start_time: '02:00', end_time: '03:00' }), timeAt(1)] }),
    session: { start: '2024-10-26T23:30:00Z', minutes: 180, everyMin: 15, powerKw: 6 }, // 01:30 CEST to 03:30 CET
    total: '21', // 2 h x 10 + 1 h x 1
    periods: ['2024-10-26T23:30:00Z 3', '2024-10-27T00:00:00Z 12', '2024-10-27T02:00:00Z 3'],
  },
];

describe('tariffs/charging-periods buildSessionUsage', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = priceSteady(c.tariff, c.session);

      expect(result).to.deep.equal({ total: c.total, periods: c.periods });
    });
  }

  it('should start a PARKING_TIME period when the EV stops requesting power', () => {
    const samples: MeterSample[] = [
      { timestampMs: Date.parse('2024-01-15T11:00:00Z'), energyWh: 1000, powerW: 11000, isCharging: true },
      { timestampMs: Date.parse('2024-01-15T12:00:00Z'), energyWh: 12000, powerW: 0, isCharging: false },
    ];
    const tariff = aTariff({ elements: [anElement([aComponent('ENERGY', 0.3), aComponent('PARKING_TIME', 6, { step_size: 900 })])] });
    const compiled = compileTariff(tariff);

    const usage = buildSessionUsage(compiled, { timeZone: ZONE, startMs: samples[0]!.timestampMs, endMs: Date.parse('2024-01-15T12:10:00Z'), samples });

    expect(toChargingPeriods(usage.periods, 'T1')).to.deep.equal([
      { start_date_time: '2024-01-15T11:00:00Z', tariff_id: 'T1', dimensions: [{ type: 'ENERGY', volume: 11 }, { type: 'TIME', volume: 1 }, { type: 'MIN_POWER', volume: 11 }, { type: 'MAX_POWER', volume: 11 }] },
      { start_date_time: '2024-01-15T12:00:00Z', tariff_id: 'T1', dimensions: [{ type: 'PARKING_TIME', volume: 0.1667 }, { type: 'MIN_POWER', volume: 0 }, { type: 'MAX_POWER', volume: 0 }] },
    ]);
    expect(priceSession(compiled, usage).totalCost.exclVat.toString()).to.equal('4.8'); // 3.30 + 15 min x 6
  });

  it('should split on max_power and price the same from the OCPI periods it produces', () => {
    const t0 = Date.parse('2024-01-15T16:40:00Z');
    const samples: MeterSample[] = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
      timestampMs: t0 + i * 600_000,
      energyWh: [0, 3700, 7400, 10100, 12800, 14100, 15400][i]!,
      powerW: [22000, 22000, 16000, 16000, 8000, 8000, 0][i],
      isCharging: i < 6,
    }));
    const tariff = aTariff({
      elements: [
        anElement([aComponent('FLAT', 0.5, { vat: 21 })]),
        anElement([aComponent('ENERGY', 0.45, { vat: 21 })], { start_time: '18:00', end_time: '18:20' }),
        anElement([aComponent('ENERGY', 0.3, { vat: 21, step_size: 1000 })], { max_power: 11 }),
        anElement([aComponent('ENERGY', 0.35, { vat: 21 }), aComponent('PARKING_TIME', 6, { vat: 21, step_size: 300 })]),
      ],
    });
    const compiled = compileTariff(tariff);
    const usage = buildSessionUsage(compiled, { timeZone: ZONE, startMs: t0, endMs: t0 + 4_000_000, samples });
    const direct = priceSession(compiled, usage);

    const cdr = { start_date_time: toOcpiDateTime(t0), end_date_time: toOcpiDateTime(t0 + 4_000_000), cdr_location: { time_zone: ZONE }, charging_periods: toChargingPeriods(usage.periods, 'T1') };
    const viaOcpi = priceCdr(tariff, cdr);

    expect(usage.periods.map((p) => toOcpiDateTime(p.startMs))).to.deep.equal(['2024-01-15T16:40:00Z', '2024-01-15T17:00:00Z', '2024-01-15T17:20:00Z', '2024-01-15T17:40:00Z']);
    expect(viaOcpi.total_cost).to.deep.equal({ excl_vat: direct.totalCost.exclVat.toNumber(), incl_vat: direct.totalCost.inclVat.toNumber() });
    // local 17:40 at 22 kW, 18:00-18:20 evening price, 18:20 below 11 kW, 18:40 parking 400 s (as 600 s):
    // 0.50 + 7.4 x 0.35 + 5.4 x 0.45 + (2.6 + 0.6 step_size round-up) x 0.30 + 10 min x 6 = 7.48
    expect(viaOcpi.total_cost).to.deep.equal({ excl_vat: 7.48, incl_vat: 9.05 });
  });
});
