import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

// The operator CA's private key at rest: AES-256-GCM under a key derived (scrypt) from the configured secret
// (certificates.keySecret / CERTIFICATES_KEY_SECRET), so a database dump alone does not give the key away.

/** Encrypts `plain` under `secret` as `v1$<salt>$<iv>$<tag>$<ciphertext>` (base64 parts). */
export function encryptWithSecret(plain: string, secret: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', scryptSync(secret, salt, 32), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', salt, iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64'))).join('$');
}

/** Decrypts what encryptWithSecret made; throws on a wrong secret or a tampered value. */
export function decryptWithSecret(sealed: string, secret: string): string {
  const [version, salt, iv, tag, data] = sealed.split('$');
  if (version !== 'v1' || !data) throw new Error('encrypted key: unknown format');
  const decipher = createDecipheriv('aes-256-gcm', scryptSync(secret, Buffer.from(salt, 'base64'), 32), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
}
