// Pricing rules beyond the spec's tariff examples: VAT, step_size (OCPI 2.2.1 cdrs §10.3.1 and tariffs
// §11.4.2), min/max price (§11.3.1), and sessions crossing midnight or a restriction boundary.
import { expect } from 'chai';
import { priceCdr } from '../../../src/tariffs/price-cdr.ts';
import type { Price, Tariff } from '../../../src/tariffs/tariff.types.ts';
import { aCdr, aComponent, anElement, aTariff, periodsFrom, type PeriodVolumes } from '../../fixtures/tariffs.ts';

interface Case {
  name: string;
  tariff: Partial<Tariff>;
  /** Europe/Amsterdam; 2024-01-15 is a Monday in CET (UTC+1). */
  start: string;
  periods: PeriodVolumes[];
  total: Price;
  parts?: Partial<Record<'total_fixed_cost' | 'total_energy_cost' | 'total_time_cost' | 'total_parking_cost', Price>>;
}

const NOON = '2024-01-15T11:00:00Z';
const before17 = { start_time: '00:00', end_time: '17:00' };
const after17 = { start_time: '17:00', end_time: '00:00' };

const cases: Case[] = [
  {
    name: '§11.4.2 vat: should bill incl = excl when vat is omitted',
    tariff: { elements: [anElement([aComponent('ENERGY', 0.3)])] },
    start: NOON,
    periods: [{ kwh: 10, chargingMin: 60 }],
    total: { excl_vat: 3, incl_vat: 3 },
  },
  {
    name: '§11.4.2 vat: should apply each component its own VAT rate',
    tariff: { elements: [anElement([aComponent('FLAT', 1, { vat: 21 }), aComponent('ENERGY', 0.3, { vat: 9 })])] },
    start: NOON,
    periods: [{ kwh: 10, chargingMin: 60 }],
    total: { excl_vat: 4, incl_vat: 4.48 },
    parts: { total_fixed_cost: { excl_vat: 1, incl_vat: 1.21 }, total_energy_cost: { excl_vat: 3, incl_vat: 3.27 } },
  },
  {
    name: '§11.4.2 step_size: should bill 115.2 Wh as 116 Wh with step 1 (0.029 -> 0.03)',
    tariff: { elements: [anElement([aComponent('ENERGY', 0.25, { step_size: 1 })])] },
    start: NOON,
    periods: [{ kwh: 0.1152, chargingMin: 1 }],
    total: { excl_vat: 0.03, incl_vat: 0.03 },
  },
  {
    name: '§11.4.2 step_size: should bill 115.2 Wh as 500 Wh with step 500 (0.125 -> 0.13)',
    tariff: { elements: [anElement([aComponent('ENERGY', 0.25, { step_size: 500 })])] },
    start: NOON,
    periods: [{ kwh: 0.1152, chargingMin: 1 }],
    total: { excl_vat: 0.13, incl_vat: 0.13 },
  },
  {
    name: '§10.3.1 step_size: should round total energy 5.4 -> 5.5 kWh and bill the extra after 17:00',
    tariff: {
      elements: [
        anElement([aComponent('ENERGY', 0.2, { step_size: 500 })], before17),
        anElement([aComponent('ENERGY', 0.27, { step_size: 500 })], after17),
      ],
    },
    start: '2024-01-15T15:00:00Z', // 16:00 local
    periods: [{ kwh: 4.3, chargingMin: 60 }, { kwh: 1.1, chargingMin: 30 }],
    total: { excl_vat: 1.18, incl_vat: 1.18 }, // 4.3 x 0.20 + 1.2 x 0.27 = 1.184
  },
  {
    name: '§10.3.1 step_size: should round 6 + 22 min to 30 min, billing 24 min after 17:00',
    tariff: {
      elements: [
        anElement([aComponent('TIME', 5, { step_size: 600 })], before17),
        anElement([aComponent('TIME', 7, { step_size: 600 })], after17),
      ],
    },
    start: '2024-01-15T15:54:00Z', // 16:54 local
    periods: [{ chargingMin: 6 }, { chargingMin: 22 }],
    total: { excl_vat: 3.3, incl_vat: 3.3 }, // 0.50 + 2.80
  },
  {
    name: '§10.3.1 step_size: should round only parking (16 -> 20 min) when it follows 21 min charging',
    tariff: { elements: [anElement([aComponent('TIME', 1, { step_size: 600 }), aComponent('PARKING_TIME', 2, { step_size: 600 })])] },
    start: NOON,
    periods: [{ kwh: 3, chargingMin: 21 }, { parkingMin: 16 }],
    total: { excl_vat: 1.02, incl_vat: 1.02 }, // 0.35 + 0.6667
    parts: { total_time_cost: { excl_vat: 0.35, incl_vat: 0.35 }, total_parking_cost: { excl_vat: 0.67, incl_vat: 0.67 } },
  },
  {
    name: '§10.3.1 step_size: should bill 21 min charging (not 25) and 7 min parking as 10',
    tariff: { elements: [anElement([aComponent('TIME', 1, { step_size: 300 }), aComponent('PARKING_TIME', 2, { step_size: 300 })])] },
    start: NOON,
    periods: [{ kwh: 3, chargingMin: 21 }, { parkingMin: 7 }],
    total: { excl_vat: 0.68, incl_vat: 0.68 }, // 0.35 + 0.3333
  },
  {
    name: '§11.4.2 step_size 0: should not round',
    tariff: { elements: [anElement([aComponent('TIME', 6, { step_size: 0 })])] },
    start: NOON,
    periods: [{ chargingMin: 7 }],
    total: { excl_vat: 0.7, incl_vat: 0.7 },
  },
  {
    name: '§11.3.1 min_price: should raise only excl when incl_vat is not given',
    tariff: { min_price: { excl_vat: 1 }, elements: [anElement([aComponent('ENERGY', 0.25, { vat: 10 })])] },
    start: NOON,
    periods: [{ kwh: 2, chargingMin: 10 }],
    total: { excl_vat: 1, incl_vat: 0.55 },
  },
  {
    name: '§11.3.1 max_price: should cap excl and incl independently',
    tariff: { max_price: { excl_vat: 10, incl_vat: 11 }, elements: [anElement([aComponent('ENERGY', 0.25, { vat: 21 })])] },
    start: NOON,
    periods: [{ kwh: 41, chargingMin: 120 }], // 10.25 excl, 12.4025 incl
    total: { excl_vat: 10, incl_vat: 11 },
  },
  {
    name: '§11.4.6 start_time/end_time: should price a session across midnight in two periods',
    tariff: { elements: [anElement([aComponent('ENERGY', 0.2)], { start_time: '23:00', end_time: '07:00' }), anElement([aComponent('ENERGY', 0.3)])] },
    start: '2024-01-15T21:00:00Z', // 22:00 local
    periods: [{ kwh: 3, chargingMin: 60 }, { kwh: 6, chargingMin: 120 }],
    total: { excl_vat: 2.1, incl_vat: 2.1 }, // 0.90 + 1.20
  },
  {
    name: '§11.4.6 day_of_week: should switch from the weekend price at local midnight into Monday',
    tariff: { elements: [anElement([aComponent('ENERGY', 0.2)], { day_of_week: ['SATURDAY', 'SUNDAY'] }), anElement([aComponent('ENERGY', 0.3)])] },
    start: '2024-01-14T22:00:00Z', // Sunday 23:00 local
    periods: [{ kwh: 2, chargingMin: 60 }, { kwh: 2, chargingMin: 60 }],
    total: { excl_vat: 1, incl_vat: 1 },
  },
  {
    name: '§11.4.6 min_kwh: should switch to the bulk price in the period that starts at 20 kWh',
    tariff: { elements: [anElement([aComponent('ENERGY', 0.2)], { min_kwh: 20 }), anElement([aComponent('ENERGY', 0.3)])] },
    start: NOON,
    periods: [{ kwh: 20, chargingMin: 60 }, { kwh: 10, chargingMin: 30 }],
    total: { excl_vat: 8, incl_vat: 8 },
  },
  {
    name: '§11.4.6 min_duration: should start an overstay TIME price after 2 hours',
    tariff: { elements: [anElement([aComponent('TIME', 6)], { min_duration: 7200 }), anElement([aComponent('ENERGY', 0.3)])] },
    start: NOON,
    periods: [{ kwh: 20, chargingMin: 120 }, { kwh: 1, chargingMin: 30 }],
    total: { excl_vat: 9.3, incl_vat: 9.3 }, // 21 kWh x 0.30 + 0.5 h x 6
  },
  {
    name: '§11.4.6 min_power: should bill the fast-charging price only for periods at or above 50 kW',
    tariff: { elements: [anElement([aComponent('ENERGY', 0.6)], { min_power: 50 }), anElement([aComponent('ENERGY', 0.4)])] },
    start: NOON,
    periods: [{ kwh: 25, chargingMin: 20, minPower: 70, maxPower: 80 }, { kwh: 5, chargingMin: 20, minPower: 10, maxPower: 49 }],
    total: { excl_vat: 17, incl_vat: 17 },
  },
  {
    name: '§11.3.1 lookup: should take each dimension from the first matching element carrying it',
    tariff: {
      elements: [
        anElement([aComponent('PARKING_TIME', 6)], { start_time: '09:00', end_time: '18:00' }),
        anElement([aComponent('FLAT', 1), aComponent('ENERGY', 0.3), aComponent('PARKING_TIME', 1)]),
      ],
    },
    start: '2024-01-15T15:00:00Z', // 16:00 local: charge 1 h, park 1 h at 6 (until 18:00), then 1 h at 1
    periods: [{ kwh: 10, chargingMin: 60 }, { parkingMin: 60 }, { parkingMin: 60 }],
    total: { excl_vat: 11, incl_vat: 11 }, // 1 + 3 + 6 + 1
  },
];

describe('tariffs/pricing rules', () => {
  for (const c of cases) {
    it(`OCPI 2.2.1 ${c.name}`, () => {
      const cdr = aCdr(periodsFrom(c.start, c.periods));

      const priced = priceCdr(aTariff(c.tariff), cdr);

      expect(priced.total_cost).to.deep.equal(c.total);
      for (const [field, price] of Object.entries(c.parts ?? {})) expect(priced[field], field).to.deep.equal(price);
    });
  }
});
