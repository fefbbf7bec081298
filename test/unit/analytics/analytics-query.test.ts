import { expect } from 'chai';
import { mergeBucketRows, observedPeriod, parseAnalyticsQuery, share, uptime } from '../../../src/analytics/analytics-query.ts';
import { toAnalyticsCsv } from '../../../src/analytics/analytics-csv.ts';
import { scopeConditions } from '../../../src/analytics/scope.ts';
import { InvalidInput } from '../../../src/shared/errors.ts';

const PERIOD = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };

describe('analytics: query, shares and CSV', () => {
  it('should read the query with day buckets and a limit of 10 by default', () => {
    const q = parseAnalyticsQuery({ ...PERIOD, partyId: 'de-abc' });

    expect(q).to.deep.equal({
      from: new Date(PERIOD.from), to: new Date(PERIOD.to), groupBy: 'day', locationId: undefined, chargePointId: undefined,
      party: { countryCode: 'DE', partyId: 'ABC' }, groupId: undefined, limit: 10, per: 'bucket',
    });
  });

  const refused: Array<[string, Record<string, unknown>]> = [
    ['a missing from', { to: PERIOD.to }],
    ['to before from', { from: PERIOD.to, to: PERIOD.from }],
    ['to equal to from', { from: PERIOD.from, to: PERIOD.from }],
    ['a period over 367 days', { from: '2025-01-01T00:00:00Z', to: '2026-01-04T00:00:00Z' }],
    ['an unknown groupBy', { ...PERIOD, groupBy: 'year' }],
    ['a repeated parameter', { ...PERIOD, locationId: ['a', 'b'] }],
    ['a limit over 100', { ...PERIOD, limit: '101' }],
  ];
  for (const [name, raw] of refused) {
    it(`should refuse ${name} as InvalidInput`, () => {
      expect(() => parseAnalyticsQuery(raw)).to.throw(InvalidInput);
    });
  }

  it('should read a period of local dates as dates, from and to at their UTC midnights', () => {
    const q = parseAnalyticsQuery({ from: '2026-03-01', to: '2026-04-01' });

    expect(q.dates).to.deep.equal({ from: '2026-03-01', to: '2026-04-01' });
    expect([q.from.toISOString(), q.to.toISOString()]).to.deep.equal(['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    expect(parseAnalyticsQuery(PERIOD).dates).to.equal(undefined);
  });

  const badDates: Array<[string, Record<string, unknown>, string]> = [
    ['a day that does not exist', { from: '2026-02-30', to: '2026-03-01' }, 'from: not a valid date'],
    ['a month 13', { from: '2026-02-01', to: '2026-13-01' }, 'to: not a valid date'],
    ['a date with a date-time', { from: '2026-02-01', to: '2026-03-01T00:00:00Z' }, 'to: a local date'],
    ['a date-time with a date', { from: '2026-02-01T00:00:00Z', to: '2026-03-01' }, 'to: a local date'],
    ['dates in the wrong order', { from: '2026-03-01', to: '2026-03-01' }, 'to: must be after from'],
    ['more than 367 days of dates', { from: '2025-01-01', to: '2026-01-04' }, 'to: the period is at most'],
  ];
  for (const [name, raw, message] of badDates) {
    it(`should refuse ${name} as InvalidInput naming the field`, () => {
      expect(() => parseAnalyticsQuery(raw)).to.throw(InvalidInput, message);
    });
  }

  it('should merge the bucket rows of several zones, summing EVSEs and seconds per bucket in bucket order', () => {
    const merged = mergeBucketRows([
      [{ bucket: '2026-03-29', evses: 1, periodSec: 82_800, downSec: 100 }],
      [{ bucket: '2026-03-28', evses: 2, periodSec: 172_800, downSec: 0 }, { bucket: '2026-03-29', evses: 2, periodSec: 172_800, downSec: 50 }],
    ]);

    expect(merged).to.deep.equal([
      { bucket: '2026-03-28', evses: 2, periodSec: 172_800, downSec: 0 },
      { bucket: '2026-03-29', evses: 3, periodSec: 255_600, downSec: 150 },
    ]);
  });

  it('should read per=evse, and refuse another per naming it', () => {
    expect(parseAnalyticsQuery({ ...PERIOD, per: 'evse' }).per).to.equal('evse');
    expect(() => parseAnalyticsQuery({ ...PERIOD, per: 'charger' })).to.throw(InvalidInput, /^per:/);
  });

  it('should write the per-bucket columns of utilization as CSV, and the per-EVSE ones when asked per EVSE', () => {
    const row = { bucket: '2026-03-01', evses: 2, periodSec: 172_800, chargingSec: 3_600, occupiedSec: 7_200, chargingShare: 0.0208, occupiedShare: 0.0417 };

    const csv = toAnalyticsCsv('utilization', [row], 'bucket');

    expect(csv).to.equal('bucket,evses,periodSec,chargingSec,occupiedSec,chargingShare,occupiedShare\r\n2026-03-01,2,172800,3600,7200,0.0208,0.0417\r\n');
    expect(toAnalyticsCsv('utilization', [], 'evse').split(',')[1]).to.equal('locationId');
  });

  it('should accept a whole leap year', () => {
    expect(parseAnalyticsQuery({ from: '2028-01-01T00:00:00Z', to: '2029-01-01T00:00:00Z' }).groupBy).to.equal('day');
  });

  it('should cut the period at now, and observe nothing of a future period', () => {
    const q = parseAnalyticsQuery(PERIOD);

    expect(observedPeriod(q, new Date('2026-03-10T00:00:00Z'))).to.deep.equal({ from: q.from, to: new Date('2026-03-10T00:00:00Z') });
    expect(observedPeriod(q, new Date('2026-05-01T00:00:00Z'))).to.deep.equal({ from: q.from, to: q.to });
    expect(observedPeriod(q, new Date('2026-03-01T00:00:00Z'))).to.equal(undefined);
  });

  it('should round shares to 4 decimals, cap them at 1, and give null for nothing observed', () => {
    expect([share(1, 3), share(5, 4), share(0, 10), share(3, 0)]).to.deep.equal([0.3333, 1, 0, null]);
  });

  it('AFIR: should count uptime as the share of the period not down, never below 0', () => {
    expect([uptime(75_600, 12_600), uptime(100, 0), uptime(100, 150), uptime(0, 0)]).to.deep.equal([0.8333, 1, 0, null]);
  });

  it('should build the scope conditions with the values only in the bindings', () => {
    const q = parseAnalyticsQuery({ ...PERIOD, locationId: "L'1", chargePointId: 'CP', partyId: 'NL-XYZ' });

    const part = scopeConditions(q, { location: 'l.id', chargePoint: 'c.id', party: 'p.cc = ? and p.pid = ?' });

    expect(part).to.deep.equal({ sql: ' and l.id = ? and c.id = ? and p.cc = ? and p.pid = ?', bindings: ["L'1", 'CP', 'NL', 'XYZ'] });
  });

  it('RFC 4180: should write CSV with quoted fields, empty nulls and CRLF line ends', () => {
    const csv = toAnalyticsCsv('failures', [{ chargePointId: 'CP,"1"', locationId: null, faults: 2, offlineEvents: 0, failedStarts: 1, sessions: 3 }]);

    expect(csv).to.equal('chargePointId,locationId,faults,offlineEvents,failedStarts,sessions\r\n"CP,""1""",,2,0,1,3\r\n');
  });
});
