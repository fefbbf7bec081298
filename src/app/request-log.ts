// Every HTTP request gets an id (the client's sane X-Request-ID, else a new UUID), echoed in X-Request-ID, carried
// by every log line written while it is handled (log-context.ts), and one access line when it ends (issue 14).
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { withLogContext } from '../shared/log-context.ts';
import type { Logger } from '../shared/logger.ts';

declare module 'express-serve-static-core' {
  interface Request {
    requestId?: string;
  }
}

/** Probes and scrapes are logged at debug: they would drown everything else at info. */
const QUIET = /^\/(healthz|readyz|metrics)(\/|$)/;

export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const sent = req.get('x-request-id');
    const requestId = sent && /^[\x21-\x7e]{1,100}$/.test(sent) ? sent : randomUUID();
    req.requestId = requestId;
    res.set('X-Request-ID', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The path only: a query string may carry anything a client put there.
      // A GetLog upload's path carries its one-time token (issue 13): never logged.
      const path = req.originalUrl.split('?')[0].replace(/^(\/uploads\/logs\/[^/]+\/)[^/]+/, '$1[token]');
      const level = QUIET.test(path) ? 'debug' : res.statusCode >= 500 ? 'error' : 'info';
      logger.log(level, `${req.method} ${path} ${res.statusCode}`, { requestId, method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 });
    });
    withLogContext({ requestId }, next);
  };
}
