import { createHash, randomBytes, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';

/**
 * Hashes and checks charger passwords (OCPP security profiles 1/2). Asynchronous on purpose: scrypt costs
 * tens of milliseconds of CPU, which must run on the libuv pool, never on the event loop.
 */
export interface PasswordHasher {
  hash(password: BinaryLike): Promise<string>;
  /** Constant-time check against a `hash` result; false for a malformed hash. */
  verify(password: BinaryLike, stored: string): Promise<boolean>;
}

const KEY_LENGTH = 32;

function scryptAsync(password: BinaryLike, salt: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, length, (err, key) => (err ? reject(err) : resolve(key))));
}

/** scrypt (Node defaults N=16384, r=8, p=1) with a random salt, encoded as `scrypt$<salt>$<hash>`. */
export const scryptPasswords: PasswordHasher = {
  async hash(password) {
    const salt = randomBytes(16);
    const key = await scryptAsync(password, salt, KEY_LENGTH);
    return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
  },
  async verify(password, stored) {
    const [scheme, saltB64, hashB64] = stored.split('$');
    if (scheme !== 'scrypt' || !saltB64 || !hashB64) return false;
    const expected = Buffer.from(hashB64, 'base64');
    if (expected.length === 0) return false;
    const actual = await scryptAsync(password, Buffer.from(saltB64, 'base64'), expected.length);
    return timingSafeEqual(actual, expected);
  },
};

/**
 * A well-formed hash no password matches (its salt and key are random and thrown away): an unknown
 * charger's password is checked against it, so that it costs the same work as a wrong one.
 */
export const UNMATCHABLE_HASH = `scrypt$${randomBytes(16).toString('base64')}$${randomBytes(KEY_LENGTH).toString('base64')}`;

/*
 * Secrets cpms GENERATES itself (bulk-import passwords: 24 random bytes; onboarding AuthorizationKeys: 20
 * random bytes) carry 160-192 bits of entropy: no dictionary or brute force reaches them, so a KDF's
 * stretching protects nothing and only costs CPU (tens of ms per reconnect, minutes in a reconnect storm).
 * They are stored as `sha256$<salt>$<hex>`: SHA-256 over salt || secret, compared in constant time.
 * Operator-chosen passwords keep scrypt (a human-chosen secret can be guessed).
 */
const SHA256_SCHEME = 'sha256';

const sha256Of = (salt: Buffer, secret: BinaryLike): Buffer => createHash('sha256').update(salt).update(secret).digest();

/** The stored form of a secret cpms generated (never for operator-chosen passwords: they need scrypt). */
export function hashGeneratedSecret(secret: BinaryLike): string {
  const salt = randomBytes(16);
  return `${SHA256_SCHEME}$${salt.toString('hex')}$${sha256Of(salt, secret).toString('hex')}`;
}

// An AuthorizationKey as sent: 16-20 bytes in hexadecimal (OCPP 1.6 security whitepaper).
const HEX_KEY = /^(?:[0-9A-Fa-f]{2}){16,20}$/;

/**
 * The bytes of a generated key the charger presents as the hex text cpms sent it. A 1.6 charger decodes the
 * hex AuthorizationKey and sends its bytes (whitepaper: the text is NOT the key); an OCPP 2.0.1 station
 * uses SecurityCtrlr.BasicAuthPassword as the text itself (A01), so its handshakes also try these bytes.
 * Undefined when the secret is not 16-20 bytes of hex text.
 */
export function hexKeyBytes(secret: BinaryLike): Buffer | undefined {
  const text = typeof secret === 'string' ? secret : Buffer.isBuffer(secret) ? secret.toString('latin1') : undefined;
  return text !== undefined && HEX_KEY.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/** Constant-time check against a `hashGeneratedSecret` result; false (never a throw) for a malformed one. */
export function verifyGeneratedSecret(secret: BinaryLike, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 3 || parts[0] !== SHA256_SCHEME) return false;
  const [, saltHex, hashHex] = parts as [string, string, string];
  if (!/^(?:[0-9a-f]{2})+$/.test(saltHex) || !/^[0-9a-f]{64}$/.test(hashHex)) return false;
  return timingSafeEqual(sha256Of(Buffer.from(saltHex, 'hex'), secret), Buffer.from(hashHex, 'hex'));
}

/** Whether a stored hash is checked on the spot (generated secret) rather than by the async KDF. */
export const isGeneratedSecretHash = (stored: string): boolean => stored.startsWith(`${SHA256_SCHEME}$`);

/**
 * Checks a password against a stored hash with the scheme the hash names: `sha256$` (generated secrets)
 * at once, anything else (`scrypt$`) through the hasher, off the event loop. Existing hashes keep working.
 */
export async function verifyStoredSecret(hasher: PasswordHasher, password: BinaryLike, stored: string): Promise<boolean> {
  if (isGeneratedSecretHash(stored)) return verifyGeneratedSecret(password, stored);
  return hasher.verify(password, stored);
}
