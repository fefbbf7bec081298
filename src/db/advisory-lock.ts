import type { Knex } from 'knex';
import { dbKind } from './knex.ts';

/**
 * Runs `fn` while holding the PostgreSQL session advisory lock `key`, or returns `{ acquired: false }`
 * at once when another session (another cpms node) holds it. On a server the lock is taken on a
 * connection reserved for the duration, so it is released on the same session. PGlite has exactly one
 * session (and so one node): the lock is taken there without reserving the connection, which `fn` needs.
 */
export async function withAdvisoryLock<T>(db: Knex, key: string, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
  if (dbKind(db) === 'pglite') {
    const { rows } = await db.raw('select pg_try_advisory_lock(hashtext(?)) as ok', [key]);
    if (!rows[0].ok) return { acquired: false };
    try {
      return { acquired: true, value: await fn() };
    } finally {
      await db.raw('select pg_advisory_unlock(hashtext(?))', [key]);
    }
  }
  const conn = await db.client.acquireConnection();
  try {
    const { rows } = await db.raw('select pg_try_advisory_lock(hashtext(?)) as ok', [key]).connection(conn);
    if (!rows[0].ok) return { acquired: false };
    try {
      return { acquired: true, value: await fn() };
    } finally {
      await db.raw('select pg_advisory_unlock(hashtext(?))', [key]).connection(conn);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
}
