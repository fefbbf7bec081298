// Admin API for analytics (issue 9): each report as JSON and as CSV (format=csv or Accept: text/csv), and
// bad parameters answered 400 naming the parameter.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { anAnalyticsNetwork } from '../../fixtures/analytics.ts';

const PERIOD = 'from=2026-03-27T00:00:00Z&to=2026-03-30T00:00:00Z';

describe('e2e admin: analytics', () => {
  const t = useTestApp({ clock: fixedClock(new Date('2026-04-01T00:00:00Z')) });

  before(async () => {
    await anAnalyticsNetwork(t.db, (await t.db('parties').where({ is_default: true }).first()).id);
  });

  it('should answer every report as JSON', async () => {
    for (const metric of ['sessions', 'revenue', 'utilization', 'availability', 'failures']) {
      const res = await t.api('GET', `/api/v1/analytics/${metric}?${PERIOD}&groupBy=week`);

      expect([metric, res.status, res.body.data.length > 0]).to.deep.equal([metric, 200, true]);
    }
  });

  it('should answer availability summed per bucket by default, and per EVSE with per=evse', async () => {
    const perBucket = await t.api('GET', `/api/v1/analytics/availability?${PERIOD}&groupBy=week`);
    const perEvse = await t.api('GET', `/api/v1/analytics/availability?${PERIOD}&groupBy=week&per=evse`);
    const csv = await t.api('GET', `/api/v1/analytics/utilization?${PERIOD}&groupBy=week&format=csv`);

    // the week of 2026-03-23 holds both EVSEs; Amsterdam's 2026-03-30 begins at 22:00 UTC on the 29th
    expect(perBucket.body.data.map((r: Record<string, unknown>) => [r.bucket, r.evses])).to.deep.equal([['2026-03-23', 2], ['2026-03-30', 1]]);
    expect(perEvse.body.data.map((r: Record<string, unknown>) => [r.bucket, r.evseUid])).to.deep.equal([['2026-03-23', 'EVSE-A1'], ['2026-03-23', 'EVSE-B1'], ['2026-03-30', 'EVSE-A1']]);
    const week = perEvse.body.data.filter((r: { bucket: string }) => r.bucket === '2026-03-23');
    expect(perBucket.body.data[0].periodSec).to.equal(week.reduce((sum: number, r: { periodSec: number }) => sum + r.periodSec, 0));
    expect((csv.body as string).split('\r\n')[0]).to.equal('bucket,evses,periodSec,chargingSec,occupiedSec,chargingShare,occupiedShare');
  });

  it('should export a report as CSV with format=csv', async () => {
    const res = await t.api('GET', `/api/v1/analytics/revenue?${PERIOD}&format=csv`);

    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect((res.body as string).split('\r\n')).to.deep.equal([
      'bucket,currency,cdrs,credits,energyKwh,revenueExclVat,revenueInclVat',
      '2026-03-27,USD,1,0,0,1.5,1.6',
      '2026-03-28,EUR,2,1,10,3,3.63',
      '',
    ]);
  });

  it('should export a report as CSV when asked with Accept: text/csv', async () => {
    const res = await fetch(`${t.httpUrl}/api/v1/analytics/failures?${PERIOD}`, { headers: { authorization: `Bearer ${t.adminKey}`, accept: 'text/csv' } });

    expect((await res.text()).split('\r\n')[1]).to.equal('CP-A,LOC-A,1,1,0,2');
  });

  it('should answer utilization and availability over a period of local dates, those days in each location\'s zone', async () => {
    const res = await t.api('GET', '/api/v1/analytics/availability?from=2026-03-28&to=2026-03-30');
    const csv = await t.api('GET', '/api/v1/analytics/utilization?from=2026-03-28&to=2026-03-30&per=evse&format=csv');

    // Amsterdam's 29th is 23 h (DST) less 2 h maintenance, New York's a whole 24 h
    expect(res.body.data.map((r: Record<string, unknown>) => [r.bucket, r.evses, r.periodSec])).to.deep.equal([['2026-03-28', 2, 172_800], ['2026-03-29', 2, 162_000]]);
    expect((csv.body as string).split('\r\n').slice(1, 3).map((l) => l.split(',').slice(0, 3).join(','))).to.deep.equal(['2026-03-28,LOC-A,EVSE-A1', '2026-03-28,LOC-B,EVSE-B1']);
  });

  it('should refuse bad parameters with 400 naming them', async () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/analytics/nope?' + PERIOD, 'metric'],
      ['/api/v1/analytics/sessions?to=2026-03-30T00:00:00Z', 'from'],
      ['/api/v1/analytics/sessions?from=2026-03-30T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
      ['/api/v1/analytics/sessions?from=2025-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
      [`/api/v1/analytics/sessions?${PERIOD}&groupBy=hour`, 'groupBy'],
      [`/api/v1/analytics/sessions?${PERIOD}&partyId=nope!`, 'partyId'],
      [`/api/v1/analytics/sessions?${PERIOD}&format=xml`, 'format'],
      [`/api/v1/analytics/failures?${PERIOD}&limit=0`, 'limit'],
      [`/api/v1/analytics/utilization?${PERIOD}&per=charger`, 'per'],
      ['/api/v1/analytics/utilization?from=2026-02-30&to=2026-03-30', 'from'],
      ['/api/v1/analytics/utilization?from=2026-03-01&to=2026-03-30T00:00:00Z', 'to'],
      ['/api/v1/analytics/sessions?from=2026-03-01&to=2026-03-30', 'from'],
    ];
    for (const [path, param] of cases) {
      const res = await t.api('GET', path);

      expect([path, res.status, res.body.error.message.startsWith(param)]).to.deep.equal([path, 400, true]);
    }
  });
});
