import { expect } from 'chai';
import { assembleReport } from '../../../src/customer-information/report-parts.ts';

const at = new Date('2026-12-01T10:00:00Z');
const part = (seqNo: number, data: string, tbc = true) => ({ seqNo, data, tbc, generatedAt: at });

describe('customer-information/report-parts', () => {
  const cases = [
    { name: 'OCPP201 N09: should join the parts in seqNo order once the last (tbc false) and all before it came', parts: [part(2, 'c', false), part(0, 'a'), part(1, 'b')], want: { isComplete: true, data: 'abc' } },
    { name: 'should take a single part without tbc as the whole report', parts: [part(0, 'all', false)], want: { isComplete: true, data: 'all' } },
    { name: 'should wait while a part before the last is missing', parts: [part(0, 'a'), part(2, 'c', false)], want: { isComplete: false, data: null } },
    { name: 'should wait while the last part has not come', parts: [part(0, 'a'), part(1, 'b')], want: { isComplete: false, data: null } },
    { name: 'should wait for parts that do not start at seqNo 0', parts: [part(1, 'b', false)], want: { isComplete: false, data: null } },
    { name: 'should have no report without parts', parts: [], want: { isComplete: false, data: null } },
  ];
  for (const c of cases) it(c.name, () => expect(assembleReport(c.parts)).to.deep.equal(c.want));
});
