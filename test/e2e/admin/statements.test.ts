// Admin API for billing: CDRs (list, one, credit) and settlement statements (JSON and CSV), with the
// settlement job run on demand under its lock (issue 4 "Settlement", "Credit CDRs").
import { expect } from 'chai';
import { buildCdr } from '../../../src/billing/cdr-builder.ts';
import { insertCdr } from '../../../src/billing/cdr.repo.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { Decimal } from '../../../src/shared/money.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aCdrSources } from '../../fixtures/billing.ts';
import { aRegisteredPartner } from '../../fixtures/partners.ts';
import { aComponent, anElement, aTariff } from '../../fixtures/tariffs.ts';

const tariff = aTariff({ elements: [anElement([aComponent('FLAT', 0.5, { vat: 21 }), aComponent('ENERGY', 0.29, { vat: 21 })])] });

describe('e2e admin: cdrs and statements', () => {
  let partyFk: number;
  let seq = 0;
  const clock = fixedClock(new Date('2026-03-05T12:00:00Z'));
  const t = useTestApp({ clock });

  before(async () => {
    partyFk = (await t.db('parties').where({ is_default: true }).first()).id;
  });

  async function aStoredCdr(partnerFk: number | null, createdAt: string, wh: number) {
    const body = buildCdr(aCdrSources({ id: `ADM-${++seq}`, tariff, now: new Date(createdAt), session: { uid: `S-ADM-${seq}`, meterStopWh: wh } }));
    return insertCdr(t.db, { partyFk, sessionFk: null, partnerFk, body, createdAt: new Date(createdAt) });
  }

  it('should list and show CDRs, filtered by partner or "local"', async () => {
    const { partner } = await aRegisteredPartner(t.db);
    const mine = await aStoredCdr(partner.id, '2026-03-04T10:00:00Z', 1000);
    const local = await aStoredCdr(null, '2026-03-04T11:00:00Z', 1000);

    const ofPartner = await t.api('GET', `/api/v1/cdrs?partner=${partner.id}`);
    const ofLocal = await t.api('GET', '/api/v1/cdrs?partner=local&limit=500');
    const one = await t.api('GET', `/api/v1/cdrs/${mine.id}`);

    expect([ofPartner.status, ofPartner.body.total, ofPartner.body.data.map((c: any) => c.cdrId)]).to.deep.equal([200, 1, [mine.cdrId]]);
    expect(ofLocal.body.data.map((c: any) => c.cdrId)).to.include(local.cdrId).and.not.include(mine.cdrId);
    expect(one.body).to.include({ cdrId: mine.cdrId, totalCostExclVat: '0.79', currency: 'EUR', credit: false });
    expect(one.body.body.id).to.equal(mine.cdrId);
    expect((await t.api('GET', '/api/v1/cdrs/999999')).status).to.equal(404);
    expect((await t.api('GET', '/api/v1/cdrs?partner=x')).status).to.equal(400);
  });

  it('cdrs §10.2.1.1: should credit a CDR once through POST /cdrs/{id}/credit', async () => {
    const cdr = await aStoredCdr(null, '2026-03-04T12:00:00Z', 2000);
    const credit = await t.api('POST', `/api/v1/cdrs/${cdr.id}/credit`, { remark: 'duplicate session' });
    const again = await t.api('POST', `/api/v1/cdrs/${cdr.id}/credit`, {});
    const ofCredit = await t.api('POST', `/api/v1/cdrs/${credit.body.id}/credit`, {});
    // 0.50 + 2 x 0.29 = 1.08 excl, credited as -1.08
    expect(credit.status).to.equal(201);
    expect(credit.body).to.include({ cdrId: `${cdr.cdrId}-C`, credit: true, creditReferenceId: cdr.cdrId, totalCostExclVat: '-1.08' });
    expect(credit.body.body).to.include({ remark: 'duplicate session', last_updated: '2026-03-05T12:00:00Z' });
    expect([again.status, again.body.error.code]).to.deep.equal([409, 'CONFLICT']);
    expect(ofCredit.status).to.equal(409);
  });

  it('should run the settlement job and serve statements whose totals add up to their CDRs, as JSON and CSV', async () => {
    // Arrange: three CDRs of one eMSP on 10 March, one of them credited the same day
    const { partner } = await aRegisteredPartner(t.db);
    const cdrs = [await aStoredCdr(partner.id, '2026-03-10T08:00:00Z', 10_000), await aStoredCdr(partner.id, '2026-03-10T09:00:00Z', 3_333), await aStoredCdr(partner.id, '2026-03-10T22:00:00Z', 1)];
    clock.set(new Date('2026-03-10T23:00:00Z'));
    const credit = (await t.api('POST', `/api/v1/cdrs/${cdrs[1]!.id}/credit`, {})).body;
    // Act
    clock.set(new Date('2026-03-11T00:30:00Z'));
    const run = await t.api('POST', '/api/v1/jobs/settlement/run');
    const list = await t.api('GET', `/api/v1/statements?partner=${partner.id}&granularity=DAILY`);
    const id = list.body.data[0].id;
    const json = await t.api('GET', `/api/v1/statements/${id}`);
    const csv = await t.api('GET', `/api/v1/statements/${id}.csv`);
    // Assert
    expect(run.body).to.deep.include({ status: 'ran' });
    expect(run.body.run).to.include({ status: 'succeeded' });
    expect(list.body.data).to.have.length(1);
    const expectedExcl = [...cdrs.map((c) => c.totalCostExclVat), credit.totalCostExclVat].reduce((s, x) => s.add(Decimal.parse(x)), Decimal.ZERO).toString();
    expect(json.body.totals).to.deep.equal([{ currency: 'EUR', cdrCount: 4, creditCount: 1, kwh: '10.001', totalTimeHours: '2', totalParkingHours: '0', costExclVat: expectedExcl, costInclVat: json.body.totals[0].costInclVat }]);
    expect(expectedExcl).to.equal('3.9'); // 3.40 + 1.47 + 0.50 (0.50029) - 1.47 (the credited CDR nets out)
    expect(json.body).to.include({ granularity: 'DAILY', periodStart: '2026-03-10T00:00:00.000Z', periodEnd: '2026-03-11T00:00:00.000Z', timeZone: 'UTC', cdrCount: 4 });
    expect(json.body.reconciliation).to.include({ delivered: 0, pending: 1, notPushed: 3 }); // only the credit was queued (the others were stored directly)
    expect(json.body.lines.map((l: any) => l.cdrId)).to.deep.equal([cdrs[0]!.cdrId, cdrs[1]!.cdrId, cdrs[2]!.cdrId, credit.cdrId]);
    expect(csv.status).to.equal(200);
    expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
    const rows = (csv.body as string).trim().split('\r\n');
    expect(rows).to.have.length(1 + 4 + 1);
    expect(rows.at(-1)).to.equal(`TOTAL,4 CDRs (1 credit),,,EUR,,10.001,2,0,${expectedExcl},${json.body.totals[0].costInclVat},,`);
    // immutable: a re-run changes nothing
    expect((await t.api('POST', '/api/v1/jobs/settlement/run')).body.run.counts).to.deep.equal({ statements: 0, cdrs: 0 });
    expect((await t.api('GET', `/api/v1/statements/${id}`)).body.totals).to.deep.equal(json.body.totals);
  });

  it('should register stale-sessions and settlement as jobs that run on demand under their lock', async () => {
    const names = (await t.api('GET', '/api/v1/jobs')).body.data;
    const run = await t.api('POST', '/api/v1/jobs/stale-sessions/run');
    expect(names).to.include.members(['stale-sessions', 'settlement', 'idle-connectors', 'zombie-sessions']);
    expect(run.body).to.deep.include({ status: 'ran' });
    expect(run.body.run).to.include({ status: 'succeeded', job: 'stale-sessions' });
    expect(run.body.run.counts).to.deep.equal({ closed: 0, failed: 0 });
  });

  it('should answer 404 for an unknown statement and 400 for a bad granularity', async () => {
    expect((await t.api('GET', '/api/v1/statements/424242')).status).to.equal(404);
    expect((await t.api('GET', '/api/v1/statements/424242.csv')).status).to.equal(404);
    expect((await t.api('GET', '/api/v1/statements?granularity=WEEKLY')).status).to.equal(400);
  });
});
