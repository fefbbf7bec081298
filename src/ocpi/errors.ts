import { AppError, Conflict, InvalidInput, NotFound, Timeout, Unauthorized, UpstreamFailed } from '../shared/errors.ts';

/**
 * An error with its OCPI 2.2.1 status code (status_codes §5) and HTTP status. Thrown by OCPI modules and
 * the client; the error middleware turns it into the response envelope.
 */
export class OcpiError extends AppError {
  readonly ocpiStatus: number;
  readonly httpStatus: number;
  constructor(message: string, ocpiStatus: number, httpStatus: number, options?: { cause?: unknown }) {
    super(message, `OCPI_${ocpiStatus}`, options);
    this.ocpiStatus = ocpiStatus;
    this.httpStatus = httpStatus;
  }
}

/** 2000: generic client error (e.g. credentials POST when already registered, with HTTP 405). */
export class ClientError extends OcpiError {
  constructor(message: string, httpStatus = 400) {
    super(message, 2000, httpStatus);
  }
}

/** 2001: invalid or missing parameters; the message names the field. */
export class InvalidParams extends OcpiError {
  constructor(message: string) {
    super(message, 2001, 400);
  }
}

/** 2002: not enough information (e.g. a real-time authorization without location references). */
export class NotEnoughInformation extends OcpiError {
  constructor(message: string) {
    super(message, 2002, 400);
  }
}

/** 2003: unknown location (also used for an unknown object of a module without its own code). */
export class UnknownLocation extends OcpiError {
  constructor(message: string) {
    super(message, 2003, 404);
  }
}

/** 2004: unknown token. */
export class UnknownToken extends OcpiError {
  constructor(message: string) {
    super(message, 2004, 404);
  }
}

/** Our answer to an unknown or missing credentials token: HTTP 401 (transport §4.1.2). */
export class OcpiUnauthorized extends OcpiError {
  constructor(message: string) {
    super(message, 2000, 401);
  }
}

/** What a partner answered, when it answered at all. */
export interface PartnerReply {
  httpStatus?: number;
  statusCode?: number;
  statusMessage?: string;
}

/**
 * 3001: unable to use the partner's API (network error, timeout, non-2xx, status_code outside 1xxx).
 * `reply` holds what the partner answered, e.g. `{ httpStatus: 404, statusCode: 2004 }`.
 */
export class PartnerApiFailed extends OcpiError {
  readonly reply: PartnerReply;
  constructor(message: string, reply: PartnerReply = {}, options?: { cause?: unknown }) {
    super(message, 3001, 502, options);
    this.reply = reply;
  }
}

/** 3002: unsupported version (no common OCPI version with the partner). */
export class UnsupportedVersion extends OcpiError {
  constructor(message: string) {
    super(message, 3002, 400);
  }
}

/** 3003: no matching endpoints, or expected endpoints missing. */
export class NoMatchingEndpoints extends OcpiError {
  constructor(message: string) {
    super(message, 3003, 400);
  }
}

/** The one table from domain error to OCPI wire error (first match wins). */
const DOMAIN_TO_OCPI: Array<[new (...args: never[]) => AppError, number, number]> = [
  [InvalidInput, 2001, 400],
  [NotFound, 2003, 404],
  [Unauthorized, 2000, 401],
  [Conflict, 2000, 409],
  [UpstreamFailed, 3001, 502],
  [Timeout, 3000, 504],
];

/** OCPI status code, HTTP status and whether the message may be shown to the partner. */
export function toOcpiStatus(err: unknown): { ocpiStatus: number; httpStatus: number; isExpected: boolean } {
  if (err instanceof OcpiError) return { ocpiStatus: err.ocpiStatus, httpStatus: err.httpStatus, isExpected: true };
  for (const [cls, ocpiStatus, httpStatus] of DOMAIN_TO_OCPI) {
    if (err instanceof cls) return { ocpiStatus, httpStatus, isExpected: true };
  }
  return { ocpiStatus: 3000, httpStatus: 500, isExpected: false };
}
