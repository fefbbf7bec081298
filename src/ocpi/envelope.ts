import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../shared/logger.ts';
import { clientRequestErrorOf } from '../shared/http-input.ts';
import { toDomainError } from '../db/pg-errors.ts';
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
 * A success envelope around `data` already serialized as JSON (a kept answer): the same bytes sendOcpi would
 * write for it, with the timestamp of now.
 */
export function sendOcpiJson(res: Response, data: Buffer, now: Date = new Date()): void {
  const head = Buffer.from(`{"status_code":1000,"timestamp":"${toOcpiDateTime(now)}","data":`);
  res.status(200).set('Content-Type', 'application/json; charset=utf-8').send(Buffer.concat([head, data, CLOSE_BRACE]));
}

const CLOSE_BRACE = Buffer.from('}');

// status codes §5: 2001 "Invalid or missing parameters" is the client error that fits every refusal of
// the request itself; the HTTP status says which: 413 too large, 415 unsupported charset/encoding, else 400.
const OCPI_HTTP_STATUS_OF_CLIENT_ERROR = (status: number): number => (status === 413 || status === 415 ? status : 400);

/**
 * Express error middleware for /ocpi: every error becomes an envelope, never an HTML page. A refused
 * request (body parser, router, a database data exception) is a client error (2001); unexpected errors
 * are logged once with their stack and answered with 3000 without details.
 */
export function ocpiErrorHandler(logger: Logger) {
  return (caught: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const clientError = clientRequestErrorOf(caught);
    if (clientError) {
      if (!res.headersSent) sendOcpi(res, undefined, { statusCode: 2001, httpStatus: OCPI_HTTP_STATUS_OF_CLIENT_ERROR(clientError.status), message: clientError.message });
      return;
    }
    const err = toDomainError(caught);
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
