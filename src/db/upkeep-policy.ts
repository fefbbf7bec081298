// Pure: which tables of the embedded database need a VACUUM or an ANALYZE (issue 8). PGlite runs PostgreSQL in
// single-user mode, where no autovacuum runs: without this upkeep its tables are never analyzed (the planner then
// guesses their sizes; a batch's energy update scanned every session, 9.6 ms for 16 sessions against 2.5 ms once
// analyzed), never vacuumed (dead rows stay), and never frozen (after about two billion transactions PostgreSQL
// stops accepting writes to protect itself from transaction id wraparound). The rules and thresholds are
// autovacuum's, with PostgreSQL's default settings (autovacuum.c, relation_needs_vacanalyze), but for three
// choices made because the embedded database has one connection and a VACUUM or ANALYZE holds it:
// - an append-only table is vacuumed after at most maxInsertsBetweenVacuums inserts, not after a fifth of its rows
//   (a vacuum's cost grows with the pages written since the last one: 20 % of ten million readings would hold
//   every charger's messages for a second);
// - a table over 10,000 rows is analyzed from a smaller sample (statistics target 10: 3,000 rows instead of 30,000;
//   500,000 readings 142 -> 16 ms, 60,000 live events 200 -> 30 ms): its queries go by index, and its columns' few
//   kinds or increasing times are described well enough by that sample;
// - a table is analyzed at most once a minute, as autovacuum visits a database once a minute (a fast-growing new
//   table passes the analyze threshold every few seconds, and the job runs every 10 seconds).
// Nor is there a checkpointer: single-user PostgreSQL checkpoints only when max_wal_size (1 GB) of WAL was
// written, so after a crash (kill -9, out of memory, power) the engine replayed all the WAL since (293 MB after
// 90 s of 1,000 chargers: 125 s before the node answered again; a full 1 GB, some seven minutes), and pg_wal kept
// that much disk. The upkeep checkpoints once checkpointWalBytes were written since the last checkpoint began, or
// checkpointIntervalSec passed (checkpoint_timeout's default): a checkpoint writes the dirty pages of 16 MB of
// shared buffers (11-13 ms under that load) and lets the WAL files before it be recycled.

/** One table's counters as pg_stat_all_tables and pg_class report them. */
export interface TableActivity {
  /** schema-qualified name */
  table: string;
  /** pg_class.reltuples: -1 while the table was never vacuumed or analyzed */
  estimatedRows: number;
  /** pg_stat n_live_tup: kept up to date by every insert and delete, where reltuples waits for the next vacuum or analyze */
  liveRows: number;
  deadRows: number;
  modifiedSinceAnalyze: number;
  insertedSinceVacuum: number;
  /** age(relfrozenxid): transactions since the table's oldest unfrozen transaction id */
  xidAge: number;
  /** seconds since its last ANALYZE (null: never analyzed) */
  secondsSinceAnalyze: number | null;
}

export interface UpkeepAction {
  table: string;
  vacuum: boolean;
  analyze: boolean;
  /** why: dead rows, inserts, wraparound, changes */
  reasons: string[];
  /** the statistics target of its ANALYZE, when not the default (a large table) */
  statisticsTarget?: number;
}

/** PostgreSQL's defaults for autovacuum (postgresql.conf.sample), and the cap on inserts between vacuums. */
export interface UpkeepLimits {
  vacuumThreshold: number;
  vacuumScaleFactor: number;
  insertThreshold: number;
  insertScaleFactor: number;
  /** Inserts after which a table is vacuumed however large it is (not an autovacuum setting; see above). */
  maxInsertsBetweenVacuums: number;
  analyzeThreshold: number;
  analyzeScaleFactor: number;
  freezeMaxAge: number;
  /** A table is analyzed at most this often (autovacuum_naptime: autovacuum visits a database once a minute). */
  analyzeIntervalSec: number;
  /** Tables of more rows are analyzed with largeTableStatisticsTarget (not an autovacuum setting; see above). */
  largeTableRows: number;
  largeTableStatisticsTarget: number;
  /** WAL written since the last checkpoint's start after which the next upkeep checkpoints (not a PostgreSQL setting; see above). */
  checkpointWalBytes: number;
  /** checkpoint_timeout: a checkpoint at least this often when anything was written */
  checkpointIntervalSec: number;
}

