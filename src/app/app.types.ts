import type { Knex } from 'knex';
import type { Config } from '../config/load.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { PasswordHasher } from '../shared/password.ts';

export interface AppDeps {
  config: Config;
  db: Knex;
  logger: Logger;
  clock: Clock;
  /** Charger password hashing; async scrypt by default (tests inject a spy). */
  passwords?: PasswordHasher;
}
