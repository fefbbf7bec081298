import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../shared/logger.ts';
import { toOcpiStatus } from './errors.ts';

/** OCPI 2.2.1 transport §4.1.7 response format. */
export interface OcpiEnvelope<T = unknown> {
  data?: T;
  status_code: number;
  status_message?: string;
  timestamp: string;
}

/** An OCPI DateTime (types §16.2): UTC, whole seconds, with the `Z`. */
export function toOcpiDateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Builds the envelope; `data` is left out when undefined (transport §4.1.7 note on absent data). */
export function buildEnvelope<T>(data: T | undefined, statusCode = 1000, message?: string, now: Date = new Date()): OcpiEnvelope<T> {
  const envelope: OcpiEnvelope<T> = { status_code: statusCode, timestamp: toOcpiDateTime(now) };
  if (data !== undefined) envelope.data = data;
  if (message !== undefined) envelope.status_message = message;
  return envelope;
}

export interface SendOptions {
  statusCode?: number;
  httpStatus?: number;
  message?: string;
}

/** The one way an OCPI answer is written. */
export function sendOcpi<T>(res: Response, data: T | undefined, opts: SendOptions = {}): void {
  const { statusCode = 1000, httpStatus = 200, message } = opts;
  res.status(httpStatus).json(buildEnvelope(data, statusCode, message));
}

/**
 * Express error middleware for /ocpi: every error becomes an envelope, never an HTML page. Unexpected
 * errors are logged once with their stack and answered with 3000 without details.
 */
export function ocpiErrorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const bodyError = err as { type?: string };
    if (bodyError?.type === 'entity.parse.failed') {
      // status codes §5: a message that is not valid JSON → HTTP 400
      sendOcpi(res, undefined, { statusCode: 2001, httpStatus: 400, message: 'body: not valid JSON' });
      return;
    }
    if (bodyError?.type === 'entity.too.large') {
      sendOcpi(res, undefined, { statusCode: 2000, httpStatus: 413, message: 'body: too large' });
      return;
    }
    const { ocpiStatus, httpStatus, isExpected } = toOcpiStatus(err);
    if (!isExpected) {
      const partner = req.ocpi?.partner;
      logger.error('OCPI request failed', {
        method: req.method,
        path: req.originalUrl.split('?')[0],
        partner: partner ? `${partner.countryCode}/${partner.partyId}` : undefined,
        requestId: req.ocpi?.requestId,
        err: err instanceof Error ? { message: err.message, stack: err.stack } : err,
      });
    }
    if (res.headersSent) return;
    sendOcpi(res, undefined, { statusCode: ocpiStatus, httpStatus, message: isExpected ? (err as Error).message : 'internal error' });
  };
}
