import { Conflict, InvalidInput } from '../shared/errors.ts';

/**
 * Runs a query and translates the PostgreSQL errors that callers can act on into domain errors:
 * 23505 unique violation → Conflict, 23503 foreign key violation → InvalidInput.
 */
export async function translatePg<T>(what: string, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '23505') throw new Conflict(`${what} already exists`);
    if (code === '23503') throw new InvalidInput(`${what} refers to something that does not exist`);
    throw err;
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
