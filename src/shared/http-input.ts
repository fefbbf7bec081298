import type { NextFunction, Request, Response } from 'express';
import { InvalidInput } from './errors.ts';

// Bad HTTP input that both HTTP interfaces (OCPI, admin API) refuse the same way, before any handler runs:
// what the body parser and the router reject, and text that PostgreSQL cannot store.

/** A request the HTTP layer refused: the status to answer and a message naming what was wrong. */
export interface ClientRequestError {
  status: number;
  message: string;
}

// body-parser / raw-body error types (their `type`) that are about the body.
const BODY_ERROR_TYPES = /^(entity\.|charset\.|encoding\.|request\.)/;
// node:zlib error codes (gzip/deflate: Z_DATA_ERROR, Z_BUF_ERROR…; brotli: ERR__ERROR_…), which body-parser
// passes on as a 400 without a `type` when a body does not decompress.
const ZLIB_ERROR_CODES = /^(Z_|ERR__ERROR_)/;

/**
 * The client error that `err` stands for, or undefined when it is not one. body-parser, raw-body and
 * http-errors mark a refusal of the request with an HTTP 4xx `status`/`statusCode` and `expose: true`
 * (unsupported charset or Content-Encoding → 415, too large → 413, a body that does not inflate (zlib),
 * is not JSON, is shorter than its Content-Length or was aborted → 400). The router's "Failed to decode
 * param" (a malformed percent-encoding in the path) is a URIError with status 400 but no `expose`.
 */
export function clientRequestErrorOf(err: unknown): ClientRequestError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown; type?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (e.expose !== true && !(err instanceof URIError)) return undefined;
  const message = String(e.message ?? 'bad request');
  if (e.type === 'entity.parse.failed') return { status, message: 'body: not valid JSON' };
  if (typeof e.type === 'string' && BODY_ERROR_TYPES.test(e.type)) return { status, message: `body: ${message}` };
  if (typeof e.code === 'string' && ZLIB_ERROR_CODES.test(e.code)) return { status, message: `body: does not decode as its Content-Encoding says (${message})` };
  if (err instanceof URIError) return { status, message: `path: ${message} (malformed percent-encoding)` };
  return { status, message };
}

// PostgreSQL text (UTF-8) holds every character but U+0000. A path segment that is not valid UTF-8 never
// gets here decoded (the router answers "Failed to decode param"), and the query parser replaces such
// bytes with U+FFFD: NUL is the one character to refuse.
const UNSTORABLE = '\u0000';

function decodedSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // malformed: the router refuses it with its own 400 when a route reads it
  }
}

/** The first query value (or key) holding a NUL, as `name`, found depth first. */
function unstorableQueryParam(value: unknown, name: string): string | undefined {
  if (typeof value === 'string') return value.includes(UNSTORABLE) ? name : undefined;
  if (Array.isArray(value)) return value.map((v) => unstorableQueryParam(v, name)).find((n) => n !== undefined);
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const found = key.includes(UNSTORABLE) ? JSON.stringify(key) : unstorableQueryParam(v, name ? `${name}[${key}]` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Refuses a request whose path segment or query parameter holds a character PostgreSQL text cannot store
 * (NUL), naming it, before any handler passes it to a query (where it would fail as SQLSTATE 22021).
 * Throws InvalidInput, which OCPI answers 2001 / HTTP 400 and the admin API 400.
 */
export function rejectUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  for (const segment of req.path.split('/')) {
    const decoded = decodedSegment(segment);
    if (decoded?.includes(UNSTORABLE)) throw new InvalidInput(`path segment ${JSON.stringify(decoded)}: must not contain a NUL character (U+0000)`);
  }
  const param = unstorableQueryParam(req.query, '');
  if (param !== undefined) throw new InvalidInput(`${param}: must not contain a NUL character (U+0000)`);
  next();
}
