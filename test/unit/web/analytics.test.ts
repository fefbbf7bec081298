import { expect } from 'chai';
import { revenueSeries, sumSeries, weightedShare } from '../../../web/shared/analytics.ts';
import { sampleCdr } from '../../../web/shared/sample-cdr.ts';

describe('web/shared/analytics', () => {
  it('should sum fields per bucket in bucket order', () => {
    const rows = [{ bucket: '2026-01-02', energyKwh: 5, sessions: 1 }, { bucket: '2026-01-01', energyKwh: 2.5, sessions: 2 }];
    expect(sumSeries(rows, [['energyKwh', 'kWh'], ['sessions', 'n']])).to.deep.equal({ buckets: ['2026-01-01', '2026-01-02'], series: [{ label: 'kWh', values: [2.5, 5] }, { label: 'n', values: [2, 1] }] });
  });

  it('should keep one revenue series per currency, never adding currencies', () => {
    const rows = [{ bucket: '2026-01-01', currency: 'EUR', revenueInclVat: '10.50' }, { bucket: '2026-01-01', currency: 'GBP', revenueInclVat: '3' }, { bucket: '2026-01-02', currency: 'EUR', revenueInclVat: '1' }];
    expect(revenueSeries(rows)).to.deep.equal({ buckets: ['2026-01-01', '2026-01-02'], series: [{ label: 'Revenue incl. VAT (EUR)', values: [10.5, 1] }, { label: 'Revenue incl. VAT (GBP)', values: [3, 0] }] });
  });

  it('should weight each EVSE\'s share by its period, and give null for a bucket without time', () => {
    const rows = [{ bucket: 'b1', periodSec: 3600, chargingSec: 3600 }, { bucket: 'b1', periodSec: 10_800, chargingSec: 0 }, { bucket: 'b2', periodSec: 0, chargingSec: 0 }];
    expect(weightedShare(rows, (r) => r.chargingSec, 'share').series[0]!.values).to.deep.equal([0.25, null]);
  });
});

describe('web/shared/analytics per bucket', () => {
  it('should give the share of a report summed per bucket (one row a bucket) as that row\'s share', () => {
    const rows = [{ bucket: 'b1', evses: 2, periodSec: 172_800, downSec: 3_600 }];
    expect(weightedShare(rows, (r) => r.periodSec - r.downSec, 'Uptime').series[0]!.values).to.deep.equal([169_200 / 172_800]);
  });
});

describe('web/shared/sample-cdr', () => {
  it('OCPI 2.2.1 cdrs §10.4.6: should make a charging period and then a parking period', () => {
    expect(sampleCdr({ startIso: '2026-01-01T10:00:00Z', kWh: 20, chargingMin: 90, parkingMin: 30, timeZone: 'Europe/Amsterdam' })).to.deep.equal({
      start_date_time: '2026-01-01T10:00:00.000Z',
      end_date_time: '2026-01-01T12:00:00.000Z',
      cdr_location: { time_zone: 'Europe/Amsterdam' },
      charging_periods: [
        { start_date_time: '2026-01-01T10:00:00.000Z', dimensions: [{ type: 'ENERGY', volume: 20 }, { type: 'TIME', volume: 1.5 }] },
        { start_date_time: '2026-01-01T11:30:00.000Z', dimensions: [{ type: 'PARKING_TIME', volume: 0.5 }] },
      ],
    });
  });

  it('should leave out the parking period without parking', () => {
    expect((sampleCdr({ startIso: '2026-01-01T10:00:00Z', kWh: 1, chargingMin: 60, parkingMin: 0, timeZone: 'UTC' }).charging_periods as unknown[]).length).to.equal(1);
  });
});
