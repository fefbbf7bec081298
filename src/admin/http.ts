import type { NextFunction, Request, Response } from 'express';
import { ON_EXISTING, type BulkOutcome, type OnExisting } from '../shared/bulk.ts';
import { AppError, Conflict, InvalidInput, NotFound, Timeout, TooManyAttempts, Unauthorized, UpstreamFailed } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { OcppError } from '../ocpp/errors.ts';
import { clientRequestErrorOf } from '../shared/http-input.ts';
import { toDomainError } from '../db/pg-errors.ts';

/** Authenticated, but the key's role does not allow the operation. */
export class Forbidden extends Unauthorized {}

/** The one table from domain error to admin HTTP status (first match wins: subclasses first). */
const STATUS: Array<[new (...args: never[]) => AppError, number]> = [
  [InvalidInput, 400],
  [Forbidden, 403],
  [Unauthorized, 401],
  [NotFound, 404],
  [Conflict, 409],
  [TooManyAttempts, 429],
  [OcppError, 502],
  [UpstreamFailed, 502],
  [Timeout, 504],
];

export function httpStatusOf(err: unknown): number {
  for (const [cls, status] of STATUS) if (err instanceof cls) return status;
  return 500;
}

/**
 * Express error middleware for the admin API: JSON `{ error: { code, message } }`, never an HTML page. A
 * request the body parser or router refused keeps its 4xx status (413, 415, 400) as INVALID_INPUT, and a
 * database data exception is InvalidInput (400): a client's bad value is never a 500.
 */
export function adminErrorHandler(logger: Logger) {
  return (caught: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const clientError = clientRequestErrorOf(caught);
    if (clientError) {
      res.status(clientError.status).json({ error: { code: 'INVALID_INPUT', message: clientError.message } });
      return;
    }
    const err = toDomainError(caught);
    const status = httpStatusOf(err);
    if (status === 500) logger.error('admin API request failed', { method: req.method, path: req.path, err: err instanceof Error ? { message: err.message, stack: err.stack } : err });
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    const message = status === 500 ? 'internal error' : (err as Error).message;
    if (err instanceof TooManyAttempts) res.set('Retry-After', String(err.retryAfterSec));
    res.status(status).json({ error: { code, message, ...(err instanceof OcppError ? { ocppErrorCode: err.rpcCode } : {}) } });
  };
}

// Paging values end up in SQL LIMIT/OFFSET (bigint): anything past int4 is no real page and is refused
// here rather than failing in the database.
const MAX_PAGING_VALUE = 2_147_483_647;

function pagingParam(req: Request, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new InvalidInput(`${name}: must be an integer from ${min} to ${max}`);
  return Number(raw);
}

/** `limit` (1..500, default 50) and `offset` (0..2147483647, default 0) from the query string. */
export function parsePaging(req: Request): { limit: number; offset: number } {
  return { limit: pagingParam(req, 'limit', 50, 1, 500), offset: pagingParam(req, 'offset', 0, 0, MAX_PAGING_VALUE) };
}

/** Reads a required string field from a JSON body, naming it in the error. */
export function requireString(body: Record<string, unknown>, field: string, max = 255): string {
  const v = body?.[field];
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new InvalidInput(`${field}: required string of 1-${max} characters`);
  return v;
}

/** Reads an optional string field from a JSON body. */
export function optionalString(body: Record<string, unknown>, field: string, max = 255): string | undefined {
  const v = body?.[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) throw new InvalidInput(`${field}: must be a string of at most ${max} characters`);
  return v;
}

/** An optional query parameter that must be one of `values`; the error names the field and the values. */
export function optionalEnum<T extends string>(query: Record<string, unknown>, field: string, values: readonly T[]): T | undefined {
  const v = query[field];
  if (v === undefined) return undefined;
  if (!values.includes(v as T)) throw new InvalidInput(`${field}: must be one of ${values.join(', ')}`);
  return v as T;
}

/** A serial (int4) id from the path; anything else is InvalidInput rather than a database error. */
export function parseSerialId(raw: string, field = 'id'): number {
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || id < 1 || id > 2_147_483_647) throw new InvalidInput(`${field}: must be an integer from 1 to 2147483647`);
  return id;
}

/** `?onExisting=error|skip` of a bulk import (default error: a row whose id exists refuses the whole import). */
export function readOnExisting(req: Request): OnExisting {
  return optionalEnum(req.query, 'onExisting', ON_EXISTING) ?? 'error';
}

/**
 * A bulk import's answer: 200 with the per-row results when applied; when nothing was applied, 422 (a row
 * malformed or naming what does not exist) or 409 (a row clashing with stored data), with the same results.
 */
export function sendBulkOutcome(res: Response, o: BulkOutcome): void {
  const counts = { created: o.created, existing: o.existing, failed: o.failed };
  if (o.applied) {
    res.status(200).json({ applied: true, ...counts, results: o.results });
    return;
  }
  const error = o.failure === 'conflict' ? { code: 'CONFLICT', message: `${o.failed} row(s) clash with stored data; nothing was applied` } : { code: 'INVALID_INPUT', message: `${o.failed} row(s) are invalid; nothing was applied` };
  res.status(o.failure === 'conflict' ? 409 : 422).json({ applied: false, error, ...counts, results: o.results });
}
