import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { hashGeneratedSecret, verifyGeneratedSecret } from '../../../src/shared/password.ts';

describe('unit shared/password generated secrets (sha256$)', () => {
  it('OCPP 1.6 security / 2.0.1 A01: should accept a key as its bytes (1.6 AuthorizationKey) and as the hex text sent (2.0.1 BasicAuthPassword)', () => {
    const key = randomBytes(20);
    const stored = hashGeneratedSecret(key);
    const hex = key.toString('hex').toUpperCase();

    expect([verifyGeneratedSecret(key, stored), verifyGeneratedSecret(hex, stored), verifyGeneratedSecret(Buffer.from(hex), stored), verifyGeneratedSecret(hex.toLowerCase(), stored)]).to.deep.equal([true, true, true, true]);
  });

  it('should refuse another key in either form, and hex text of the wrong length', () => {
    const key = randomBytes(20);
    const stored = hashGeneratedSecret(key);
    const other = randomBytes(20);

    expect([verifyGeneratedSecret(other, stored), verifyGeneratedSecret(other.toString('hex'), stored), verifyGeneratedSecret(key.toString('hex').slice(0, 30), stored), verifyGeneratedSecret(`${key.toString('hex')}00`.repeat(2), stored)]).to.deep.equal([false, false, false, false]);
  });

  it('should still verify a generated text secret as the text', () => {
    const secret = randomBytes(24).toString('base64url');
    expect(verifyGeneratedSecret(secret, hashGeneratedSecret(secret))).to.equal(true);
  });
});
