// Settlement statements on a real database: per partner and UTC period, totals equal to the CDRs they
// cover, immutable once closed, late CDRs in the next statement, delivery reconciliation from the outbox.
import { expect } from 'chai';
import { buildCdr, buildCreditCdr } from '../../../src/billing/cdr-builder.ts';
import { insertCdr } from '../../../src/billing/cdr.repo.ts';
import type { CdrRecord } from '../../../src/billing/cdr.types.ts';
import { StatementService } from '../../../src/billing/statement.service.ts';
import { getDefaultParty } from '../../../src/parties/party.repo.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { Decimal } from '../../../src/shared/money.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aCdrSources } from '../../fixtures/billing.ts';
import { aRegisteredPartner } from '../../fixtures/partners.ts';
import { aComponent, anElement, aTariff } from '../../fixtures/tariffs.ts';

const tariff = aTariff({ elements: [anElement([aComponent('ENERGY', 0.35, { vat: 21 }), aComponent('PARKING_TIME', 2, { vat: 21, step_size: 60 })])] });
let n = 0;

describe('billing: settlement statements', () => {
  const t = useTestDb();
  let partyFk: number;
  const clock = fixedClock(new Date('2024-03-10T12:00:00Z'));
  let statements: StatementService;

  before(async () => {
    partyFk = (await getDefaultParty(t.db)).id;
    statements = new StatementService({ db: t.db, clock, logger: createLogger('error'), graceMs: 15 * 60_000 });
  });

  /** A CDR of `wh` Wh issued at `createdAt` for `partnerFk` (null = local token). */
  async function aCdr(partnerFk: number | null, createdAt: string, wh: number): Promise<CdrRecord> {
    const now = new Date(createdAt);
    const body = buildCdr(aCdrSources({ id: `CDR-${++n}`, tariff, now, session: { uid: `S-${n}`, meterStopWh: wh, startAt: new Date(now.getTime() - 3_600_000), stopAt: now } }));
    return insertCdr(t.db, { partyFk, sessionFk: null, partnerFk, body, createdAt: now });
  }

  async function aCredit(of: CdrRecord, createdAt: string): Promise<CdrRecord> {
    const body = buildCreditCdr(of.body, { now: new Date(createdAt) });
    return insertCdr(t.db, { partyFk, sessionFk: null, partnerFk: of.partnerFk, body, createdAt: new Date(createdAt) });
  }

  const sum = (xs: string[]): string => xs.reduce((a, x) => a.add(Decimal.parse(x)), Decimal.ZERO).toString();

  it('should close one statement per partner and day whose totals equal the signed sum of its CDRs', async () => {
    // Arrange: partner A has 3 CDRs and a credit on 10 March, the operator's own tokens 1 CDR, partner B 1 CDR on 11 March
    const a = (await aRegisteredPartner(t.db)).partner;
    const b = (await aRegisteredPartner(t.db)).partner;
    const a1 = await aCdr(a.id, '2024-03-10T08:00:00Z', 12_345);
    const a2 = await aCdr(a.id, '2024-03-10T13:30:00Z', 7_000);
    const a3 = await aCdr(a.id, '2024-03-10T23:59:59Z', 1);
    const a1c = await aCredit(a1, '2024-03-10T20:00:00Z');
    const local = await aCdr(null, '2024-03-10T09:00:00Z', 5_000);
    await aCdr(b.id, '2024-03-11T01:00:00Z', 3_000);
    // Act: 00:20 UTC on 11 March, past the 15 min grace
    clock.set(new Date('2024-03-11T00:20:00Z'));
    const result = await statements.settleClosedPeriods();
    // Assert
    expect(result).to.deep.equal({ statements: 2, cdrs: 5 });
    const [ofA] = await statements.list({ partnerFk: a.id, offset: 0, limit: 10 });
    expect(ofA).to.include({ granularity: 'DAILY', cdrCount: 4, lateCdrCount: 0, timeZone: 'UTC' });
    expect(ofA!.periodStart.toISOString()).to.equal('2024-03-10T00:00:00.000Z');
    const covered = [a1, a2, a3, a1c];
    const [eur] = ofA!.totals;
    expect(eur).to.deep.equal({
      currency: 'EUR',
      cdrCount: 4,
      creditCount: 1,
      kwh: '7.001', // 12.345 + 7 + 0.001 - 12.345 (credited)
      totalTimeHours: '2',
      totalParkingHours: sum(covered.map((c) => (c.credit ? `-${c.totalParkingHours}` : c.totalParkingHours))),
      costExclVat: sum(covered.map((c) => c.totalCostExclVat)),
      costInclVat: sum(covered.map((c) => c.totalCostInclVat)),
    });
    expect(eur!.costExclVat).to.equal(sum([a2.totalCostExclVat, a3.totalCostExclVat]));
    const [ofLocal] = await statements.list({ partnerFk: null, offset: 0, limit: 10 });
    expect(ofLocal!.totals[0]).to.include({ cdrCount: 1, costInclVat: local.totalCostInclVat });
    expect(await statements.list({ partnerFk: b.id, offset: 0, limit: 10 })).to.deep.equal([]); // 11 March is not closed
    expect(await statements.list({ granularity: 'MONTHLY', offset: 0, limit: 10 })).to.deep.equal([]); // nor is March
  });

  it('should never change a closed statement: a late CDR goes into the next statement', async () => {
    const p = (await aRegisteredPartner(t.db)).partner;
    await aCdr(p.id, '2024-04-02T10:00:00Z', 1_000);
    clock.set(new Date('2024-04-03T01:00:00Z'));
    await statements.settleClosedPeriods();
    const [closed] = await statements.list({ partnerFk: p.id, offset: 0, limit: 10 });
    // a CDR committed late with a time inside the closed day, then a re-run
    const late = await aCdr(p.id, '2024-04-02T23:59:00Z', 2_000);
    expect(await statements.settleClosedPeriods()).to.deep.equal({ statements: 0, cdrs: 0 });
    const again = await statements.get(closed!.id);
    expect(again.statement).to.deep.equal(closed);
    expect(again.lines.map((l) => l.cdrId)).to.have.length(1);
    // next day closes: the late CDR is settled there, flagged as late
    await aCdr(p.id, '2024-04-03T10:00:00Z', 3_000);
    clock.set(new Date('2024-04-04T01:00:00Z'));
    await statements.settleClosedPeriods();
    const [next] = await statements.list({ partnerFk: p.id, granularity: 'DAILY', offset: 0, limit: 1 });
    expect(next).to.include({ cdrCount: 2, lateCdrCount: 1 });
    expect((await statements.get(next!.id)).lines.map((l) => l.cdrId)).to.include(late.body.id);
  });

  it('should close the month once it has ended, covering every CDR of the month once', async () => {
    const p = (await aRegisteredPartner(t.db)).partner;
    const cdrs = [await aCdr(p.id, '2024-06-01T00:00:00Z', 1_000), await aCdr(p.id, '2024-06-15T12:00:00Z', 2_000), await aCdr(p.id, '2024-06-30T23:59:59Z', 3_000)];
    await aCdr(p.id, '2024-07-01T00:00:00Z', 4_000);
    clock.set(new Date('2024-07-01T00:30:00Z'));
    await statements.settleClosedPeriods();
    const [month] = await statements.list({ partnerFk: p.id, granularity: 'MONTHLY', offset: 0, limit: 10 });
    expect(month).to.include({ cdrCount: 3 });
    expect(month!.totals[0]).to.include({ kwh: '6', costExclVat: sum(cdrs.map((c) => c.totalCostExclVat)) });
    expect(await statements.settleClosedPeriods()).to.deep.equal({ statements: 0, cdrs: 0 });
  });

  it('should reconcile delivered (1000) against pending, failing, dead and cancelled pushes from the outbox', async () => {
    const p = (await aRegisteredPartner(t.db)).partner;
    const made = [await aCdr(p.id, '2024-08-01T01:00:00Z', 1), await aCdr(p.id, '2024-08-01T02:00:00Z', 1), await aCdr(p.id, '2024-08-01T03:00:00Z', 1), await aCdr(p.id, '2024-08-01T04:00:00Z', 1), await aCdr(p.id, '2024-08-01T05:00:00Z', 1), await aCdr(p.id, '2024-08-01T06:00:00Z', 1)];
    const outbox = (c: CdrRecord, status: string, attempts: number, lastError: string | null) => ({ partner_fk: p.id, module: 'cdrs', role: 'RECEIVER', method: 'POST', path: '', body: JSON.stringify(c.body), object_key: `cdr:${c.body.id}`, status, attempts, last_error: lastError });
    await t.db('ocpi_outbox').insert([outbox(made[0]!, 'DELIVERED', 1, null), outbox(made[1]!, 'PENDING', 0, null), outbox(made[2]!, 'PENDING', 3, 'status_code 2001'), outbox(made[4]!, 'DEAD', 1, 'no cdrs RECEIVER endpoint'), outbox(made[5]!, 'CANCELLED', 2, 'cancelled: partner unregistered')]);
    clock.set(new Date('2024-08-02T01:00:00Z'));
    await statements.settleClosedPeriods();
    const [s] = await statements.list({ partnerFk: p.id, offset: 0, limit: 1 });
    const { reconciliation } = await statements.get(s!.id);
    expect(reconciliation).to.deep.equal({ delivered: 1, pending: 1, failing: 1, dead: 1, cancelled: 1, notPushed: 1, undelivered: [1, 2, 4, 5].map((i) => made[i]!.body.id) });
    const csv = await statements.csv(s!.id);
    expect(csv.split('\r\n').filter((l) => l.startsWith('CDR,')).map((l) => l.split(',')[11])).to.deep.equal(['DELIVERED', 'PENDING', 'FAILING', 'NONE', 'DEAD', 'CANCELLED']);
  });
});
