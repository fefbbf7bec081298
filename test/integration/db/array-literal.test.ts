// The array literals of the batched writers (issue 8) read back exactly what was written, on PGlite and on
// PostgreSQL: quotes, backslashes, separators, braces, the word NULL, empty strings and nulls included.
import { expect } from 'chai';
import { toArrayLiteral } from '../../../src/db/array-literal.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

describe('integration db: array literals', () => {
  let t: TestDb;

  before(async () => {
    t = await createTestDb();
  });

  after(async () => {
    await t.destroy();
  });

  it('should read back every text element as written, in order', async () => {
    const values = ['plain', 'a "quoted" word', 'back\\slash', 'comma, and {braces}', 'NULL', '', null, ' spaced ', 'ünïcode €', 'line\nbreak'];

    const { rows } = await t.db.raw('select v from unnest(?::text[]) with ordinality as x(v, n) order by n', [toArrayLiteral(values)]);

    expect(rows.map((r: { v: string | null }) => r.v)).to.deep.equal(values);
  });

  it('should read back integers, decimals and timestamps in their types', async () => {
    const at = ['2026-03-01T10:00:00.123Z', '2026-03-01T10:00:01.000Z'];

    const { rows } = await t.db.raw('select i, d::text as d, ts from unnest(?::int[], ?::numeric[], ?::timestamptz[]) with ordinality as x(i, d, ts, n) order by n', [toArrayLiteral([7, null]), toArrayLiteral(['12345.678', '-0.5']), toArrayLiteral(at)]);

    expect(rows.map((r: { i: number | null; d: string; ts: Date }) => [r.i, r.d, new Date(r.ts).toISOString()])).to.deep.equal([
      [7, '12345.678', at[0]],
      [null, '-0.5', at[1]],
    ]);
  });
});
