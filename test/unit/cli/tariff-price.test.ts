// `cpms tariff price --tariff <file> --cdr <file>` (issue 4): prices an OCPI CDR without a database and
// prints the priced CDR; bad input names the field and exits with code 2.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/index.ts';
import { loadExample } from '../../fixtures/tariffs.ts';

describe('cpms tariff price', () => {
  let dir: string;
  const file = (name: string, content: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const run = async (...args: string[]): Promise<{ code: number; text: string }> => {
    const lines: string[] = [];
    const code = await main(['node', 'cpms', 'tariff', 'price', ...args], (l) => lines.push(l));
    return { code, text: lines.join('\n') };
  };

  // SOURCE.md: cdr_example.json is TIME 1.973 h at 2.00/h, step_size 300 s, VAT 10 % -> 2 h billed.
  const cdr = loadExample<Record<string, any>>('cdr_example.json');
  const tariff = cdr.tariffs[0];
  const unpriced = { ...cdr, total_cost: { excl_vat: 0 }, total_time_cost: undefined };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cpms-tariff-price-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should print the spec example CDR priced as 4.00 / 4.40 with every total', async () => {
    // Act
    const { code, text } = await run('--tariff', file('t.json', tariff), '--cdr', file('c.json', unpriced));
    // Assert
    expect(code).to.equal(0);
    const priced = JSON.parse(text);
    expect(priced.total_cost).to.deep.equal({ excl_vat: 4, incl_vat: 4.4 });
    expect(priced.total_time_cost).to.deep.equal({ excl_vat: 4, incl_vat: 4.4 });
    for (const k of ['total_fixed_cost', 'total_energy_cost', 'total_parking_cost', 'total_reservation_cost']) {
      expect(priced[k], k).to.deep.equal({ excl_vat: 0, incl_vat: 0 });
    }
    // 21:39:09Z-23:37:32Z = 7103 s = 1.97306 h, written with 4 decimals (the example rounds to 1.973)
    expect(priced.total_time).to.equal(1.9731);
    expect(priced.total_parking_time).to.equal(0);
    expect(priced.total_energy).to.equal(15.342); // no ENERGY dimension: the CDR's own total is kept
    expect(priced.id).to.equal('12345');
  });

  it('should take the time zone from --time-zone for a tariff with local-time restrictions', async () => {
    const evening = { ...tariff, elements: [{ price_components: [{ type: 'TIME', price: 3, step_size: 1 }], restrictions: { start_time: '23:00', end_time: '06:00' } }] };
    const missing = await run('--tariff', file('e.json', evening), '--cdr', file('c.json', unpriced));
    expect(missing.code).to.equal(2);
    expect(missing.text).to.contain('cdr.cdr_location.time_zone');
    // 21:39:09Z-23:37:32Z is 23:39-01:37 in Brussels (CEST): the whole 1.973 h is in the window.
    const ok = await run('--tariff', file('e.json', evening), '--cdr', file('c.json', unpriced), '--time-zone', 'Europe/Brussels');
    expect(ok.code).to.equal(0);
    expect(JSON.parse(ok.text).total_cost).to.deep.equal({ excl_vat: 5.92, incl_vat: 5.92 });
  });

  const bad: Array<{ name: string; args: () => string[]; message: string }> = [
    { name: 'should name a bad tariff field', args: () => ['--tariff', file('b.json', { ...tariff, elements: [{ price_components: [{ type: 'TIME', price: 2, step_size: -300 }] }] }), '--cdr', file('c.json', unpriced)], message: 'tariff.elements[0].price_components[0].step_size' },
    { name: 'should name a bad CDR field', args: () => ['--tariff', file('t.json', tariff), '--cdr', file('b.json', { ...unpriced, charging_periods: [{ start_date_time: 'yesterday', dimensions: [] }] })], message: 'cdr.charging_periods[0].start_date_time' },
    { name: 'should name the option of an unreadable file', args: () => ['--tariff', join(dir, 'nope.json'), '--cdr', file('c.json', unpriced)], message: '--tariff: cannot read' },
    { name: 'should name the option of a file that is not JSON', args: () => ['--tariff', file('t.json', tariff), '--cdr', file('x.json', '{ not json')], message: '--cdr:' },
    { name: 'should refuse a CDR in another currency than the tariff', args: () => ['--tariff', file('t.json', tariff), '--cdr', file('u.json', { ...unpriced, currency: 'USD' })], message: 'cdr.currency' },
    { name: 'should require --cdr', args: () => ['--tariff', file('t.json', tariff)], message: '--cdr' },
  ];
  for (const c of bad) {
    it(`${c.name} and exit with code 2`, async () => {
      const { code, text } = await run(...c.args());
      expect(code).to.equal(2);
      expect(text).to.contain(c.message);
    });
  }
});
