// Pure: who may do what on the admin API (issue 9). One table from area to each role's access; an admin
// route belongs to an area by its first path segment. A path in no area is admin-only (deny by default),
// and test/e2e/admin/roles.test.ts fails for any served route that has no area.

export type Role = 'admin' | 'operator' | 'viewer' | 'finance';
export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer', 'finance'];

/** network: the charging network and its commands; billing: CDRs and statements; self: one's own login. */
export type Area = 'network' | 'monitoring' | 'sessions' | 'billing' | 'analytics' | 'system' | 'roaming' | 'accounts' | 'self';

type Access = 'write' | 'read' | 'none';

const AREA_OF_SEGMENT: Record<string, Area> = {
  chargers: 'network', faults: 'network', locations: 'network', tokens: 'network', tariffs: 'network', reservations: 'network', alerts: 'network',
  tickets: 'network', 'maintenance-windows': 'network', diagnostics: 'network', 'firmware-campaigns': 'network', 'configuration-templates': 'network',
  // Live monitoring (GET /events, GET /live/...): read by every role.
  events: 'monitoring', live: 'monitoring',
  // OCPP security events chargers report (issue 13).
  'security-events': 'network', certificates: 'network', 'log-requests': 'network',
  drivers: 'network', groups: 'network', 'access-refusals': 'network', adhoc: 'network',
  'load-groups': 'network',
  sessions: 'sessions',
  cdrs: 'billing', statements: 'billing',
  analytics: 'analytics',
  jobs: 'system', webhooks: 'system', 'own-parties': 'system',
  partners: 'roaming',
  operators: 'accounts', audit: 'accounts', apikeys: 'accounts',
  auth: 'self',
};

// Every role reads what is not an admin's alone; each writes its own area; only admins manage accounts,
// API keys, partners and jobs.
const ACCESS: Record<Role, Record<Area, Access>> = {
  admin: { network: 'write', monitoring: 'write', sessions: 'write', billing: 'write', analytics: 'write', system: 'write', roaming: 'write', accounts: 'write', self: 'write' },
  operator: { monitoring: 'read', network: 'write', sessions: 'read', billing: 'read', analytics: 'read', system: 'read', roaming: 'none', accounts: 'none', self: 'write' },
  finance: { monitoring: 'read', network: 'read', sessions: 'read', billing: 'write', analytics: 'read', system: 'read', roaming: 'none', accounts: 'none', self: 'write' },
  viewer: { monitoring: 'read', network: 'read', sessions: 'read', billing: 'read', analytics: 'read', system: 'read', roaming: 'none', accounts: 'none', self: 'write' },
};

const isRead = (method: string): boolean => method === 'GET' || method === 'HEAD';

/** The area of an admin API path (relative to /api/v1), or undefined for a path in none. */
export function areaOf(path: string): Area | undefined {
  // Building a session's CDR is billing, not the session itself.
  if (/^\/sessions\/[^/]+\/cdr\/?$/.test(path)) return 'billing';
  // Stopping a session is a command to the network (RemoteStopTransaction or a force-close).
  if (/^\/sessions\/[^/]+\/stop\/?$/.test(path)) return 'network';
  // Express matches routes case-insensitively: /OPERATORS is /operators.
  const segment = (path.split('/')[1] ?? '').toLowerCase();
  return Object.hasOwn(AREA_OF_SEGMENT, segment) ? AREA_OF_SEGMENT[segment] : undefined;
}

/** Whether `role` may call `method path`; a path in no area is admin-only. */
export function isAllowed(role: Role, method: string, path: string): boolean {
  if (role === 'admin') return true;
  const area = areaOf(path);
  if (!area) return false;
  const access = ACCESS[role][area];
  return access === 'write' || (access === 'read' && isRead(method));
}

/** The roles that may call `method path`, for the message of a refusal. */
export function rolesAllowed(method: string, path: string): Role[] {
  return ROLES.filter((role) => isAllowed(role, method, path));
}

/** Whether `role` names a role. */
export const isRole = (role: unknown): role is Role => ROLES.includes(role as Role);
