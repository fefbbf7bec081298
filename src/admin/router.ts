import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { readFileSync } from 'node:fs';
import type { Logger } from '../shared/logger.ts';
import { Unauthorized } from '../shared/errors.ts';
import { packageFile } from '../shared/package-files.ts';
import { rejectUnstorableText } from '../shared/http-input.ts';
import { isAllowed, type ApiKeyService } from '../access/apikey.service.ts';
import type { ApiKey } from '../access/apikey.repo.ts';
import { adminErrorHandler, Forbidden } from './http.ts';

const BULK_BODY_LIMIT = '16mb';
const BULK_PATHS = ['/chargers/bulk', '/tokens/bulk'];
const openapiUrl = packageFile('src/admin/openapi.yaml');

declare module 'express-serve-static-core' {
  interface Request {
    apiKey?: ApiKey;
  }
}

function keyFrom(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header : undefined;
}

/**
 * The admin API under /api/v1: API-key auth (Authorization: Bearer <key> or X-API-Key), role check,
 * the domain routers, and one error handler. The OpenAPI document is public.
 */
export function createAdminRouter(deps: { apiKeys: ApiKeyService; logger: Logger; routers: Router[] }): Router {
  const router = express.Router();
  const openapi = readFileSync(openapiUrl, 'utf8');
  router.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(openapi);
  });
  router.use(async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const key = keyFrom(req);
      if (!key) throw new Unauthorized('missing API key (Authorization: Bearer <key>)');
      req.apiKey = await deps.apiKeys.verify(key);
      if (!isAllowed(req.apiKey.role, req.method)) {
        next(new Forbidden(`role ${req.apiKey.role} may not ${req.method}`));
        return;
      }
      next();
    } catch (err) {
      next(err);
    }
  });
  // After the key check: an unauthenticated request is answered 401 without its body being read.
  router.use(rejectUnstorableText);
  // A bulk import of 10,000 rows (POST /chargers/bulk, /tokens/bulk) is a few MB of JSON.
  router.use(BULK_PATHS, express.json({ limit: BULK_BODY_LIMIT }));
  router.use(express.json({ limit: '1mb' }));
  for (const r of deps.routers) router.use(r);
  router.use((req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.path}` } });
  });
  router.use(adminErrorHandler(deps.logger));
  return router;
}
