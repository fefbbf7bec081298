import type { Db } from '../db/knex.ts';

/**
 * Turns PostgreSQL's JIT off for the rest of the transaction `trx`. An analytics plan over a year of rows is
 * costed high enough to be JIT-compiled, which took longer (about a second) than running it: measured with
 * bench/analytics.bench.ts.
 */
export async function disableJit(trx: Db): Promise<void> {
  await trx.raw('set local jit = off');
}
