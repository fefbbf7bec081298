// SQLSTATE class 22 (data exception) is the caller's bad value: translated to InvalidInput on both engines
// (PGlite by default, PostgreSQL with DATABASE_URL), so the HTTP interfaces answer 400 / 2001.
import { expect } from 'chai';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { toDomainError, translatePg } from '../../../src/db/pg-errors.ts';
import { InvalidInput } from '../../../src/shared/errors.ts';

describe('integration db/pg-errors', () => {
  const tdb = useTestDb();

  const failureOf = async (query: () => Promise<unknown>): Promise<unknown> => {
    try {
      await query();
    } catch (err) {
      return err;
    }
    throw new Error('the query did not fail');
  };

  const cases: Array<{ name: string; query: () => Promise<unknown>; message: string }> = [
    { name: 'a NUL in text (22021)', query: () => tdb.db('id_tokens').where({ uid: 'A\u0000B' }).first(), message: 'invalid value: a character the database cannot store (e.g. NUL, U+0000) (SQLSTATE 22021)' },
    { name: '\\u0000 in JSON (22P05)', query: () => tdb.db.raw('select ?::jsonb', [JSON.stringify({ a: 'x\u0000' })]), message: 'invalid value: a character the database cannot store (e.g. \\u0000 in JSON) (SQLSTATE 22P05)' },
    { name: 'an offset beyond bigint (22003)', query: () => tdb.db.raw('select 1 offset ?', ['99999999999999999999']), message: 'invalid value: a number out of range (SQLSTATE 22003)' },
    { name: 'a date/time out of range (22008)', query: () => tdb.db.raw('select ?::timestamptz', ['2026-13-45T00:00:00Z']), message: 'invalid value: a date/time out of range (SQLSTATE 22008)' },
  ];
  for (const c of cases) {
    it(`should translate ${c.name} into InvalidInput without the SQL`, async () => {
      const err = toDomainError(await failureOf(c.query));

      expect(err).to.be.instanceOf(InvalidInput);
      expect((err as Error).message).to.equal(c.message);
    });
  }

  it('should leave other errors as they are', async () => {
    const err = await failureOf(() => tdb.db.raw('select * from no_such_table'));

    expect(toDomainError(err)).to.equal(err);
  });

  it('should translate data exceptions in translatePg too', async () => {
    const err = await failureOf(() => translatePg('token', () => tdb.db('id_tokens').where({ uid: 'A\u0000B' }).first()));

    expect(err).to.be.instanceOf(InvalidInput);
  });
});
