import { expect } from 'chai';
import { redact, redactArgs, REDACTED } from '../../../src/shared/redact.ts';

describe('unit audit redact', () => {
  const cases: Array<{ name: string; input: unknown; expected: unknown }> = [
    { name: 'should redact password fields at any depth', input: { a: { password: 'x', newPassword: 'y', passwordHash: 'z' } }, expected: { a: { password: REDACTED, newPassword: REDACTED, passwordHash: REDACTED } } },
    { name: 'should redact tokens, keys, secrets and credentials', input: { token: 'a', tokenA: 'b', apiKey: 'c', key: 'd', key_hash: 'e', clientSecret: 'f', credentials: { token: 'g' }, authorization: 'h' }, expected: { token: REDACTED, tokenA: REDACTED, apiKey: REDACTED, key: REDACTED, key_hash: REDACTED, clientSecret: REDACTED, credentials: REDACTED, authorization: REDACTED } },
    { name: 'should redact a value that looks like an API key or session token whatever its field', input: { note: 'cpms_abcdefghijklmnopqrstuvwxyz012345', list: ['cpmsop_abcdefghijklmnopqrstuvwxyz0123'] }, expected: { note: REDACTED, list: [REDACTED] } },
    { name: 'should keep everything else, null secrets included', input: { id: 'T1', price: 2, keyFile: 'k.pem', monkey: 'x', password: null, items: [{ uid: 'A' }] }, expected: { id: 'T1', price: 2, keyFile: 'k.pem', monkey: 'x', password: null, items: [{ uid: 'A' }] } },
    { name: 'should keep plain values', input: 'text', expected: 'text' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(redact(c.input)).to.deep.equal(c.expected);
    });
  }

  it('should redact the values of secret CLI options in both spellings', () => {
    const args = ['charger', 'add', 'CP1', '--password', 'pw1', '--token=abc', '--role', 'admin', 'cpms_abcdefghijklmnopqrstuvwxyz012345'];

    expect(redactArgs(args)).to.deep.equal(['charger', 'add', 'CP1', '--password', REDACTED, `--token=${REDACTED}`, '--role', 'admin', REDACTED]);
  });
});
