// Settlement: UTC periods, per-currency totals that are exactly the signed sum of the CDRs, reconciliation, CSV.
import { expect } from 'chai';
import { isClosed, lastClosedPeriod, periodOf, reconcile, settle, type Granularity, type SettlementLine } from '../../../src/billing/settlement.ts';
import { toStatementCsv } from '../../../src/billing/statement-csv.ts';
import type { Statement } from '../../../src/billing/statement.types.ts';

function aLine(over: Partial<SettlementLine> = {}): SettlementLine {
  return { cdrId: 'C1', sessionId: 'S1', createdAt: new Date('2024-03-10T10:00:00Z'), currency: 'EUR', credit: false, kwh: '10', totalTimeHours: '1', totalParkingHours: '0', costExclVat: '2.5', costInclVat: '3.03', ...over };
}

describe('billing/settlement', () => {
  describe('periodOf / lastClosedPeriod', () => {
    const cases: Array<{ name: string; granularity: Granularity; at: string; start: string; end: string; timeZone?: string }> = [
      { name: 'should take the UTC day', granularity: 'DAILY', at: '2024-03-10T23:59:59.999Z', start: '2024-03-10T00:00:00.000Z', end: '2024-03-11T00:00:00.000Z' },
      { name: 'should take the UTC month', granularity: 'MONTHLY', at: '2024-02-29T12:00:00Z', start: '2024-02-01T00:00:00.000Z', end: '2024-03-01T00:00:00.000Z' },
      { name: 'should roll December into the next year', granularity: 'MONTHLY', at: '2024-12-31T23:00:00Z', start: '2024-12-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' },
      { name: 'should ignore DST: a UTC day is always 24 h', granularity: 'DAILY', at: '2024-03-31T01:30:00Z', start: '2024-03-31T00:00:00.000Z', end: '2024-04-01T00:00:00.000Z' },
      // Issue 9: an own party settles in its own time zone
      { name: "should take the party's local day: Zurich's 2024-03-31 is 23 h (DST)", granularity: 'DAILY', at: '2024-03-30T23:30:00Z', start: '2024-03-30T23:00:00.000Z', end: '2024-03-31T22:00:00.000Z', timeZone: 'Europe/Zurich' },
      { name: "should take the party's local day west of UTC", granularity: 'DAILY', at: '2024-03-11T03:59:00Z', start: '2024-03-10T05:00:00.000Z', end: '2024-03-11T04:00:00.000Z', timeZone: 'America/New_York' },
      { name: "should take the party's local month, across a DST change", granularity: 'MONTHLY', at: '2024-10-31T23:30:00Z', start: '2024-10-31T23:00:00.000Z', end: '2024-11-30T23:00:00.000Z', timeZone: 'Europe/Zurich' },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const p = periodOf(c.granularity, new Date(c.at), c.timeZone);
        expect([p.start.toISOString(), p.end.toISOString()]).to.deep.equal([c.start, c.end]);
      });
    }

    it('should close the previous day only once the grace time has passed', () => {
      const grace = 15 * 60_000;
      expect(lastClosedPeriod('DAILY', new Date('2024-03-11T00:10:00Z'), grace).start.toISOString()).to.equal('2024-03-09T00:00:00.000Z');
      expect(lastClosedPeriod('DAILY', new Date('2024-03-11T00:15:00Z'), grace).start.toISOString()).to.equal('2024-03-10T00:00:00.000Z');
      expect(isClosed(periodOf('DAILY', new Date('2024-03-10T12:00:00Z')), new Date('2024-03-11T00:14:59Z'), grace)).to.equal(false);
      expect(lastClosedPeriod('MONTHLY', new Date('2024-03-01T01:00:00Z'), grace).start.toISOString()).to.equal('2024-02-01T00:00:00.000Z');
    });
  });

  describe('settle', () => {
    const cases: Array<{ name: string; lines: SettlementLine[]; expected: ReturnType<typeof settle> }> = [
      { name: 'should give nothing for no CDRs', lines: [], expected: [] },
      {
        // 0.1 + 0.2 is 0.30000000000000004 in binary floating point: exact decimals give 0.3
        name: 'should add amounts exactly (no binary floating point)',
        lines: [aLine({ costExclVat: '0.1', costInclVat: '0.12' }), aLine({ cdrId: 'C2', costExclVat: '0.2', costInclVat: '0.24', kwh: '0.001' })],
        expected: [{ currency: 'EUR', cdrCount: 2, creditCount: 0, kwh: '10.001', totalTimeHours: '2', totalParkingHours: '0', costExclVat: '0.3', costInclVat: '0.36' }],
      },
      {
        // cdrs §10.2.1.1: a credit CDR has the negated total_cost and the original's volumes: it nets to zero
        name: 'should net a credit CDR against the CDR it credits',
        lines: [
          aLine({ totalParkingHours: '0.5' }),
          aLine({ cdrId: 'C1-C', credit: true, costExclVat: '-2.5', costInclVat: '-3.03', totalParkingHours: '0.5' }),
          aLine({ cdrId: 'C3', kwh: '7.25', totalTimeHours: '0.75', costExclVat: '1.81', costInclVat: '2.19' }),
        ],
        expected: [{ currency: 'EUR', cdrCount: 3, creditCount: 1, kwh: '7.25', totalTimeHours: '0.75', totalParkingHours: '0', costExclVat: '1.81', costInclVat: '2.19' }],
      },
      {
        name: 'should keep one total per currency, sorted',
        lines: [aLine({ currency: 'SEK', costExclVat: '25', costInclVat: '31.25' }), aLine({ cdrId: 'C2' }), aLine({ cdrId: 'C3', currency: 'SEK', costExclVat: '5.5', costInclVat: '6.88' })],
        expected: [
          { currency: 'EUR', cdrCount: 1, creditCount: 0, kwh: '10', totalTimeHours: '1', totalParkingHours: '0', costExclVat: '2.5', costInclVat: '3.03' },
          { currency: 'SEK', cdrCount: 2, creditCount: 0, kwh: '20', totalTimeHours: '2', totalParkingHours: '0', costExclVat: '30.5', costInclVat: '38.13' },
        ],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(settle(c.lines)).to.deep.equal(c.expected);
      });
    }

    it('should equal the signed sum of 1000 CDRs of 0.01', () => {
      const lines = Array.from({ length: 1000 }, (_, i) => aLine({ cdrId: `C${i}`, costExclVat: '0.01', costInclVat: '0.01', kwh: '0.001' }));
      expect(settle(lines)[0]).to.include({ costExclVat: '10', kwh: '1', cdrCount: 1000 });
    });
  });

  it('should count deliveries and list the CDRs not yet acknowledged', () => {
    const r = reconcile([
      { cdrId: 'A', state: 'DELIVERED' },
      { cdrId: 'B', state: 'PENDING' },
      { cdrId: 'C', state: 'FAILING' },
      { cdrId: 'D', state: 'NONE' },
      { cdrId: 'E', state: 'DELIVERED' },
      { cdrId: 'F', state: 'DEAD' },
      { cdrId: 'G', state: 'CANCELLED' },
    ]);
    // DEAD/CANCELLED pushes are never retried by the worker: counted on their own, still not acknowledged
    expect(r).to.deep.equal({ delivered: 2, pending: 1, failing: 1, dead: 1, cancelled: 1, notPushed: 1, undelivered: ['B', 'C', 'F', 'G'] });
  });

  it('should write one CSV line per CDR and one total line per currency, quoting where needed', () => {
    const lines = [aLine(), aLine({ cdrId: 'C1-C', sessionId: 'S,1', credit: true, costExclVat: '-2.5', costInclVat: '-3.03', closeReason: 'SUPERSEDED' })];
    const statement: Statement = { id: 7, partyFk: 1, partnerFk: 3, granularity: 'DAILY', periodStart: new Date('2024-03-10T00:00:00Z'), periodEnd: new Date('2024-03-11T00:00:00Z'), timeZone: 'UTC', cdrCount: 2, lateCdrCount: 0, totals: settle(lines), createdAt: new Date('2024-03-11T00:20:00Z') };
    const csv = toStatementCsv(statement, lines, new Map([['C1', 'DELIVERED'], ['C1-C', 'PENDING']]));
    expect(csv.split('\r\n')).to.deep.equal([
      'line,cdr_id,session_id,created_at,currency,credit,kwh,total_time_h,total_parking_time_h,cost_excl_vat,cost_incl_vat,delivery,closed_by_cpms',
      'CDR,C1,S1,2024-03-10T10:00:00.000Z,EUR,false,10,1,0,2.5,3.03,DELIVERED,',
      'CDR,C1-C,"S,1",2024-03-10T10:00:00.000Z,EUR,true,10,1,0,-2.5,-3.03,PENDING,SUPERSEDED',
      'TOTAL,2 CDRs (1 credit),,,EUR,,0,0,0,0,0,,',
      '',
    ]);
  });
});
