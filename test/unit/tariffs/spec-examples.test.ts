// The OCPI 2.2.1 tariff examples (mod_tariffs §11.3.1 "Examples", §11.4.2, §11.4.6), each priced for a
// hand-built session; expected totals are computed by hand from the spec text.
import { expect } from 'chai';
import { priceCdr } from '../../../src/tariffs/price-cdr.ts';
import type { Price } from '../../../src/tariffs/tariff.types.ts';
import { aCdr, loadExample, periodsFrom, type PeriodVolumes } from '../../fixtures/tariffs.ts';

interface Case {
  name: string;
  file: string;
  /** Local start in Europe/Berlin (all examples are DE tariffs), as UTC ISO. */
  start: string;
  periods: PeriodVolumes[];
  total: Price;
  parts?: Partial<Record<'fixed' | 'energy' | 'time' | 'parking' | 'reservation', Price>>;
}

const MON_0930 = '2024-01-15T08:30:00Z'; // Monday 09:30 CET
const cases: Case[] = [
  { name: '§11.3.1 simple 0.25/kWh: should bill 20 kWh as 5.00 / 5.50', file: 'tariff_8_simple_025kwh.json', start: MON_0930, periods: [{ kwh: 20, chargingMin: 60 }], total: { excl_vat: 5, incl_vat: 5.5 } },
  { name: '§11.3.1 0.25/kWh + start fee: should bill 5.50 / 6.10 for 20 kWh', file: 'tariff_9_025kwh_start.json', start: MON_0930, periods: [{ kwh: 20, chargingMin: 60 }], total: { excl_vat: 5.5, incl_vat: 6.1 }, parts: { fixed: { excl_vat: 0.5, incl_vat: 0.6 }, energy: { excl_vat: 5, incl_vat: 5.5 } } },
  { name: '§11.3.1 min price: should bill 20 kWh normally (5.00 / 5.50)', file: 'tariff_12_025kwh_min_price.json', start: MON_0930, periods: [{ kwh: 20, chargingMin: 60 }], total: { excl_vat: 5, incl_vat: 5.5 } },
  { name: '§11.3.1 min price: should raise 1.9 kWh (0.475) to the minimum 0.50 / 0.55', file: 'tariff_12_025kwh_min_price.json', start: MON_0930, periods: [{ kwh: 1.9, chargingMin: 10 }], total: { excl_vat: 0.5, incl_vat: 0.55 }, parts: { energy: { excl_vat: 0.48, incl_vat: 0.52 } } },
  { name: '§11.3.1 parking + start fee: should bill 40 min parking as 45 min (7.00 / 7.90)', file: 'tariff_10_025kwh_parking_start.json', start: MON_0930, periods: [{ kwh: 20, chargingMin: 60 }, { parkingMin: 40 }], total: { excl_vat: 7, incl_vat: 7.9 }, parts: { parking: { excl_vat: 1.5, incl_vat: 1.8 } } },
  { name: '§11.3.1 max price: should cap 50 kWh at 10.00 / 11.00', file: 'tariff_6_025kwh_start_max_price.json', start: MON_0930, periods: [{ kwh: 50, chargingMin: 120 }], total: { excl_vat: 10, incl_vat: 11 }, parts: { energy: { excl_vat: 12.5, incl_vat: 13.75 } } },
  { name: '§11.3.1 max price: should bill 30 kWh below the cap as 8.00 / 8.85', file: 'tariff_6_025kwh_start_max_price.json', start: MON_0930, periods: [{ kwh: 30, chargingMin: 90 }], total: { excl_vat: 8, incl_vat: 8.85 } },
  { name: '§11.3.1 2/hour: should bill 2.5 h as 5.00 / 5.50', file: 'tariff_1_simple_2hour.json', start: MON_0930, periods: [{ kwh: 10, chargingMin: 150 }], total: { excl_vat: 5, incl_vat: 5.5 } },
  { name: '§11.3.1 3/hour + 5/hour parking: should bill 150 min + 42 min (as 45) as 11.25 / 12.75', file: 'tariff_13_simple_3hour_5parking.json', start: MON_0930, periods: [{ kwh: 30, chargingMin: 150 }, { parkingMin: 42 }], total: { excl_vat: 11.25, incl_vat: 12.75 }, parts: { time: { excl_vat: 7.5, incl_vat: 8.25 }, parking: { excl_vat: 3.75, incl_vat: 4.5 } } },
  { name: '§11.3.1 ad-hoc 1.90/hour: should bill 2.5 h as 4.75 / 5.00 (4.997 rounded)', file: 'tariff_2_alt_text.json', start: MON_0930, periods: [{ kwh: 10, chargingMin: 150 }], total: { excl_vat: 4.75, incl_vat: 5 } },
  { name: '§11.3.1 not-possible ad-hoc: should bill 62 min as 65 min plus 0.40 start (2.46 / 2.67)', file: 'tariff_11_not_possible_alt_text.json', start: MON_0930, periods: [{ kwh: 5, chargingMin: 62 }], total: { excl_vat: 2.46, incl_vat: 2.67 }, parts: { fixed: { excl_vat: 0.4, incl_vat: 0.5 }, time: { excl_vat: 2.06, incl_vat: 2.17 } } },
  { name: '§11.3.1 alt url: should bill 20.45 kWh as 20.5 kWh (5.63 / 6.24)', file: 'tariff_3_alt_url.json', start: MON_0930, periods: [{ kwh: 20.45, chargingMin: 60 }], total: { excl_vat: 5.63, incl_vat: 6.24 }, parts: { energy: { excl_vat: 5.13, incl_vat: 5.64 } } },
  { name: '§11.3.1 complex, Monday 09:30: should bill 165 min at 16 A and 42 min parking as 9.00 / 10.30', file: 'tariff_4_complex.json', start: MON_0930, periods: [{ kwh: 10, chargingMin: 165, maxCurrent: 16 }, { parkingMin: 42 }], total: { excl_vat: 9, incl_vat: 10.3 }, parts: { fixed: { excl_vat: 2.5, incl_vat: 2.88 }, time: { excl_vat: 2.75, incl_vat: 3.3 }, parking: { excl_vat: 3.75, incl_vat: 4.13 } } },
  // The spec's breakdown prices 114 min at 1.20/h (2.28); at the tariff's 1.25/h it is 2.375 / 2.85.
  { name: '§11.3.1 complex, Saturday 13:30: should bill 114 min at 43 A and 71 min parking (as 75) as 12.38 / 13.98', file: 'tariff_4_complex.json', start: '2024-01-20T12:30:00Z', periods: [{ kwh: 40, chargingMin: 114, minCurrent: 43 }, { parkingMin: 71 }], total: { excl_vat: 12.38, incl_vat: 13.98 }, parts: { time: { excl_vat: 2.38, incl_vat: 2.85 }, parking: { excl_vat: 7.5, incl_vat: 8.25 } } },
  { name: '§11.3.1 free of charge: should bill nothing', file: 'tariff_5_free_of_charge.json', start: MON_0930, periods: [{ kwh: 20, chargingMin: 60 }, { parkingMin: 30 }], total: { excl_vat: 0, incl_vat: 0 } },
  { name: '§11.4.2 step_size #1: should bill 16:55 +10 min charging +2 min parking as 0.55', file: 'tariff_14_step_size.json', start: '2024-01-15T15:55:00Z', periods: [{ chargingMin: 5 }, { chargingMin: 5 }, { parkingMin: 2 }], total: { excl_vat: 0.55, incl_vat: 0.55 }, parts: { time: { excl_vat: 0.3, incl_vat: 0.3 }, parking: { excl_vat: 0.25, incl_vat: 0.25 } } },
  { name: '§11.4.2 step_size #2: should round 35 min to 45 and bill the extra after 17:00 (1.30)', file: 'tariff_14_step_size.json', start: '2024-01-15T15:35:00Z', periods: [{ chargingMin: 25 }, { chargingMin: 10 }], total: { excl_vat: 1.3, incl_vat: 1.3 } },
  { name: '§11.4.2 step_size to free: should round 8 billable parking min to 15 before 20:00 (0.73)', file: 'tariff_14_step_size.json', start: '2024-01-15T18:40:00Z', periods: [{ chargingMin: 12 }, { parkingMin: 8 }, { parkingMin: 12 }], total: { excl_vat: 0.73, incl_vat: 0.73 } },
  { name: '§11.4.6 max_power: should bill 1 kWh at 6 kW, 40 kWh at 48 kW, 0.5 kWh at 4 kW as 20.30 / 24.36', file: 'tariffrestriction_example_max_power.json', start: MON_0930, periods: [{ kwh: 1, chargingMin: 10, maxPower: 6 }, { kwh: 40, chargingMin: 50, maxPower: 48 }, { kwh: 0.5, chargingMin: 7.5, maxPower: 4 }], total: { excl_vat: 20.3, incl_vat: 24.36 } },
  { name: '§11.4.6 max_duration: should bill 5 kWh free and 1.2 kWh at 0.25 (0.30 / 0.36)', file: 'tariffrestriction_example_max_duration.json', start: MON_0930, periods: [{ kwh: 5, chargingMin: 30 }, { kwh: 1.2, chargingMin: 10 }], total: { excl_vat: 0.3, incl_vat: 0.36 } },
  { name: '§11.4.3 reservation 5/hour: should bill 15 min reservation + 20 kWh as 6.75 / 7.60', file: 'tariff_15_reservation_5_euro_per_hour.json', start: MON_0930, periods: [{ reservationMin: 15 }, { kwh: 20, chargingMin: 60 }], total: { excl_vat: 6.75, incl_vat: 7.6 }, parts: { reservation: { excl_vat: 1.25, incl_vat: 1.5 }, fixed: { excl_vat: 0.5, incl_vat: 0.6 } } },
  { name: '§11.4.3 reservation fee: should bill 13 min as 15 plus 2.00 fee (8.75 / 10.00)', file: 'tariff_16_reservation_2_euro_fee_5_euro_per_hour.json', start: MON_0930, periods: [{ reservationMin: 13 }, { kwh: 20, chargingMin: 60 }], total: { excl_vat: 8.75, incl_vat: 10 }, parts: { reservation: { excl_vat: 3.25, incl_vat: 3.9 } } },
  { name: '§11.4.3 reservation with expire fee: should bill 22 min as 30 (6.50 / 7.30)', file: 'tariff_17_reservation_with_expire_fee.json', start: MON_0930, periods: [{ reservationMin: 22 }, { kwh: 20, chargingMin: 60 }], total: { excl_vat: 6.5, incl_vat: 7.3 } },
  { name: '§11.4.3 expired reservation: should bill the 4.00 expire fee and 60 min (6.00 / 7.20)', file: 'tariff_17_reservation_with_expire_fee.json', start: MON_0930, periods: [{ reservationMin: 60 }], total: { excl_vat: 6, incl_vat: 7.2 }, parts: { fixed: { excl_vat: 0, incl_vat: 0 } } },
  { name: '§11.4.3 reservation with expire time: should bill 22 min as 30 at 3.00 (7.00 / 7.90)', file: 'tariff_18_reservation_with_expire_time.json', start: MON_0930, periods: [{ reservationMin: 22 }, { kwh: 20, chargingMin: 60 }], total: { excl_vat: 7, incl_vat: 7.9 } },
  { name: '§11.4.3 expired reservation: should bill 90 min at the 6.00 expire rate (9.00 / 10.80)', file: 'tariff_18_reservation_with_expire_time.json', start: MON_0930, periods: [{ reservationMin: 90 }], total: { excl_vat: 9, incl_vat: 10.8 } },
  { name: '§11.2.2 PUT example (no last_updated): should bill 62 min as 65 min at 2.00 (2.17 / 2.38)', file: 'tariff_put_example.json', start: MON_0930, periods: [{ kwh: 5, chargingMin: 62 }], total: { excl_vat: 2.17, incl_vat: 2.38 } },
];

