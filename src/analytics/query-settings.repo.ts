import type { Db } from '../db/knex.ts';

/**
 * Settings for the rest of the analytics transaction `trx`. JIT off: an analytics plan over a year of rows is
 * costed high enough to be JIT-compiled, which took longer (about a second) than running it. work_mem 32 MB:
 * the sorts and range aggregates of a fleet's month (60,000 stored EVSE days) spilled to disk at the default
 * 4 MB. Both measured with bench/analytics.bench.ts.
 */
export async function analyticsSettings(trx: Db): Promise<void> {
  await trx.raw('set local jit = off');
  await trx.raw("set local work_mem = '32MB'");
}
