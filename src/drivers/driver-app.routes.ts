import express, { type Request, type Router } from 'express';
import { parsePaging, parseSerialId } from '../admin/http.ts';
import type { Clock } from '../shared/clock.ts';
import { InvalidInput } from '../shared/errors.ts';
import { TokenBuckets, type TokenBucketOptions } from '../shared/token-bucket.ts';
import { rejectUnstorableText } from '../shared/http-input.ts';
import type { DriverAppService } from './driver-app.service.ts';
import type { DriverAccountService } from './driver-account.service.ts';

/** The locale of the driver's browser for prices ("de-DE"), when it is a sane language tag. */
function localeOf(req: Request): string | undefined {
  const tag = req.acceptsLanguages()[0];
  if (!tag || tag === '*' || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag)) return undefined;
  try {
    return Intl.NumberFormat.supportedLocalesOf(tag)[0];
  } catch {
    return undefined;
  }
}

function bodyOf(req: Request): Record<string, unknown> {
  if (req.body === undefined) return {};
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw new InvalidInput('body: must be a JSON object');
  return req.body as Record<string, unknown>;
}

/** A token bucket per client address: 429 with Retry-After beyond it, before the body is read. */
function rateLimitByAddress(limit: { perSec: number; burst: number; maxClients: number }, clock: Clock): express.RequestHandler {
  const buckets = new TokenBuckets({ perSec: limit.perSec, burst: limit.burst, maxKeys: limit.maxClients } satisfies TokenBucketOptions);
  return (req, res, next) => {
    const outcome = buckets.take(req.ip ?? req.socket.remoteAddress ?? 'unknown', clock.now().getTime());
    if (outcome.allowed) return next();
    res.set('Retry-After', String(outcome.retryAfterSec));
    res.status(429).json({ error: { code: 'TOO_MANY_REQUESTS', message: `rate limit: at most ${limit.perSec} requests per second per client address (bursts of ${limit.burst}); retry after ${outcome.retryAfterSec} s` } });
  };
}

/**
 * The driver API under /api/v1/driver (issue 11), used by the driver app without an account: the charger
 * finder, one EVSE, an ad hoc start, and the session followed and stopped by the key the start returned.
 */
export function driverAppRoutes(deps: { driverApp: DriverAppService; accounts: DriverAccountService; clock: Clock; rateLimit: { perSec: number; burst: number; maxClients: number } }): Router {
  const r = express.Router();
  r.use(rateLimitByAddress(deps.rateLimit, deps.clock));
  r.use(rejectUnstorableText);
  r.use(express.json({ limit: '16kb' }));
  r.get('/evses', async (req, res) => {
    const locationId = typeof req.query.locationId === 'string' ? req.query.locationId : undefined;
    res.json({ data: await deps.driverApp.listEvses({ ...parsePaging(req), locationId, locale: localeOf(req) }) });
  });
  r.get('/evses/:evse', async (req, res) => void res.json(await deps.driverApp.getEvse(req.params.evse, localeOf(req))));
  r.post('/evses/:evse/start', async (req, res) => void res.status(201).json(await deps.driverApp.start(req.params.evse, bodyOf(req))));
  r.get('/sessions/:key', async (req, res) => void res.json(await deps.driverApp.session(req.params.key, localeOf(req))));
  r.post('/sessions/:key/stop', async (req, res) => void res.json(await deps.driverApp.stop(req.params.key)));
  // Driver accounts (issue 11): a bearer token of a driver session (POST /auth/login); nothing of the admin API.
  const a = deps.accounts;
  const signedIn: express.RequestHandler = (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer (\S+)$/i.exec(header)?.[1];
    a.authenticate(token).then((s) => {
      res.locals.driver = s;
      next();
    }, next);
  };
  const driverOf = (res: express.Response): { sessionId: number; driverId: number } => res.locals.driver as { sessionId: number; driverId: number };
  r.post('/auth/login', async (req, res) => {
    const b = bodyOf(req);
    res.json(await a.login(b.email, b.password));
  });
  r.post('/auth/logout', signedIn, async (_req, res) => {
    await a.logout(driverOf(res).sessionId);
    res.status(204).end();
  });
  r.get('/me', signedIn, async (_req, res) => void res.json(await a.me(driverOf(res).driverId)));
  r.post('/me/evses/:evse/start', signedIn, async (req, res) => void res.status(201).json(await a.start(driverOf(res).driverId, String(req.params.evse), bodyOf(req))));
  r.get('/me/sessions', signedIn, async (req, res) => void res.json({ data: await a.history(driverOf(res).driverId, parsePaging(req), localeOf(req)) }));
  r.get('/me/sessions/:id', signedIn, async (req, res) => void res.json(await a.session(driverOf(res).driverId, parseSerialId(String(req.params.id)), localeOf(req))));
  r.post('/me/sessions/:id/stop', signedIn, async (req, res) => void res.json(await a.stop(driverOf(res).driverId, parseSerialId(String(req.params.id)))));
  r.use((req, res) => void res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.path}` } }));
  return r;
}
