import type { NextFunction, Request, Response } from 'express';
import { AppError, Conflict, InvalidInput, NotFound, Timeout, Unauthorized, UpstreamFailed } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { OcppError } from '../ocpp/errors.ts';

/** Authenticated, but the key's role does not allow the operation. */
export class Forbidden extends Unauthorized {}

/** The one table from domain error to admin HTTP status (first match wins: subclasses first). */
const STATUS: Array<[new (...args: never[]) => AppError, number]> = [
  [InvalidInput, 400],
  [Forbidden, 403],
  [Unauthorized, 401],
  [NotFound, 404],
  [Conflict, 409],
  [OcppError, 502],
  [UpstreamFailed, 502],
  [Timeout, 504],
];

export function httpStatusOf(err: unknown): number {
  for (const [cls, status] of STATUS) if (err instanceof cls) return status;
  return 500;
}

/** Express error middleware for the admin API: JSON `{ error: { code, message } }`, never an HTML page. */
export function adminErrorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const bodyError = err as { type?: string; status?: number };
    if (bodyError?.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'INVALID_INPUT', message: 'body: not valid JSON' } });
      return;
    }
    // Other body-parser refusals (too large, bad charset or encoding) carry their own 4xx status.
    const bodyType = typeof bodyError?.type === 'string' ? bodyError.type : '';
    if (bodyType.startsWith('entity.') || bodyType.endsWith('.unsupported')) {
      const status = bodyError.status && bodyError.status >= 400 && bodyError.status < 500 ? bodyError.status : 400;
      res.status(status).json({ error: { code: 'INVALID_INPUT', message: `body: ${(err as Error).message}` } });
      return;
    }
    const status = httpStatusOf(err);
    if (status === 500) logger.error('admin API request failed', { method: req.method, path: req.path, err: err instanceof Error ? { message: err.message, stack: err.stack } : err });
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    const message = status === 500 ? 'internal error' : (err as Error).message;
    res.status(status).json({ error: { code, message, ...(err instanceof OcppError ? { ocppErrorCode: err.rpcCode } : {}) } });
  };
}

/** `limit` (1..500, default 50) and `offset` (≥ 0) from the query string. */
export function parsePaging(req: Request): { limit: number; offset: number } {
  const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
  const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new InvalidInput('limit: must be an integer from 1 to 500');
  if (!Number.isInteger(offset) || offset < 0) throw new InvalidInput('offset: must be a non-negative integer');
  return { limit, offset };
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
