// PostgreSQL array literals for multi-row statements (issue 8): a batch's rows go in as one text parameter
// per column (`unnest(?::text[], ?::int[], …)`), far fewer bytes to send and parse than one JSON object per
// row, and the same on PGlite (knex would expand a JS array bound to `?` into a list of parameters).

/**
 * The array literal of `values` (PostgreSQL §8.15.6): every element double-quoted with `"` and `\` escaped,
 * null as the unquoted NULL. Cast it to the element type in SQL (`?::text[]`, `?::int[]`, `?::timestamptz[]`).
 */
export function toArrayLiteral(values: ReadonlyArray<string | number | null>): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null) out += 'NULL';
    else if (typeof v === 'number') out += String(v);
    else out += `"${v.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

/**
 * A `whereRaw` condition that (first, second) is one of `pairs`, the pairs going in as two arrays: PGlite
 * answers a row-value IN list of a few hundred tuples with no rows and is broken afterwards (issue 8).
 * `columns` and `types` are SQL written by the caller, never input.
 */
export function inPairs(columns: readonly [string, string], types: readonly [string, string], pairs: ReadonlyArray<readonly [string | number, string | number]>): [string, string[]] {
  return [`(${columns[0]}, ${columns[1]}) in (select * from unnest(?::${types[0]}[], ?::${types[1]}[]))`, [toArrayLiteral(pairs.map((p) => p[0])), toArrayLiteral(pairs.map((p) => p[1]))]];
}
