import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { hashGeneratedSecret, hexKeyBytes, scryptPasswords, verifyGeneratedSecret, verifyStoredSecret, type PasswordHasher } from '../../../src/shared/password.ts';

// A hasher that records what reached the KDF (scrypt) path.
function aCountingHasher(): { hasher: PasswordHasher; verified: string[] } {
  const verified: string[] = [];
  return { verified, hasher: { hash: (p) => scryptPasswords.hash(p), verify: (p, stored) => (verified.push(stored), scryptPasswords.verify(p, stored)) } };
}

describe('unit shared/password generated secrets (sha256 scheme, issue 8)', () => {
  it('should verify the generated secret a sha256 hash was made of and refuse another', () => {
    const stored = hashGeneratedSecret('generated-secret-of-32-characters');

    expect(stored).to.match(/^sha256\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect([verifyGeneratedSecret('generated-secret-of-32-characters', stored), verifyGeneratedSecret('generated-secret-of-32-characterz', stored)]).to.deep.equal([true, false]);
  });

  it('should salt every hash (the same secret stored twice gives two different hashes)', () => {
    expect(hashGeneratedSecret('same')).to.not.equal(hashGeneratedSecret('same'));
  });

  it('should verify a binary AuthorizationKey as bytes (OCPP 1.6 security whitepaper), not as its latin1 text', () => {
    const key = Buffer.from('00ff10fe7f80c3280000000000000000000000aa', 'hex');
    const stored = hashGeneratedSecret(key);

    expect([verifyGeneratedSecret(key, stored), verifyGeneratedSecret(key.toString('latin1'), stored)]).to.deep.equal([true, false]);
  });

  it('should refuse (not throw) every secret for a malformed sha256 hash', () => {
    const good = hashGeneratedSecret('x');
    const malformed = ['', 'sha256$', 'sha256$$', 'sha256$zz$' + 'a'.repeat(64), 'sha256$00$' + 'a'.repeat(63), `${good}$extra`, good.replace('sha256', 'sha512'), 'sha256$0$' + 'a'.repeat(64)];

    expect(malformed.map((h) => verifyGeneratedSecret('x', h))).to.deep.equal(malformed.map(() => false));
  });

  it('should dispatch on the stored scheme: sha256 checked on the spot, scrypt through the hasher', async () => {
    const spy = aCountingHasher();
    const fast = hashGeneratedSecret('generated');
    const slow = await scryptPasswords.hash('chosen-password');

    const results = [await verifyStoredSecret(spy.hasher, 'generated', fast), await verifyStoredSecret(spy.hasher, 'wrong', fast), await verifyStoredSecret(spy.hasher, 'chosen-password', slow), await verifyStoredSecret(spy.hasher, 'wrong', slow)];

    expect(results).to.deep.equal([true, false, true, false]);
    expect(spy.verified).to.deep.equal([slow, slow]);
  });

  it('should refuse a malformed stored value of an unknown scheme through the hasher without throwing', async () => {
    const spy = aCountingHasher();

    expect(await verifyStoredSecret(spy.hasher, 'x', 'md5$abc$def')).to.equal(false);
  });

  it('OCPP 2.0.1 A01: should read 16-20 bytes of hex text (a BasicAuthPassword as sent) as the key bytes, any case', () => {
    const key = randomBytes(20);
    const hex = key.toString('hex').toUpperCase();

    expect([hexKeyBytes(hex), hexKeyBytes(Buffer.from(hex)), hexKeyBytes(hex.toLowerCase())]).to.deep.equal([key, key, key]);
  });

  it('should not read other text as key bytes: too short, too long, not hex', () => {
    const hex = randomBytes(20).toString('hex');

    expect([hexKeyBytes(hex.slice(0, 30)), hexKeyBytes(`${hex}00`), hexKeyBytes(`${hex.slice(0, 38)}zz`), hexKeyBytes('generated-secret-of-32-characters')]).to.deep.equal([undefined, undefined, undefined, undefined]);
  });

  it('should not verify a key\'s hex text against the key\'s hash by itself (OCPP 1.6: the text is not the key)', () => {
    const key = randomBytes(20);

    expect(verifyGeneratedSecret(key.toString('hex'), hashGeneratedSecret(key))).to.equal(false);
  });
});
