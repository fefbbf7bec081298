import type { Knex } from 'knex';
import type { Config } from '../config/load.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';

export interface AppDeps {
  config: Config;
  db: Knex;
  logger: Logger;
  clock: Clock;
}
