import { Conflict, InvalidInput } from '../shared/errors.ts';

// What PostgreSQL's SQLSTATE codes mean to cpms, in one place (PostgreSQL manual, Appendix A "PostgreSQL
// Error Codes"). Both drivers (pg and PGlite) put the SQLSTATE in `code`.

/** SQLSTATE class 22 "data exception": the statement failed because of a value, so it changed nothing. */
const DATA_EXCEPTION_CLASS = '22';

/** The common data exceptions, said in words a caller can act on (the driver's message holds the SQL). */
const DATA_EXCEPTIONS: Record<string, string> = {
  '22001': 'a text too long for its column',
  '22003': 'a number out of range',
  '22007': 'an invalid date/time',
  '22008': 'a date/time out of range',
  '22021': 'a character the database cannot store (e.g. NUL, U+0000)',
  '22P02': 'a malformed value',
  '22P05': 'a character the database cannot store (e.g. \\u0000 in JSON)',
};

const sqlStateOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/**
 * The domain error a database error stands for, or `err` itself. A data exception (class 22: invalid byte
 * sequence, numeric value out of range, invalid date/time, …) is the caller's bad value → InvalidInput;
 * its transaction rolls back, so nothing is stored. The error middlewares run every error through this:
 * a value that slipped past a check is a 400 / 2001, never a 500 / 3000.
 */
export function toDomainError(err: unknown): unknown {
  const code = sqlStateOf(err);
  if (code?.startsWith(DATA_EXCEPTION_CLASS)) return new InvalidInput(`invalid value: ${DATA_EXCEPTIONS[code] ?? 'a value the database does not accept'} (SQLSTATE ${code})`);
  return err;
}

/**
 * Runs a query and translates the PostgreSQL errors that callers can act on into domain errors:
 * 23505 unique violation → Conflict, 23503 foreign key violation → InvalidInput, class 22 → InvalidInput.
 */
export async function translatePg<T>(what: string, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (err) {
    const code = sqlStateOf(err);
    if (code === '23505') throw new Conflict(`${what} already exists`);
    if (code === '23503') throw new InvalidInput(`${what} refers to something that does not exist`);
    throw toDomainError(err);
  }
}

/**
 * Whether `err` is a PostgreSQL data exception (SQLSTATE class 22: a number out of range, an invalid
 * date-time such as year 0, a NUL character in a string): the input, not the system, is at fault.
 */
export function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/** SQLSTATE classes of a database that cannot serve anyone right now (not a fault of one statement's values). */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58']); // connection exception, insufficient resources, operator intervention, system error

/**
 * Whether `err` says the database is unreachable or out of service (a lost connection, a pool timeout,
 * SQLSTATE class 08/53/57/58) rather than that one statement or value was refused: retrying the items of
 * a failed batch one by one would only fail again, slowly.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | null;
  const code = sqlStateOf(err);
  if (code !== undefined) return UNAVAILABLE_CLASSES.has(code.slice(0, 2));
  if (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) return true; // ECONNREFUSED, ECONNRESET, EPIPE, …
  if (e?.name === 'KnexTimeoutError') return true; // no connection from the pool in time
  return typeof e?.message === 'string' && /Connection terminated|connection is closed|Client has encountered a connection error/i.test(e.message);
}
