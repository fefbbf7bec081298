import express, { type Request, type Response, type Router } from 'express';
import { TooManyAttempts, Unauthorized } from '../shared/errors.ts';
import { parsePaging, parseSerialId } from '../admin/http.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../admin/authenticate.ts';
import { csrfTokenOf, type AuthService, type Login } from './auth.service.ts';
import type { OperatorService } from './operator.service.ts';
import type { AuditService } from '../audit/audit.service.ts';

export interface AuthRouteDeps {
  auth: AuthService;
  sessionTtlMin: number;
  /** Cookies are Secure when the public URL is https (behind a TLS proxy) or the request came over TLS. */
  publicUrl: string;
}

const body = (req: Request): Record<string, unknown> => (req.body && typeof req.body === 'object' ? req.body : {});

function setSessionCookie(req: Request, res: Response, deps: AuthRouteDeps, value: string, maxAgeSec: number): void {
  const secure = req.secure || deps.publicUrl.startsWith('https:');
  res.append('Set-Cookie', `${SESSION_COOKIE}=${value}; Path=/api/v1; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSec}${secure ? '; Secure' : ''}`);
}

const loginView = (l: Login) => ({ token: l.token, csrfToken: l.csrfToken, csrfHeader: CSRF_HEADER, expiresAt: l.expiresAt, operator: l.operator });

/**
 * A refused login (wrong password, unknown email, locked out) in the audit log: the email tried and why it was
 * refused, never the password. Malformed input (400) is not a login attempt and is not recorded.
 */
async function recordFailedLogin(audit: AuditService, req: Request, err: unknown): Promise<void> {
  if (!(err instanceof Unauthorized || err instanceof TooManyAttempts)) return;
  const email = body(req).email as string;
  await audit.record({
    source: 'api', actorKind: 'operator', actorId: null, actorLabel: email, action: 'POST /auth/login (failed)',
    entityType: 'operators', entityId: null, before: null, after: null, request: { email, refused: err.message }, requestId: req.requestId ?? null,
  });
}

/** POST /auth/login: mounted before authentication; every login, successful or refused, is written to the audit log. */
export function loginRoutes(deps: AuthRouteDeps & { audit: AuditService }): Router {
  const r = express.Router();
  // Its own small body limit: read before any credentials were checked.
  r.post('/auth/login', express.json({ limit: '16kb' }), async (req, res) => {
    const login = await deps.auth.login(body(req).email, body(req).password).catch(async (err: unknown) => {
      await recordFailedLogin(deps.audit, req, err);
      throw err;
    });
    const { id, email } = login.operator;
    await deps.audit.record({
      source: 'api', actorKind: 'operator', actorId: String(id), actorLabel: email, action: 'POST /auth/login',
      entityType: 'operators', entityId: String(id), before: null, after: null, request: { email }, requestId: req.requestId ?? null,
    });
    setSessionCookie(req, res, deps, login.token, deps.sessionTtlMin * 60);
    res.set('Cache-Control', 'no-store').json(loginView(login));
  });
  return r;
}

function sessionOf(req: Request): { operatorId: number; sessionId: number; token: string } {
  const p = req.principal;
  if (p?.kind !== 'operator' || p.sessionId === undefined || !p.token) throw new Unauthorized('this needs an operator session (POST /api/v1/auth/login), not an API key');
  return { operatorId: p.id, sessionId: p.sessionId, token: p.token };
}

/** One's own session: who am I, log out, change my password. */
export function sessionRoutes(deps: AuthRouteDeps & { operators: OperatorService }): Router {
  const r = express.Router();
  r.get('/auth/me', async (req, res) => {
    const s = sessionOf(req);
    res.set('Cache-Control', 'no-store').json({ operator: await deps.operators.get(s.operatorId), csrfToken: csrfTokenOf(s.token), csrfHeader: CSRF_HEADER });
  });
  r.post('/auth/logout', async (req, res) => {
    await deps.auth.logout(sessionOf(req).sessionId);
    setSessionCookie(req, res, deps, '', 0);
    res.status(204).end();
  });
  r.post('/auth/password', async (req, res) => {
    await deps.auth.changePassword(sessionOf(req), body(req).currentPassword, body(req).newPassword);
    res.status(204).end();
  });
  return r;
}

/** Operator accounts (admins only, see src/access/permissions.ts). */
export function operatorAdminRoutes(deps: { operators: OperatorService }): Router {
  const r = express.Router();
  r.get('/operators', async (req, res) => {
    res.json({ data: await deps.operators.list(parsePaging(req)) });
  });
  r.post('/operators', async (req, res) => {
    const b = body(req);
    const { operator, oneTimePassword } = await deps.operators.add({ email: b.email, role: b.role, name: b.name, password: b.password });
    res.status(201).set('Cache-Control', 'no-store').json(oneTimePassword ? { ...operator, oneTimePassword } : operator);
  });
  r.get('/operators/:id', async (req, res) => {
    res.json(await deps.operators.get(parseSerialId(req.params.id)));
  });
  r.patch('/operators/:id', async (req, res) => {
    const b = body(req);
    res.json(await deps.operators.update(parseSerialId(req.params.id), { role: b.role, name: b.name, disabled: b.disabled }));
  });
  return r;
}
