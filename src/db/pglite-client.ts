// The knex client for the embedded engine: knex-pglite's, whose engine is a PgliteThread (PGlite on a worker
// thread, pglite-thread.ts). destroy() closes the engine even if no query ever ran, then releases the data
// directory's owner lock: the next owner must never open files this engine still has open.
// (Before the engine had its own thread, this client yielded one event-loop turn before each query: a backlog
// of queries otherwise ran start to end without reading a socket, issue 7. A reply from the thread now
// arrives as an event of its own, so sockets are read in between.)
import ClientPgLite from 'knex-pglite';
import type { Knex } from 'knex';
import type { PgliteThread } from './pglite-thread.ts';
import type { OwnerLock } from './owner-lock.ts';

/** What createDb passes as knex's `connection` for the embedded engine. */
export interface PgliteConnection {
  pglite: PgliteThread;
  /** The owner lock of the data directory (none for an in-memory database). */
  ownerLock?: OwnerLock;
}

/** The part of knex's query object processResponse reads. */
interface QueryObject {
  method?: string;
  output?: unknown;
  returning?: unknown;
  response: { affectedRows?: number };
}

interface BaseClientApi {
  config: { connection: PgliteConnection };
  _query(connection: unknown, obj: unknown): Promise<unknown>;
  processResponse(obj: QueryObject, runner: unknown): unknown;
  destroy(callback?: (err?: unknown) => void): Promise<void>;
}

const BaseClient = ClientPgLite as unknown as new (config: Knex.Config) => BaseClientApi;

/** knex-pglite's client, closing its engine's thread and releasing the lock on destroy. */
export class EmbeddedPgliteClient extends BaseClient {
  /**
   * A delete (`del`) or an increment (`counter`) without `returning` resolves to the number of rows it changed, as on
   * PostgreSQL. knex-pglite names the response's command after knex's method ('DEL', 'COUNTER'), which knex's
   * PostgreSQL dialect does not know as DELETE or UPDATE: it answered with the whole result object, so that
   * `(await q.delete()) === 0` was never true on the embedded database (a missing webhook was "deleted").
   */
  override processResponse(obj: QueryObject, runner: unknown): unknown {
    if ((obj.method === 'del' || obj.method === 'counter') && !obj.output && !obj.returning) return obj.response.affectedRows ?? 0;
    return super.processResponse(obj, runner);
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
