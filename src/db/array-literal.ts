// PostgreSQL array literals for multi-row statements (issue 8): a batch's rows go in as one text parameter
// per column (`unnest(?::text[], ?::int[], …)`), far fewer bytes to send and parse than one JSON object per
// row, and the same on PGlite (knex would expand a JS array bound to `?` into a list of parameters).

/**
 * The array literal of `values` (PostgreSQL §8.15.6): every element double-quoted with `"` and `\` escaped,
 * null as the unquoted NULL. Cast it to the element type in SQL (`?::text[]`, `?::int[]`, `?::timestamptz[]`).
 */
export function toArrayLiteral(values: ReadonlyArray<string | number | null>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) parts[i] = 'NULL';
    else if (typeof v === 'number') parts[i] = String(v);
    // Most elements (ids, numbers, timestamps) have nothing to escape: two scans instead of a regex replace.
    else parts[i] = v.includes('"') || v.includes('\\') ? `"${v.replace(/[\\"]/g, '\\$&')}"` : `"${v}"`;
  }
  return `{${parts.join(',')}}`;
}

/**
 * A `whereRaw` condition that (first, second) is one of `pairs`, the pairs going in as two arrays: PGlite
 * answers a row-value IN list of a few hundred tuples with no rows and is broken afterwards (issue 8).
 * `columns` and `types` are SQL written by the caller, never input.
 */
export function inPairs(columns: readonly [string, string], types: readonly [string, string], pairs: ReadonlyArray<readonly [string | number, string | number]>): [string, string[]] {
  return [`(${columns[0]}, ${columns[1]}) in (select * from unnest(?::${types[0]}[], ?::${types[1]}[]))`, [toArrayLiteral(pairs.map((p) => p[0])), toArrayLiteral(pairs.map((p) => p[1]))]];
}
