// The audit log of the admin API (issue 9): every successful change (POST, PUT, PATCH, DELETE) is recorded
// with its caller, route, entity, the request body and the entity's state before and after (from the
// entity's reader when it has one, else the response body), all redacted by the AuditService. The entry is
// written before the response leaves: a client that got its answer can rely on the entry being stored.
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../shared/logger.ts';
import type { AuditService } from '../audit/audit.service.ts';

/** Reads an entity's current state by its id (path segment), for its before/after in the audit log. */
export type EntityReader = (id: string) => Promise<unknown>;

export interface AuditTrailDeps {
  audit: AuditService;
  logger: Logger;
  /** By entity type (first path segment, e.g. `tariffs`). */
  readers: Record<string, EntityReader>;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'express-serve-static-core' {
  interface Request {
    requestId?: string;
  }
}

/** Middleware: the request's id is the client's X-Request-ID when it is a sane one, else a new UUID; echoed back. */
export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const sent = req.get('x-request-id');
  // Already given by the app's request log (src/app/request-log.ts) when mounted behind it.
  req.requestId ??= sent && /^[\x21-\x7e]{1,100}$/.test(sent) ? sent : randomUUID();
  res.set('X-Request-ID', req.requestId);
  next();
}

/** `tariffs` and `T1` of /tariffs/T1/assignments; the id of a creation comes from the response body. */
function entityOf(req: Request, body: unknown): { type: string | null; id: string | null } {
  const [, segment, id] = req.path.split('/');
  const type = segment?.toLowerCase();
  // One's own login (logout, password change) is a change of one's account.
  if (type === 'auth' && req.principal?.kind === 'operator') return { type: 'operators', id: String(req.principal.id) };
  if (id) return { type: type || null, id: decodeURIComponent(id) };
  const b = body as { id?: unknown; partner?: { id?: unknown }; operator?: { id?: unknown } } | undefined;
  const created = b?.id ?? b?.partner?.id ?? b?.operator?.id;
  return { type: type || null, id: created === undefined || created === null ? null : String(created) };
}

async function readQuietly(read: EntityReader | undefined, id: string | null): Promise<unknown> {
  if (!read || id === null) return undefined;
  try {
    return (await read(id)) ?? null;
  } catch {
    return null; // not there (yet, or any more): no state to show
  }
}

/** Express middleware recording successful changes; mount after authentication, before the routes. */
export function auditTrail(deps: AuditTrailDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const requestId = req.requestId ?? null;
    if (!UNSAFE.has(req.method) || !req.principal) return next();
    const target = entityOf(req, undefined);
    const reader = target.type === null ? undefined : deps.readers[target.type];
    const before = await readQuietly(reader, target.id);
    let body: unknown;
    const json = res.json.bind(res);
    res.json = (b: unknown) => {
      body = b;
      return json(b);
    };
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let done = false;
    res.end = ((...args: unknown[]) => {
      if (done || res.statusCode >= 400) return end(...args);
      done = true;
      record(deps, req, { before, body, reader, requestId })
        .catch((err) => deps.logger.error('audit log entry not written', { requestId, method: req.method, path: req.path, err: (err as Error).message }))
        .finally(() => end(...args));
      return res;
    }) as Response['end'];
    next();
  };
}

async function record(deps: AuditTrailDeps, req: Request, o: { before: unknown; body: unknown; reader?: EntityReader; requestId: string | null }): Promise<void> {
  const p = req.principal!;
  const entity = entityOf(req, o.body);
  const after = o.reader ? await readQuietly(o.reader, entity.id) : o.body;
  await deps.audit.record({
    source: 'api', actorKind: p.kind, actorId: String(p.id), actorLabel: p.label,
    action: `${req.method} ${req.route?.path ?? req.path}`,
    entityType: entity.type, entityId: entity.id, before: o.before, after, request: req.body, requestId: o.requestId,
  });
}
