// The embedded database's upkeep (issue 8): what autovacuum does on a PostgreSQL server, which PGlite lacks
// (upkeep-policy.ts says why and decides). Each table's VACUUM and ANALYZE are statements of their own, so the
// ingest's statements run between them; VACUUM freezes what it visits, so that pages once vacuumed are never
// read again by the wraparound vacuums (300,000 fresh readings: VACUUM (FREEZE) 44 ms here). It also checkpoints,
// as PGlite has no checkpointer either.
import type { Knex } from 'knex';
import { dbNow } from './clock.ts';
import { AUTOVACUUM_DEFAULTS, checkpointReason, upkeepActions, type TableActivity, type UpkeepAction, type UpkeepLimits, type WalPosition } from './upkeep-policy.ts';

/** Every table's counters (toast tables are vacuumed with their table), user tables and catalogs alike. */
export async function listTableActivity(db: Knex): Promise<TableActivity[]> {
  // This backend's counters reach the statistics views when it flushes them (at most once a second otherwise).
  await db.raw('select pg_stat_force_next_flush()');
  const { rows } = await db.raw(
    `select s.schemaname, s.relname, c.reltuples, s.n_live_tup, s.n_dead_tup, s.n_mod_since_analyze, s.n_ins_since_vacuum, age(c.relfrozenxid) as xid_age,
            extract(epoch from ?::timestamptz - greatest(s.last_analyze, s.last_autoanalyze))::float8 as since_analyze
       from pg_stat_all_tables s join pg_class c on c.oid = s.relid
      where s.schemaname in ('public', 'pg_catalog') and c.relkind in ('r', 'm')
      order by s.schemaname desc, s.relname`,
    [dbNow(db)],
  );
  return rows.map((r: Record<string, string | number>) => ({
    table: `${r.schemaname}.${r.relname}`,
    estimatedRows: Number(r.reltuples),
    liveRows: Number(r.n_live_tup),
    deadRows: Number(r.n_dead_tup),
    modifiedSinceAnalyze: Number(r.n_mod_since_analyze),
    insertedSinceVacuum: Number(r.n_ins_since_vacuum),
    xidAge: Number(r.xid_age),
    secondsSinceAnalyze: r.since_analyze === null ? null : Number(r.since_analyze),
  }));
}

/** WAL written since the last checkpoint began (its redo point), and the time since that checkpoint. */
export async function readWalPosition(db: Knex): Promise<WalPosition> {
  const { rows } = await db.raw(
    `select pg_wal_lsn_diff(pg_current_wal_lsn(), c.redo_lsn)::float8 as bytes, extract(epoch from ?::timestamptz - c.checkpoint_time)::float8 as seconds
       from pg_control_checkpoint() c`,
    [dbNow(db)],
  );
  return { bytesSinceCheckpoint: Number(rows[0].bytes), secondsSinceCheckpoint: Number(rows[0].seconds) };
}

/** What one upkeep run did. */
export interface UpkeepResult {
  vacuumed: number;
  analyzed: number;
  actions: UpkeepAction[];
  /** why it checkpointed (undefined: it did not) */
  checkpoint?: string;
}

/** ANALYZE of one table, with the statistics target given (the setting is this connection's, reset after). */
async function analyze(db: Knex, schema: string, table: string, statisticsTarget: number | undefined): Promise<void> {
  if (statisticsTarget === undefined) return void (await db.raw('analyze ??.??', [schema, table]));
  await db.raw(`set default_statistics_target = ${Math.trunc(statisticsTarget)}`);
  try {
    await db.raw('analyze ??.??', [schema, table]);
  } finally {
    await db.raw('reset default_statistics_target');
  }
}

/** Vacuums and analyzes the tables that need it, one statement each (VACUUM cannot run in a transaction). */
export async function runEmbeddedUpkeep(db: Knex, limits: Readonly<UpkeepLimits> = AUTOVACUUM_DEFAULTS): Promise<UpkeepResult> {
  const actions = upkeepActions(await listTableActivity(db), limits);
  let vacuumed = 0;
  let analyzed = 0;
  for (const a of actions) {
    const [schema, table] = a.table.split('.') as [string, string];
    // Two statements rather than VACUUM (ANALYZE): the ingest's statements run between them.
    if (a.vacuum) await db.raw('vacuum (freeze) ??.??', [schema, table]), vacuumed++;
    if (a.analyze) await analyze(db, schema, table, a.statisticsTarget), analyzed++;
  }
  // After the vacuums, whose WAL counts too.
  const checkpoint = checkpointReason(await readWalPosition(db), limits);
  if (checkpoint !== undefined) await db.raw('checkpoint');
  return { vacuumed, analyzed, actions, ...(checkpoint !== undefined ? { checkpoint } : {}) };
}
