import express, { type Request, type Response, type Router } from 'express';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { rejectUnstorableText } from '../shared/http-input.ts';
import type { InterfaceRole } from '../partners/partner.types.ts';
import { ocpiAuth, ocpiRequestIds, type AuthOptions, type OcpiAuthenticator } from './auth.ts';
import { ocpiErrorHandler, sendOcpi } from './envelope.ts';
import { ocpiRateLimit, type RateLimit } from './rate-limit.ts';

/** An OCPI module implementation: mounted at /ocpi/2.2.1/<id> and listed in the version details. */
export interface OcpiModule {
  /** ModuleID (versions §6.2.3), e.g. 'locations'. */
  id: string;
  role: InterfaceRole;
  router: Router;
}

export interface OcpiRouterDeps {
  auth: OcpiAuthenticator;
  logger: Logger;
  /** Public base URL (config.publicUrl); empty = derived from the request's host. */
  publicUrl: string;
  clock: Clock;
  /** Largest request body read (config ocpi.maxBodyBytes); a larger one is answered 413. */
  maxBodyBytes: number;
  /** Per-partner request rate (config ocpi.rateLimit). */
  rateLimit: RateLimit;
}

export const OCPI_VERSION = '2.2.1';

// transport §4.1.8: configuration modules take no routing headers; an invited partner may use only
// versions and credentials (transport §4.1.2).
const NOT_ROUTED = new Set(['credentials', 'hubclientinfo']);
const OPEN_TO_INVITED = new Set(['credentials']);

/**
 * The /ocpi router: versions (§6), version details for 2.2.1, and every module at /2.2.1/<id>, each
 * behind token authentication; X-Request-ID/X-Correlation-ID on every answer; errors as envelopes.
 * A module id given twice fails at start-up.
 *
 * Per request, in this order: the Token header (an unknown token is answered 401 without reading the
 * body), the partner's rate limit (429), path and query text PostgreSQL can store (2001), and only then
 * the JSON body, up to `maxBodyBytes` (413).
 */
export function createOcpiRouter(deps: OcpiRouterDeps, modules: OcpiModule[]): Router {
  const seen = new Set<string>();
  for (const m of modules) {
    if (seen.has(m.id)) throw new Error(`OCPI module ${m.id} registered twice`);
    seen.add(m.id);
  }
  const router = express.Router();
  router.use(ocpiRequestIds(deps.publicUrl));
  const rateLimit = ocpiRateLimit(deps.rateLimit, deps.clock);
  const body = express.json({ limit: deps.maxBodyBytes, type: () => true });
  const guard = (opts: AuthOptions) => [ocpiAuth(deps.auth, opts), rateLimit, rejectUnstorableText];
  const versionsGuard = guard({ allowInvited: true, isRouted: false });

  router.get('/versions', versionsGuard, (req: Request, res: Response) => {
    sendOcpi(res, [{ version: OCPI_VERSION, url: `${req.ocpi.baseUrl}/ocpi/${OCPI_VERSION}` }]);
  });
  router.get(`/${OCPI_VERSION}`, versionsGuard, (req: Request, res: Response) => {
    const base = `${req.ocpi.baseUrl}/ocpi/${OCPI_VERSION}`;
    sendOcpi(res, { version: OCPI_VERSION, endpoints: modules.map((m) => ({ identifier: m.id, role: m.role, url: `${base}/${m.id}` })) });
  });
  for (const m of modules) {
    router.use(`/${OCPI_VERSION}/${m.id}`, guard({ allowInvited: OPEN_TO_INVITED.has(m.id), isRouted: !NOT_ROUTED.has(m.id) }), body, m.router);
  }
  router.use((req: Request, res: Response) => {
    sendOcpi(res, undefined, { statusCode: 2000, httpStatus: 404, message: `no OCPI endpoint ${req.method} ${req.originalUrl.split('?')[0]}` });
  });
  router.use(ocpiErrorHandler(deps.logger));
  return router;
}
