import { expect } from 'chai';
import { isDatabaseUnavailable } from '../../../src/db/pg-errors.ts';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

describe('db/pg-errors isDatabaseUnavailable', () => {
  const cases: Array<{ name: string; err: unknown; expected: boolean }> = [
    { name: 'a refused connection (ECONNREFUSED)', err: withCode('ECONNREFUSED'), expected: true },
    { name: 'SQLSTATE 57P01 admin shutdown', err: withCode('57P01'), expected: true },
    { name: 'SQLSTATE 08006 connection failure', err: withCode('08006'), expected: true },
    { name: 'SQLSTATE 53300 too many connections', err: withCode('53300'), expected: true },
    { name: 'a pool timeout (KnexTimeoutError)', err: Object.assign(new Error('Timeout acquiring a connection'), { name: 'KnexTimeoutError' }), expected: true },
    { name: 'a connection lost mid-query', err: new Error('Connection terminated unexpectedly'), expected: true },
    { name: 'SQLSTATE 22021 (a NUL in a text): one value', err: withCode('22021'), expected: false },
    { name: 'SQLSTATE 23505 unique violation: one row', err: withCode('23505'), expected: false },
    { name: 'SQLSTATE 40P01 deadlock: transient, retried', err: withCode('40P01'), expected: false },
    { name: 'a domain error thrown by the batch code', err: new Error('charger CP-1 not found'), expected: false },
  ];
  for (const c of cases) {
    it(`should say ${c.expected ? 'unavailable' : 'not unavailable'} for ${c.name}`, () => {
      expect(isDatabaseUnavailable(c.err)).to.equal(c.expected);
    });
  }
});
