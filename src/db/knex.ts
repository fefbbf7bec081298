import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { EmbeddedPgliteClient, type PgliteConnection } from './pglite-client.ts';
import { acquireOwnerLock, type OwnerLock } from './owner-lock.ts';
import { embeddedStartParams, initClusterIfAbsent } from './pglite-init.ts';
import { PgliteThread, type EngineFailureListener } from './pglite-thread.ts';

export type Db = Knex | Knex.Transaction;

// Return bigint (int8) and numeric as strings from pg: energy and money must never pass through
// binary floats by accident. count(*) is int8 too, so repos convert counts explicitly.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export interface DbOptions {
  /** postgres:// URL of a PostgreSQL server; empty = embedded PGlite. */
  databaseUrl: string;
  /** Directory of the embedded database; 'memory://' for an in-memory one. */
  dataDir: string;
  /** Knex pool size for a PostgreSQL server. */
  poolMax?: number;
  /** Embedded only: start from a `dumpDataDir()` image instead of an empty cluster (tests reuse a migrated one). */
  loadDataDir?: Blob;
  /**
   * Embedded only: who opens the data directory (e.g. `cpms serve`), recorded in its owner lock and shown
   * to a second would-be owner. Defaults to this process's command line.
   */
  owner?: string;
  /** Embedded only: the data directory's owner lock, already taken by the caller (openDb). */
  ownerLock?: OwnerLock;
  /** Embedded only: called if the engine's thread dies; every statement fails from then on (pglite-thread.ts). */
  onEngineFailure?: EngineFailureListener;
}

/**
 * A named (prepared) statement is planned for the values of each execution, not once for any values: after five
 * executions PostgreSQL may keep a generic plan, chosen without the arrays' lengths and with the table sizes of
 * that moment. The MeterValues batch's statement (meter-batch.repo.ts) kept one planned while the sessions table
 * was small: with 10,000 sessions each batch took 1-1.7 s on the server. Unnamed statements are planned for their
 * values anyway; only the parse is saved now. The embedded database has the same setting (pglite-init.ts).
 */
function planEveryExecution(conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void): void {
  conn.query('set plan_cache_mode = force_custom_plan', (err) => done(err, conn));
}

/** Opens the database: PostgreSQL when a URL is given, otherwise an in-process PGlite engine. */
export function createDb(opts: DbOptions): Knex {
  if (opts.databaseUrl) {
    return knex({
      client: 'pg',
      connection: opts.databaseUrl,
      pool: { min: 0, max: opts.poolMax ?? 10, afterCreate: planEveryExecution },
      acquireConnectionTimeout: 30_000,
    });
  }
  let dataDir: string | undefined;
  let ownerLock: OwnerLock | undefined;
  if (opts.dataDir !== 'memory://') {
    const root = resolve(opts.dataDir);
    mkdirSync(root, { recursive: true });
    // Before PGlite touches a file: a second engine on the same files must never start (see owner-lock.ts).
    ownerLock = opts.ownerLock ?? acquireOwnerLock(root, opts.owner ?? defaultOwner());
    dataDir = join(root, 'pgdata');
    mkdirSync(dataDir, { recursive: true });
  }
  try {
    // On a thread of its own (pglite-thread.ts), with the same int8 rule as pg above.
    const pglite = new PgliteThread({ dataDir, loadDataDir: opts.loadDataDir, startParams: embeddedStartParams() }, opts.onEngineFailure);
    const connection: PgliteConnection = { pglite, ownerLock };
    return knex({
      client: EmbeddedPgliteClient as unknown as typeof knex.Client,
      dialect: 'postgres',
      connection,
      // PGlite is a single connection: a query issued outside a running transaction waits for it.
      // Surface such a mistake as an error rather than a hang.
      acquireConnectionTimeout: 60_000,
    } as Knex.Config);
  } catch (err) {
    ownerLock?.release();
    throw err;
  }
}

/**
 * createDb for a server or CLI command: a new embedded data directory is first given its cluster by a child
 * process (see pglite-init.ts), under the owner lock this process then keeps.
 */
export async function openDb(opts: DbOptions): Promise<Knex> {
  if (opts.databaseUrl || opts.dataDir === 'memory://' || opts.loadDataDir) return createDb(opts);
  const root = resolve(opts.dataDir);
  mkdirSync(root, { recursive: true });
  const ownerLock = acquireOwnerLock(root, opts.owner ?? defaultOwner());
  try {
    const pgdata = join(root, 'pgdata');
    mkdirSync(pgdata, { recursive: true });
    await initClusterIfAbsent(pgdata);
    return createDb({ ...opts, ownerLock });
  } catch (err) {
    ownerLock.release();
    throw err;
  }
}

function defaultOwner(): string {
  return process.argv.slice(1).join(' ').slice(0, 200) || 'node';
}

/** 'pglite' or 'pg', for log lines and the readiness probe. */
export function dbKind(db: Knex): 'pg' | 'pglite' {
  return db.client.config.client === 'pg' ? 'pg' : 'pglite';
}

/** Round trip to the database (readiness probe): rejects when it is unreachable. */
export async function pingDb(db: Knex): Promise<void> {
  await db.raw('select 1');
}
