// The knex client for the embedded engine: knex-pglite's, with one change. PGlite executes a query
// synchronously on the main thread (PostgreSQL compiled to WebAssembly), and knex hands the single
// connection from one queued query to the next through promise callbacks alone (tarn resolves the
// waiting acquire in a microtask). A backlog of queries (a reconnect burst of hundreds of chargers) then
// runs from start to end without one turn of the event loop: no socket is read, no timer fires, and even
// /healthz waits seconds (issue 7: 8.6 s). Yielding to the event loop (setImmediate, after pending I/O)
// before every query lets I/O in between queries; one query at a time still holds the thread.
import ClientPgLite from 'knex-pglite';
import type { Knex } from 'knex';

interface QueryClient {
  _query(connection: unknown, obj: unknown): Promise<unknown>;
}

const BaseClient = ClientPgLite as unknown as new (config: Knex.Config) => QueryClient;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** knex-pglite's client, yielding one event-loop turn before each query. */
export class YieldingPgliteClient extends BaseClient {
  override async _query(connection: unknown, obj: unknown): Promise<unknown> {
    await nextTurn();
    return super._query(connection, obj);
  }
}
