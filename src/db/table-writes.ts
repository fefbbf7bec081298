// Per-node invalidation of in-memory memos: every statement this process sends through a knex instance is
// seen (its 'query' event, transactions included), and a write to a watched table calls the listeners at
// once and again when its transaction commits, and once more shortly after (a read that ran concurrently
// with the COMMIT may still have seen the old rows). Other nodes' writes are not seen: memos built on this
// keep a short TTL.
import type { Knex } from 'knex';

/** After a COMMIT of a watched write, the listeners are called again this much later. */
const AFTER_COMMIT_MS = 1000;

interface Watch {
  tables: ReadonlySet<string>;
  /** Per table: an UPDATE of it counts only when it names one of these columns followed by `=`. */
  columns: ReadonlyMap<string, RegExp>;
  listener: () => void;
}

interface Watcher {
  watches: Set<Watch>;
  /** Transactions (knex __knexTxId) that wrote a watched table, and the watches concerned. */
  dirty: Map<string, Set<Watch>>;
}

const watchers = new WeakMap<object, Watcher>();

// The leading verb (1) and its table (2).
const WRITE = /^\s*(insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+(?:only\s+)?"?(\w+)"?/i;
const WRITE_ANYWHERE = /\b(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+(?:only\s+)?"?(\w+)"?/gi;

/** The tables a statement writes to (its leading verb, or any in a WITH … statement); empty for reads. */
export function writtenTables(sql: string): string[] {
  const head = WRITE.exec(sql);
  if (head) return [head[2]!.toLowerCase()];
  if (!/^\s*with\b/i.test(sql)) return [];
  return [...sql.matchAll(WRITE_ANYWHERE)].map((m) => m[1].toLowerCase());
}

function watcherOf(db: Knex): Watcher {
  let w = watchers.get(db.client.config);
  if (w) return w;
  const watcher: Watcher = { watches: new Set(), dirty: new Map() };
  w = watcher;
  watchers.set(db.client.config, watcher);
  db.on('query', (q: { sql?: string; __knexTxId?: string }) => {
    const sql = q.sql ?? '';
    const txId = q.__knexTxId;
    if (txId && /^\s*(commit|rollback)\b/i.test(sql)) {
      const touched = watcher.dirty.get(txId);
      if (!touched) return;
      watcher.dirty.delete(txId);
      for (const watch of touched) watch.listener();
      setTimeout(() => touched.forEach((watch) => watch.listener()), AFTER_COMMIT_MS).unref();
      return;
    }
    const tables = writtenTables(sql);
    if (tables.length === 0) return;
    for (const watch of watcher.watches) {
      if (!tables.some((t) => watch.tables.has(t) && isWriteOfInterest(watch, t, sql))) continue;
      watch.listener();
      if (txId) {
        const touched = watcher.dirty.get(txId) ?? new Set<Watch>();
        touched.add(watch);
        watcher.dirty.set(txId, touched);
      }
    }
  });
  return w;
}

/**
 * Whether a write to `table` concerns the watch: any insert, delete or WITH statement does; an UPDATE of a
 * table the watch names columns of does only when the statement names one of them followed by `=` (set, or
 * compared: either way it may concern them). A column named in no such way is not changed by the statement.
 */
function isWriteOfInterest(watch: Watch, table: string, sql: string): boolean {
  const columns = watch.columns.get(table);
  if (!columns) return true;
  const head = WRITE.exec(sql);
  const isUpdateOfTable = head?.[1]!.toLowerCase() === 'update' && head[2]!.toLowerCase() === table;
  return !isUpdateOfTable || columns.test(sql);
}

/**
 * The columns that put a charger's connectors at a location (its location, its EVSEs' uids and locations, the
 * connectors' EVSEs): what the memos of where a charger is are read from. Status and last-seen updates name
 * none of them.
 */
export const CHARGER_PLACE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  charge_points: ['location_id'],
  evses: ['uid', 'location_id', 'charge_point_id', 'is_removed'],
  connectors: ['evse_fk', 'connector_number', 'charge_point_id'],
};

export interface TableWritesOptions {
  /**
   * Per table, the columns the listener depends on: an UPDATE of that table that names none of them (e.g. a
   * status or last-seen update) does not call it. Inserts and deletes always do.
   */
  columns?: Readonly<Record<string, readonly string[]>>;
}

/** Calls `listener` whenever this process writes to one of `tables` (see above); returns the unsubscribe. */
export function onTableWrites(db: Knex, tables: readonly string[], listener: () => void, o: TableWritesOptions = {}): () => void {
  const watcher = watcherOf(db);
  const columns = new Map(Object.entries(o.columns ?? {}).map(([table, cols]) => [table.toLowerCase(), new RegExp(`\\b(?:${cols.map((c) => c.replace(/\W/g, '')).join('|')})\\b"?\\s*=(?!=)`, 'i')]));
  const watch: Watch = { tables: new Set(tables.map((t) => t.toLowerCase())), columns, listener };
  watcher.watches.add(watch);
  return () => watcher.watches.delete(watch);
}
