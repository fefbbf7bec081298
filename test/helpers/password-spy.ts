// A charger password hasher that counts what it is asked to do (and can hold verifications), around the
// real async scrypt one: tests see whether a handshake cost a password check, without timing anything.
import { scryptPasswords, type PasswordHasher } from '../../src/shared/password.ts';

export interface PasswordSpy {
  hasher: PasswordHasher;
  readonly verifications: number;
  readonly hashes: number;
  /** From now on verifications wait (counted, unfinished) until `release()`. */
  hold(): { release(): void };
}

export function aPasswordSpy(): PasswordSpy {
  let verifications = 0;
  let hashes = 0;
  let gate: Promise<void> | undefined;
  const hasher: PasswordHasher = {
    async hash(password) {
      hashes += 1;
      return scryptPasswords.hash(password);
    },
    async verify(password, stored) {
      verifications += 1;
      await gate;
      return scryptPasswords.verify(password, stored);
    },
  };
  return {
    hasher,
    get verifications() {
      return verifications;
    },
    get hashes() {
      return hashes;
    },
    hold() {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return {
        release() {
          gate = undefined;
          release();
        },
      };
    },
  };
}
