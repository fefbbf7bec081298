/**
 * Domain errors. Each carries a stable `code`; every transport (OCPP, OCPI, admin HTTP) keeps one table
 * that maps these classes to its wire errors, so no handler inspects error names.
 */
export class AppError extends Error {
  readonly code: string;
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The addressed object does not exist (or is not visible to the caller). */
export class NotFound extends AppError {
  constructor(message: string) {
    super(message, 'NOT_FOUND');
  }
}

/** The request conflicts with stored state (duplicate key, wrong state for the operation). */
export class Conflict extends AppError {
  constructor(message: string) {
    super(message, 'CONFLICT');
  }
}

/** The input is malformed or violates a rule; the message names the offending field. */
export class InvalidInput extends AppError {
  constructor(message: string) {
    super(message, 'INVALID_INPUT');
  }
}

/** The caller is not authenticated or not allowed to do this. */
export class Unauthorized extends AppError {
  constructor(message: string) {
    super(message, 'UNAUTHORIZED');
  }
}

/** A peer (charger, partner platform) answered with an error or not at all. */
export class UpstreamFailed extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'UPSTREAM_FAILED', options);
  }
}

/** A peer did not answer within the allowed time. */
export class Timeout extends AppError {
  constructor(message: string) {
    super(message, 'TIMEOUT');
  }
}

/** Refused for now, because of too many attempts; may be retried after `retryAfterSec` seconds. */
export class TooManyAttempts extends AppError {
  constructor(message: string, readonly retryAfterSec: number) {
    super(message, 'TOO_MANY_ATTEMPTS');
  }
}
