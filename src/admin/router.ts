import express, { type Router } from 'express';
import type { Logger } from '../shared/logger.ts';
import { rejectUnstorableText } from '../shared/http-input.ts';
import type { ApiKeyService } from '../access/apikey.service.ts';
import type { AuthService } from '../access/auth.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { adminErrorHandler } from './http.ts';
import { authenticate } from './authenticate.ts';
import { assignRequestId, auditTrail, type EntityReader } from './audit-trail.ts';
import { docsRoutes } from './docs.routes.ts';

const BULK_BODY_LIMIT = '16mb';
const BULK_PATHS = ['/chargers/bulk', '/tokens/bulk'];

export interface AdminRouterDeps {
  apiKeys: ApiKeyService;
  auth: AuthService;
  audit: AuditService;
  logger: Logger;
  /** Answered without credentials (the login). */
  publicRouters: Router[];
  routers: Router[];
  /** Entity readers for the before/after of audit entries, by entity type (first path segment). */
  auditReaders: Record<string, EntityReader>;
}

/**
 * The admin API under /api/v1: the login, then authentication (API key or operator session), the role check
 * (src/access/permissions.ts), the audit trail of changes, the domain routers, and one error handler. The
 * documentation (OpenAPI document, /docs page) is public.
 */
export function createAdminRouter(deps: AdminRouterDeps): Router {
  const router = express.Router();
  router.use(docsRoutes());
  router.use(assignRequestId);
  for (const r of deps.publicRouters) router.use(r);
  router.use(authenticate({ apiKeys: deps.apiKeys, auth: deps.auth }));
  // After the credentials check: an unauthenticated request is answered 401 without its body being read.
  router.use(rejectUnstorableText);
  // A bulk import of 10,000 rows (POST /chargers/bulk, /tokens/bulk) is a few MB of JSON.
  router.use(BULK_PATHS, express.json({ limit: BULK_BODY_LIMIT }));
  router.use(express.json({ limit: '1mb' }));
  router.use(auditTrail({ audit: deps.audit, logger: deps.logger, readers: deps.auditReaders }));
  for (const r of deps.routers) router.use(r);
  router.use((req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.path}` } });
  });
  router.use(adminErrorHandler(deps.logger));
  return router;
}
