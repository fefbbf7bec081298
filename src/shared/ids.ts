import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A random UUID v4 (OCPI object ids, message ids). */
export function newUuid(): string {
  return randomUUID();
}

/** A random URL-safe secret of `bytes` bytes of entropy (API keys, OCPI credential tokens). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 of a high-entropy secret (API keys, OCPI tokens). These are random 256-bit values, so a fast
 * hash is enough and lets us look the secret up by its hash.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