/** Where the WAL stands against the last checkpoint (pg_control_checkpoint). */
export interface WalPosition {
  /** bytes of WAL from the last checkpoint's redo point to the current insert position */
  bytesSinceCheckpoint: number;
  secondsSinceCheckpoint: number;
}

export const AUTOVACUUM_DEFAULTS: Readonly<UpkeepLimits> = {
  vacuumThreshold: 50,
  vacuumScaleFactor: 0.2,
  insertThreshold: 1000,
  insertScaleFactor: 0.2,
  maxInsertsBetweenVacuums: 100_000,
  analyzeThreshold: 50,
  analyzeScaleFactor: 0.1,
  freezeMaxAge: 200_000_000,
  analyzeIntervalSec: 60,
  largeTableRows: 10_000,
  largeTableStatisticsTarget: 10,
  checkpointWalBytes: 16 * 2 ** 20,
  checkpointIntervalSec: 300,
};

/**
 * Why a checkpoint is due, or undefined: checkpointWalBytes of WAL since the last one began, or
 * checkpointIntervalSec since it with anything written (a checkpoint writes a WAL record of its own, which
 * alone is not a reason for the next).
 */
export function checkpointReason(wal: Readonly<WalPosition>, limits: Readonly<UpkeepLimits> = AUTOVACUUM_DEFAULTS): string | undefined {
  if (wal.bytesSinceCheckpoint >= limits.checkpointWalBytes) return `${wal.bytesSinceCheckpoint} bytes of WAL since the last checkpoint`;
  if (wal.secondsSinceCheckpoint >= limits.checkpointIntervalSec && wal.bytesSinceCheckpoint > CHECKPOINT_RECORD_BYTES) return `${Math.round(wal.secondsSinceCheckpoint)} s since the last checkpoint`;
  return undefined;
}

/** The WAL an idle database writes from a checkpoint's redo point on: the checkpoint's own record (and slack). */
const CHECKPOINT_RECORD_BYTES = 1024;

/**
 * The tables to vacuum and/or analyze, in the order given: a table whose dead rows, inserts since its last
 * vacuum (at most maxInsertsBetweenVacuums) or changes since its last analyze (not within analyzeIntervalSec of
 * it) passed the threshold plus the scale factor times its rows, and any table whose oldest unfrozen transaction
 * id is older than freezeMaxAge.
 */
export function upkeepActions(tables: readonly TableActivity[], limits: Readonly<UpkeepLimits> = AUTOVACUUM_DEFAULTS): UpkeepAction[] {
  const actions: UpkeepAction[] = [];
  for (const t of tables) {
    const rows = Math.max(0, t.estimatedRows);
    const reasons: string[] = [];
    if (t.deadRows > limits.vacuumThreshold + limits.vacuumScaleFactor * rows) reasons.push(`${t.deadRows} dead rows`);
    if (t.insertedSinceVacuum > Math.min(limits.insertThreshold + limits.insertScaleFactor * rows, limits.maxInsertsBetweenVacuums)) reasons.push(`${t.insertedSinceVacuum} rows inserted`);
    if (t.xidAge > limits.freezeMaxAge) reasons.push(`transaction id age ${t.xidAge}`);
    const vacuum = reasons.length > 0;
    const analyze = t.modifiedSinceAnalyze > limits.analyzeThreshold + limits.analyzeScaleFactor * rows && (t.secondsSinceAnalyze === null || t.secondsSinceAnalyze >= limits.analyzeIntervalSec);
    if (analyze) reasons.push(`${t.modifiedSinceAnalyze} rows changed`);
    if (!vacuum && !analyze) continue;
    // A table that grew since its last analyze is as large as it is now.
    const isLarge = Math.max(rows, t.liveRows) > limits.largeTableRows;
    actions.push({ table: t.table, vacuum, analyze, reasons, ...(analyze && isLarge ? { statisticsTarget: limits.largeTableStatisticsTarget } : {}) });
  }
  return actions;
}