const PARTS = {
  fixed: 'total_fixed_cost',
  energy: 'total_energy_cost',
  time: 'total_time_cost',
  parking: 'total_parking_cost',
  reservation: 'total_reservation_cost',
} as const;

describe('OCPI 2.2.1 spec tariff examples', () => {
  for (const c of cases) {
    it(c.name, () => {
      const cdr = aCdr({ ...periodsFrom(c.start, c.periods), cdr_location: { time_zone: 'Europe/Berlin' } });

      const priced = priceCdr(loadExample(c.file), cdr);

      expect(priced.total_cost).to.deep.equal(c.total);
      for (const [part, price] of Object.entries(c.parts ?? {})) {
        expect(priced[PARTS[part as keyof typeof PARTS]], part).to.deep.equal(price);
      }
    });
  }

  it('§10.3.1 CDR example: should bill TIME 1.973 h at 2.00/h with step 300 s as 2 h (4.00 / 4.40)', () => {
    const cdr = loadExample<{ tariffs: unknown[] }>('cdr_example.json');

    const priced = priceCdr(cdr.tariffs[0], cdr);

    expect(priced.total_cost).to.deep.equal({ excl_vat: 4, incl_vat: 4.4 });
    expect(priced.total_time_cost).to.deep.equal({ excl_vat: 4, incl_vat: 4.4 });
    expect(priced.total_time).to.equal(1.9731); // 21:39:09 to 23:37:32
    expect(priced.total_energy).to.equal(15.342); // no ENERGY dimension: kept from the CDR
  });
});
