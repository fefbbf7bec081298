// The knex client for the embedded engine: knex-pglite's, with two changes.
// 1. PGlite executes a query synchronously on the main thread (PostgreSQL compiled to WebAssembly), and
//    knex hands the single connection from one queued query to the next through promise callbacks alone
//    (tarn resolves the waiting acquire in a microtask). A backlog of queries (a reconnect burst of
//    hundreds of chargers) then ran from start to end without one turn of the event loop: no socket was
//    read, no timer fired, and even /healthz waited seconds (issue 7: 8.6 s). Yielding to the event loop
//    (setImmediate runs after pending I/O) before every query lets I/O in between queries.
// 2. destroy() closes the engine even if no query ever ran, then releases the data directory's owner
//    lock: the next owner must never open files this engine still has open.
import ClientPgLite from 'knex-pglite';
import type { Knex } from 'knex';
import type { PGlite } from '@electric-sql/pglite';
import type { OwnerLock } from './owner-lock.ts';

/** What createDb passes as knex's `connection` for the embedded engine. */
export interface PgliteConnection {
  pglite: PGlite;
  /** The owner lock of the data directory (none for an in-memory database). */
  ownerLock?: OwnerLock;
}

interface BaseClientApi {
  config: { connection: PgliteConnection };
  _query(connection: unknown, obj: unknown): Promise<unknown>;
  destroy(callback?: (err?: unknown) => void): Promise<void>;
}

const BaseClient = ClientPgLite as unknown as new (config: Knex.Config) => BaseClientApi;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** knex-pglite's client, yielding one event-loop turn before each query and releasing the lock on destroy. */
export class EmbeddedPgliteClient extends BaseClient {
  override async _query(connection: unknown, obj: unknown): Promise<unknown> {
    await nextTurn();
    return super._query(connection, obj);
  }

  override async destroy(callback?: (err?: unknown) => void): Promise<void> {
    const { pglite, ownerLock } = this.config.connection;
    try {
      await super.destroy(callback);
      if (!pglite.closed) await pglite.close();
    } finally {
      ownerLock?.release();
    }
  }
}
