// Who is calling the admin API, and may they: an API key or an operator session (bearer token or cookie),
// then the CSRF check of cookie-authenticated changes, then the role check (src/access/permissions.ts).
import type { NextFunction, Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Unauthorized } from '../shared/errors.ts';
import type { ApiKeyService } from '../access/apikey.service.ts';
import { csrfTokenOf, isSessionToken, type AuthService } from '../access/auth.service.ts';
import { areaOf, isAllowed, rolesAllowed, type Role } from '../access/permissions.ts';
import { Forbidden } from './http.ts';

export const SESSION_COOKIE = 'cpms_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The caller of an admin API request. */
export interface Principal {
  kind: 'operator' | 'api_key';
  id: number;
  /** The operator's email or the API key's name. */
  label: string;
  role: Role;
  /** Operator sessions only. */
  sessionId?: number;
  mustChangePassword: boolean;
  /** Authenticated by the session cookie (browsers): unsafe methods need the CSRF header. */
  viaCookie: boolean;
  /** The session token presented (operator sessions only; never logged or stored). */
  token?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** The value of cookie `name` in the request's Cookie header. */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim(); // our tokens need no decoding
  }
  return undefined;
}

function bearerOf(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header : undefined;
}

const isUnsafe = (method: string): boolean => !['GET', 'HEAD', 'OPTIONS'].includes(method);

const sameText = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

async function principalOf(req: Request, deps: { apiKeys: ApiKeyService; auth: AuthService }): Promise<Principal> {
  const bearer = bearerOf(req);
  const token = bearer ?? cookieValue(req, SESSION_COOKIE);
  if (!token) throw new Unauthorized('missing credentials: an API key or a session (Authorization: Bearer <key or token>, or the session cookie)');
  if (isSessionToken(token)) {
    const s = await deps.auth.verify(token);
    return { kind: 'operator', id: s.operatorId, label: s.email, role: s.role, sessionId: s.sessionId, mustChangePassword: s.mustChangePassword, viaCookie: bearer === undefined, token };
  }
  const key = await deps.apiKeys.verify(token);
  return { kind: 'api_key', id: key.id, label: key.name, role: key.role, mustChangePassword: false, viaCookie: false };
}

/** Why `p` may not make this request, or undefined when it may. */
function refusal(p: Principal, req: Request): Forbidden | undefined {
  // A browser may send the cookie on a request another site made: a change needs the header it cannot read.
  if (p.viaCookie && isUnsafe(req.method)) {
    const sent = req.get(CSRF_HEADER);
    if (!sent || !sameText(sent, csrfTokenOf(p.token!))) return new Forbidden(`missing or wrong ${CSRF_HEADER} header: a change made with the session cookie needs the csrfToken given at login`);
  }
  if (p.mustChangePassword && areaOf(req.path) !== 'self') return new Forbidden('password change required: POST /api/v1/auth/password first');
  if (isAllowed(p.role, req.method, req.path)) return undefined;
  const roles = rolesAllowed(req.method, req.path);
  return new Forbidden(`role ${p.role} may not ${req.method} ${req.path}: needs role ${roles.join(' or ')}`);
}

/** Express middleware: sets req.principal, or answers 401 (no or bad credentials) / 403 (not allowed). */
export function authenticate(deps: { apiKeys: ApiKeyService; auth: AuthService }) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    try {
      const principal = await principalOf(req, deps);
      req.principal = principal;
      next(refusal(principal, req));
    } catch (err) {
      next(err);
    }
  };
}

/** Who did it, as recorded on sessions closed, alerts, tickets and the like: `operator:<email>` or `apikey:<id>`. */
export function actorOf(req: Request): string {
  const p = req.principal;
  if (!p) return 'unknown';
  return p.kind === 'operator' ? `operator:${p.label}` : `apikey:${p.id}`;
}
