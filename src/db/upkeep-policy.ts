// Pure: which tables of the embedded database need a VACUUM or an ANALYZE (issue 8). PGlite runs PostgreSQL in
// single-user mode, where no autovacuum runs: without this upkeep its tables are never analyzed (the planner then
// guesses their sizes; a batch's energy update scanned every session, 9.6 ms for 16 sessions against 2.5 ms once
// analyzed), never vacuumed (dead rows stay), and never frozen (after about two billion transactions PostgreSQL
// stops accepting writes to protect itself from transaction id wraparound). The rules and thresholds are
// autovacuum's, with PostgreSQL's default settings (autovacuum.c, relation_needs_vacanalyze), but for one: an
// append-only table is vacuumed at the latest after maxInsertsBetweenVacuums inserts, not after a fifth of its
// rows. The embedded database has one connection, and a vacuum holds it: a bounded number of new rows keeps each
// vacuum short (its cost grows with the pages written since the last one), where 20 % of ten million readings
// would hold every charger's messages for a second.

/** One table's counters as pg_stat_all_tables and pg_class report them. */
export interface TableActivity {
  /** schema-qualified name */
  table: string;
  /** pg_class.reltuples: -1 while the table was never vacuumed or analyzed */
  estimatedRows: number;
  deadRows: number;
  modifiedSinceAnalyze: number;
  insertedSinceVacuum: number;
  /** age(relfrozenxid): transactions since the table's oldest unfrozen transaction id */
  xidAge: number;
}

export interface UpkeepAction {
  table: string;
  vacuum: boolean;
  analyze: boolean;
  /** why, for the log: dead rows, inserts, wraparound, changes */
  reasons: string[];
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
};

/**
 * The tables to vacuum and/or analyze, in the order given: a table whose dead rows, inserts since its last
 * vacuum (at most maxInsertsBetweenVacuums) or changes since its last analyze passed the threshold plus the scale
 * factor times its rows, and any table whose oldest unfrozen transaction id is older than freezeMaxAge.
 */
export function upkeepActions(tables: readonly TableActivity[], limits: UpkeepLimits = AUTOVACUUM_DEFAULTS): UpkeepAction[] {
  const actions: UpkeepAction[] = [];
  for (const t of tables) {
    const rows = Math.max(0, t.estimatedRows);
    const reasons: string[] = [];
    if (t.deadRows > limits.vacuumThreshold + limits.vacuumScaleFactor * rows) reasons.push(`${t.deadRows} dead rows`);
    if (t.insertedSinceVacuum > Math.min(limits.insertThreshold + limits.insertScaleFactor * rows, limits.maxInsertsBetweenVacuums)) reasons.push(`${t.insertedSinceVacuum} rows inserted`);
    if (t.xidAge > limits.freezeMaxAge) reasons.push(`transaction id age ${t.xidAge}`);
    const vacuum = reasons.length > 0;
    const analyze = t.modifiedSinceAnalyze > limits.analyzeThreshold + limits.analyzeScaleFactor * rows;
    if (analyze) reasons.push(`${t.modifiedSinceAnalyze} rows changed`);
    if (vacuum || analyze) actions.push({ table: t.table, vacuum, analyze, reasons });
  }
  return actions;
}
