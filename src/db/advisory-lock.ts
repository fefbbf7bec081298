import type { Knex } from 'knex';
import { dbKind } from './knex.ts';

/**
 * The connection a holder of advisory locks (AdvisoryLocks) takes them on, outside the pool: open while at least one lock is
 * held or being taken, closed when the last is released (a test database can then be dropped, a process exit).
 * Each lock held on a pooled connection kept that connection for the whole job: when the jobs of one cron tick
 * (ten at the top of every minute) each held one of the pool's ten connections, none was left for their own
 * queries, and every job, charger and API call of the node waited for the pool's 60 s acquire timeout.
 */
class LockSession {
  private conn: Promise<unknown> | undefined;
  private users = 0;
  /** The last statement sent: a connection runs one at a time, and the holder's jobs lock and unlock at once. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Knex) {}

  async use<T>(fn: (conn: unknown) => Promise<T>): Promise<T> {
    this.users++;
    try {
      this.conn ??= this.db.client.acquireRawConnection();
      return await fn(await this.conn);
    } finally {
      if (--this.users === 0) await this.close();
    }
  }

  /**
   * Runs `statement` once the statements sent before it on this session are answered: node-postgres queues
   * overlapping queries on one client itself but deprecates it (an error in pg 9).
   */
  serial<T>(statement: () => PromiseLike<T>): Promise<T> {
    const answer = this.tail.then(statement, statement);
    this.tail = answer.then(
      () => undefined,
      () => undefined,
    );
    return answer;
  }

  private async close(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    const raw = await conn?.catch(() => undefined);
    if (raw) await this.db.client.destroyRawConnection(raw).catch(() => undefined);
  }
}

/**
 * PostgreSQL session advisory locks of one holder (a node's job scheduler, its load manager): `run(key, fn)` runs
 * `fn` while holding lock `key`, or returns `{ acquired: false }` at once when another session (another cpms node)
 * holds it. On a server the locks are taken on the holder's lock session (LockSession), not on a pooled
 * connection, so `fn` has the whole pool. PGlite has exactly one session (and so one node): the lock is taken
 * there, on the connection `fn` uses too.
 */
export class AdvisoryLocks {
  private readonly session: LockSession | undefined;

  constructor(private readonly db: Knex) {
    this.session = dbKind(db) === 'pglite' ? undefined : new LockSession(db);
  }

  async run<T>(key: string, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    const { db, session } = this;
    if (!session) return whileLocked((sql) => db.raw(sql, [key]), fn);
    return session.use((conn) => whileLocked((sql) => session.serial(() => db.raw(sql, [key]).connection(conn)), fn));
  }
}

/** Takes the lock with `query` (the statement run on the lock's session), runs `fn` and releases it. */
async function whileLocked<T>(query: (sql: string) => PromiseLike<{ rows: Array<{ ok?: boolean }> }>, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const { rows } = await query('select pg_try_advisory_lock(hashtext(?)) as ok');
  if (!rows[0].ok) return { acquired: false };
  try {
    return { acquired: true, value: await fn() };
  } finally {
    await query('select pg_advisory_unlock(hashtext(?))');
  }
}
