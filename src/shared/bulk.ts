// Bulk imports (admin API POST /chargers/bulk and /tokens/bulk, `cpms charger|token import`): the per-row
// result every import answers with, and the all-or-nothing outcome. Pure: no I/O.
import { InvalidInput } from './errors.ts';

/** The most rows one import takes (issue 8: 10,000 chargers and their tokens in one go). */
export const MAX_BULK_ROWS = 10_000;

/**
 * What to do with a row whose id exists already: `error` (the default) refuses the whole import, `skip`
 * leaves the stored one unchanged and reports the row as `existing`.
 */
export type OnExisting = 'error' | 'skip';
export const ON_EXISTING: readonly OnExisting[] = ['error', 'skip'];

/** created / existing (skipped) when applied; failed (this row's fault) / not applied (another row's) when not. */
export type BulkRowStatus = 'created' | 'existing' | 'failed' | 'not applied';

export interface BulkRowResult {
  /** 0-based index of the row in the request. */
  row: number;
  /** The row's id as given (charger id, token uid); null when the row has none. */
  id: string | null;
  status: BulkRowStatus;
  error?: string;
  /** A generated charger password, shown only in this answer. */
  password?: string;
}

/** `invalid`: a row is malformed or names what does not exist; `conflict`: a row clashes with stored data. */
export type BulkFailure = 'invalid' | 'conflict';

export interface BulkOutcome {
  applied: boolean;
  failure?: BulkFailure;
  created: number;
  existing: number;
  failed: number;
  results: BulkRowResult[];
}

/** The rows of a bulk request body: a JSON array of 1..MAX_BULK_ROWS items (InvalidInput otherwise). */
export function readBulkArray(body: unknown): unknown[] {
  if (!Array.isArray(body)) throw new InvalidInput('body: must be a JSON array of rows');
  if (body.length === 0 || body.length > MAX_BULK_ROWS) throw new InvalidInput(`body: must hold 1 to ${MAX_BULK_ROWS} rows (got ${body.length})`);
  return body;
}

/** The import applied: each row created, or existing (skipped); `passwords` by row index. */
export function appliedOutcome(ids: readonly string[], existing: ReadonlySet<number>, passwords: ReadonlyMap<number, string> = new Map()): BulkOutcome {
  const results = ids.map((id, row): BulkRowResult => {
    if (existing.has(row)) return { row, id, status: 'existing' };
    const password = passwords.get(row);
    return { row, id, status: 'created', ...(password === undefined ? {} : { password }) };
  });
  return { applied: true, created: ids.length - existing.size, existing: existing.size, failed: 0, results };
}

/** Nothing applied: the rows in `errors` (by index) failed, every other row is reported `not applied`. */
export function rejectedOutcome(failure: BulkFailure, ids: ReadonlyArray<string | null>, errors: ReadonlyMap<number, string>): BulkOutcome {
  const results = ids.map((id, row): BulkRowResult => {
    const error = errors.get(row);
    return error === undefined ? { row, id, status: 'not applied' } : { row, id, status: 'failed', error };
  });
  return { applied: false, failure, created: 0, existing: 0, failed: errors.size, results };
}

/** Thrown inside an import's transaction to roll it back; carries the outcome to answer. */
export class BulkRejected extends Error {
  constructor(readonly outcome: BulkOutcome) {
    super(`bulk import rejected (${outcome.failure}): ${outcome.failed} row(s) failed`);
    this.name = 'BulkRejected';
  }
}

/** Indices of rows whose key (`keyOf`, undefined = no key) repeats an earlier row's, with that row's index. */
export function findRepeats<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<number, number> {
  const first = new Map<string, number>();
  const repeats = new Map<number, number>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    if (key === undefined) return;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, i);
    else repeats.set(i, seen);
  });
  return repeats;
}

/** Maps `items` through async `fn` with at most `limit` calls in flight; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
