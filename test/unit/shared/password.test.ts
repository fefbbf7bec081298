import { expect } from 'chai';
import { scryptPasswords, UNMATCHABLE_HASH } from '../../../src/shared/password.ts';

describe('unit shared/password (charger passwords, async scrypt)', () => {
  it('should verify the password a hash was made of, as a string or as its bytes, and refuse another', async () => {
    const stored = await scryptPasswords.hash('charger-password-1');

    const results = await Promise.all([
      scryptPasswords.verify('charger-password-1', stored),
      scryptPasswords.verify(Buffer.from('charger-password-1'), stored),
      scryptPasswords.verify('charger-password-2', stored),
    ]);

    expect(stored).to.match(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(results).to.deep.equal([true, true, false]);
  });

  it('should verify a binary AuthorizationKey (OCPP 1.6 security whitepaper: bytes, not text)', async () => {
    const key = Buffer.from('00ff10fe7f80c3280000000000000000000000aa', 'hex');
    const stored = await scryptPasswords.hash(key);

    expect([await scryptPasswords.verify(key, stored), await scryptPasswords.verify(key.toString('latin1'), stored)]).to.deep.equal([true, false]);
  });

  it('should refuse every password for a malformed hash and for the unmatchable hash', async () => {
    const results = await Promise.all(['', 'scrypt$', 'bcrypt$abc$def', 'scrypt$c2FsdA==$'].map((h) => scryptPasswords.verify('x', h)));

    expect(results).to.deep.equal([false, false, false, false]);
    expect(await scryptPasswords.verify('', UNMATCHABLE_HASH)).to.equal(false);
  });

  it('should not block the event loop: an immediate queued after the check started runs before it ends', async () => {
    const order: string[] = [];
    const stored = await scryptPasswords.hash('charger-password-1');

    const check = scryptPasswords.verify('charger-password-1', stored).then(() => order.push('verified'));
    await new Promise<void>((resolve) => setImmediate(() => resolve(void order.push('immediate'))));
    await check;

    expect(order).to.deep.equal(['immediate', 'verified']);
  });
});
