// Database figures for monitoring (issue 14): the latency of every query and the connection pool's use.
import type { Knex } from 'knex';

interface QueryEvent {
  __knexQueryUid?: string;
}

/** Calls `observe` with each query's duration in seconds and whether it succeeded. */
export function observeQueries(db: Knex, observe: (seconds: number, ok: boolean) => void): void {
  const started = new Map<string, bigint>();
  const finish = (q: QueryEvent, ok: boolean) => {
    const uid = q?.__knexQueryUid;
    const at = uid && started.get(uid);
    if (!uid || at === undefined || at === '') return;
    started.delete(uid);
    observe(Number(process.hrtime.bigint() - at) / 1e9, ok);
  };
  db.on('query', (q: QueryEvent) => {
    if (q?.__knexQueryUid) started.set(q.__knexQueryUid, process.hrtime.bigint());
  });
  db.on('query-response', (_res: unknown, q: QueryEvent) => finish(q, true));
  db.on('query-error', (_err: unknown, q: QueryEvent) => finish(q, false));
}

export interface PoolUse {
  used: number;
  free: number;
  pending: number;
  max: number;
}

/** The pool's connections in use, idle, and acquisitions waiting; undefined when the client has no pool. */
export function poolUse(db: Knex): PoolUse | undefined {
  const pool = (db.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number; max: number } }).pool;
  if (!pool) return undefined;
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires(), max: pool.max };
}
