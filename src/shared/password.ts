import { randomBytes, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';

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
