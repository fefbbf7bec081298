import { expect } from 'chai';
import { decryptWithSecret, encryptWithSecret } from '../../../src/security/key-encryption.ts';

describe('unit security/key-encryption (operator CA key at rest)', () => {
  it('should give back the plain text with the same secret, and never contain it', () => {
    const sealed = encryptWithSecret('-----BEGIN PRIVATE KEY-----x', 's3cret');

    expect(sealed).to.match(/^v1\$/).and.not.include('PRIVATE KEY');
    expect(decryptWithSecret(sealed, 's3cret')).to.equal('-----BEGIN PRIVATE KEY-----x');
  });

  it('should refuse a wrong secret and a tampered value', () => {
    const sealed = encryptWithSecret('key', 's3cret');
    const parts = sealed.split('$');
    parts[4] = Buffer.from('kez').toString('base64');

    expect(() => decryptWithSecret(sealed, 'other')).to.throw();
    expect(() => decryptWithSecret(parts.join('$'), 's3cret')).to.throw();
  });
});
