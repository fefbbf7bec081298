import type { Knex } from 'knex';
import { GroupCommitWriter } from '../db/group-commit.ts';
import { isDatabaseUnavailable } from '../db/pg-errors.ts';
import * as connectionRepo from './connection.repo.ts';

export interface AuthLookupOptions {
  db: Knex;
  /** How long the first handshake of an idle lookup waits for others (0: the next turn of the event loop). */
  windowMs?: number;
  /** Most charger ids in one query. */
  maxBatch?: number;
  /** Queries in flight at once. */
  maxInFlight?: number;
}

/**
 * The handshakes' charger lookups, batched (issue 8, reconnect storm): the ids of the handshakes that arrive
 * within a few milliseconds, and all that arrive while a query runs, are read in ONE `id = any($1)` query
 * instead of one query each. The batching core is the group-commit writer's; here it only reads. A failed
 * query is retried id by id (each handshake gets its own outcome), unless the database is unavailable:
 * then every handshake of that batch fails alike (the OCPP endpoint refuses them with 503 and Retry-After).
 */
export function createAuthLookup(o: AuthLookupOptions): GroupCommitWriter<string, connectionRepo.AuthRecord | undefined> {
  return new GroupCommitWriter({
    sink: {
      writeBatch: (ids) => connectionRepo.findAuthRecords(o.db, ids),
      writeOne: (id) => connectionRepo.findAuthRecord(o.db, id),
      isRetryable: (err) => !isDatabaseUnavailable(err),
    },
    windowMs: o.windowMs ?? 2,
    maxBatch: o.maxBatch ?? 500,
    maxInFlight: o.maxInFlight ?? 2,
  });
}
