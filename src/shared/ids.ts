import { createHash, randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';

/** A random UUID v4 (OCPI object ids, message ids). */
export function newUuid(): string {
  return randomUUID();
}

/** A random URL-safe secret of `bytes` bytes of entropy (API keys, OCPI credential tokens). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Hash of a password for storage: scrypt with a random salt, encoded as `scrypt$<salt>$<hash>`.
 * Used for charger passwords (OCPP security profile 1/2), which are short-ish and human-set.
 */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Constant-time check of a password against a `hashPassword` result; false for any malformed hash. */
export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const actual = scryptSync(password, Buffer.from(saltB64, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * SHA-256 of a high-entropy secret (API keys, OCPI tokens). These are random 256-bit values, so a fast
 * hash is enough and lets us look the secret up by its hash.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
