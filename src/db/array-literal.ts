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
