// Roles on every admin route (issue 9): each route the admin router serves is called by an operator of each
// role, and must be refused with 403 exactly when the role is not listed for it here. The list below is
// written by hand on purpose (not derived from src/access/permissions.ts), and a route the API serves that
// is missing here fails the test: a new route cannot be added without deciding who may call it.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { adminRoutesOf } from '../../helpers/admin-routes.ts';

type Role = 'admin' | 'operator' | 'viewer' | 'finance';
const ROLES: Role[] = ['admin', 'operator', 'viewer', 'finance'];
const ALL: Role[] = ROLES;
const NETWORK: Role[] = ['admin', 'operator'];
const BILLING: Role[] = ['admin', 'finance'];
const ADMIN: Role[] = ['admin'];

const EXPECTED: Record<string, Role[]> = {
  'POST /auth/login': ALL, 'GET /auth/me': ALL, 'POST /auth/logout': ALL, 'POST /auth/password': ALL,
  'GET /operators': ADMIN, 'POST /operators': ADMIN, 'GET /operators/{id}': ADMIN, 'PATCH /operators/{id}': ADMIN,
  'GET /audit': ADMIN,
  'POST /chargers': NETWORK, 'POST /chargers/bulk': NETWORK, 'POST /tokens/bulk': NETWORK, 'GET /chargers': ALL, 'GET /chargers/{id}': ALL, 'PUT /chargers/{id}/location': NETWORK,
  'PUT /chargers/{id}/connectors/{connectorId}': NETWORK, 'PUT /chargers/{id}/password': NETWORK, 'PUT /chargers/{id}/registration': NETWORK,
  'POST /chargers/{id}/accept': NETWORK, 'GET /chargers/{id}/status-history': ALL, 'GET /chargers/{id}/events': ALL,
  'GET /chargers/{id}/configuration': ALL, 'GET /chargers/{id}/device-model': ALL, 'GET /faults': ALL, 'POST /chargers/{id}/commands/{action}': NETWORK, 'POST /chargers/{id}/price-display': NETWORK,
  'POST /chargers/{id}/customer-information': NETWORK, 'GET /chargers/{id}/customer-information/{requestId}': ALL,
  'POST /locations': NETWORK, 'GET /locations': ALL, 'GET /locations/{id}': ALL, 'PUT /locations/{id}/publication': NETWORK,
  'POST /tokens': NETWORK, 'GET /tokens': ALL, 'PATCH /tokens/{id}': NETWORK,
  'GET /sessions': ALL, 'GET /sessions/{id}': ALL, 'POST /sessions/{id}/cdr': BILLING, 'POST /sessions/{id}/stop': NETWORK,
  'GET /alerts': ALL,
  'GET /alerts/{id}': ALL, 'POST /alerts/{id}/ack': NETWORK,
  'GET /webhooks': ALL, 'POST /webhooks': ADMIN, 'GET /webhooks/{id}': ALL, 'PATCH /webhooks/{id}': ADMIN, 'DELETE /webhooks/{id}': ADMIN,
  'GET /webhooks/{id}/deliveries': ALL, 'POST /webhooks/{id}/deliveries/{deliveryId}/retry': ADMIN,
  'GET /tickets': ALL, 'POST /tickets': NETWORK, 'GET /tickets/{id}': ALL, 'PATCH /tickets/{id}': NETWORK, 'POST /tickets/{id}/notes': NETWORK,
  'GET /maintenance-windows': ALL, 'POST /maintenance-windows': NETWORK, 'GET /maintenance-windows/{id}': ALL, 'POST /maintenance-windows/{id}/cancel': NETWORK,
  'GET /diagnostics': ALL, 'POST /diagnostics': NETWORK, 'GET /diagnostics/{id}': ALL,
  'GET /analytics/{metric}': ALL,
  'GET /own-parties': ALL, 'GET /own-parties/{countryCode}/{partyId}': ALL, 'PUT /own-parties/{countryCode}/{partyId}': ADMIN,
  'GET /firmware-campaigns': ALL, 'POST /firmware-campaigns': NETWORK, 'GET /firmware-campaigns/{id}': ALL, 'GET /firmware-campaigns/{id}/chargers': ALL, 'POST /firmware-campaigns/{id}/cancel': NETWORK,
  'GET /configuration-templates': ALL, 'POST /configuration-templates': NETWORK, 'GET /configuration-templates/{id}': ALL, 'PUT /configuration-templates/{id}': NETWORK,
  'DELETE /configuration-templates/{id}': NETWORK, 'GET /configuration-templates/{id}/drift': ALL, 'POST /configuration-templates/{id}/apply': NETWORK,
  'GET /events': ALL, 'GET /live/chargers': ALL, 'GET /live/summary': ALL, 'GET /live/locations': ALL,
  'POST /drivers': NETWORK, 'GET /drivers': ALL, 'GET /drivers/{id}': ALL, 'PATCH /drivers/{id}': NETWORK, 'DELETE /drivers/{id}': NETWORK,
  'POST /drivers/{id}/password': NETWORK, 'PUT /drivers/{id}/tokens/{tokenId}': NETWORK, 'DELETE /drivers/{id}/tokens/{tokenId}': NETWORK,
  'POST /groups': NETWORK, 'GET /groups': ALL, 'GET /groups/{id}': ALL, 'DELETE /groups/{id}': NETWORK,
  'PUT /groups/{id}/members/{driverId}': NETWORK, 'DELETE /groups/{id}/members/{driverId}': NETWORK,
  'POST /groups/{id}/rules': NETWORK, 'DELETE /groups/{id}/rules/{ruleId}': NETWORK,
  'GET /locations/{id}/access': ALL, 'PUT /locations/{id}/access': NETWORK, 'GET /access-refusals': ALL,
  'GET /chargers/{id}/local-list': ALL, 'POST /chargers/{id}/local-list/sync': NETWORK,
  'PUT /locations/{id}/adhoc': NETWORK, 'POST /adhoc/sessions': NETWORK, 'GET /adhoc/sessions/{id}': ALL,
  'GET /jobs': ALL, 'GET /jobs/runs': ALL, 'POST /jobs/{name}/run': ADMIN,
  'POST /partners/invitations': ADMIN, 'POST /partners': ADMIN, 'GET /partners': ADMIN, 'GET /partners/{id}': ADMIN, 'DELETE /partners/{id}': ADMIN,
  'POST /partners/{id}/credentials/update': ADMIN, 'GET /partners/{id}/outbox': ADMIN, 'POST /partners/{id}/outbox/{rowId}/retry': ADMIN,
  'POST /tariffs/price': NETWORK, 'GET /tariffs': ALL, 'PUT /tariffs/{id}': NETWORK, 'GET /tariffs/{id}': ALL, 'DELETE /tariffs/{id}': NETWORK,
  'POST /tariffs/{id}/assignments': NETWORK, 'GET /tariffs/{id}/assignments': ALL, 'DELETE /tariffs/{id}/assignments/{assignmentId}': NETWORK,
  'GET /cdrs': ALL, 'GET /cdrs/{id}': ALL, 'POST /cdrs/{id}/credit': BILLING,
  'GET /statements': ALL, 'GET /statements/{id}.csv': ALL, 'GET /statements/{id}': ALL,
  'GET /reservations': ALL, 'GET /reservations/{id}': ALL, 'POST /reservations/{id}/cancel': NETWORK,
  'GET /security-events': ALL, 'POST /chargers/{id}/rotate-password': NETWORK, 'POST /chargers/{id}/security-profile': NETWORK, 'GET /certificates': ALL,
  'GET /log-requests': ALL, 'POST /log-requests': NETWORK, 'GET /log-requests/{id}': ALL, 'GET /log-requests/{id}/file': ALL,
  'GET /load-groups': ALL, 'POST /load-groups': NETWORK, 'GET /load-groups/{id}': ALL, 'PATCH /load-groups/{id}': NETWORK, 'DELETE /load-groups/{id}': NETWORK,
  'PUT /load-groups/{id}/schedule': NETWORK, 'PUT /load-groups/{id}/unmanaged-load': NETWORK,
  'GET /load-groups/{id}/price-curve': ALL, 'PUT /load-groups/{id}/price-curve': NETWORK, 'DELETE /load-groups/{id}/price-curve': NETWORK,
  'PUT /load-groups/{id}/chargers/{chargePointId}': NETWORK, 'DELETE /load-groups/{id}/chargers/{chargePointId}': NETWORK,
};

// Ids of nothing: an allowed call changes nothing (404 / 400), a refused one is 403 before any lookup.
const PARAMS: Record<string, string> = { id: '2147483000', connectorId: '1', action: 'Reset', name: 'no-such-job', rowId: '2147483000', assignmentId: '2147483000', deliveryId: '2147483000', tokenId: '2147483000', driverId: '2147483000', ruleId: '2147483000', chargePointId: 'NO-SUCH-CP' };
// An allowed GET /events would stream forever: called with a type that does not exist, it is answered 400.
const QUERY: Record<string, string> = { '/events': '?types=no-such-type' };
const concrete = (path: string): string => path.replace(/\{(\w+)\}/g, (_m, p: string) => PARAMS[p] ?? 'x') + (QUERY[path] ?? '');

// The own-session routes end or change the session: called last.
const order = (route: string): number => (route === 'POST /auth/logout' ? 2 : route.includes(' /auth/') ? 1 : 0);

describe('e2e admin API: roles on every route', () => {
  const t = useTestApp();
  const tokens = {} as Record<Role, string>;
  const keys = {} as Record<Role, string>;

  before(async () => {
    for (const role of ROLES) {
      const email = `${role}@roles.example.com`;
      await t.app.services.operators.add({ email, role, password: 'a long enough password' });
      tokens[role] = (await t.api('POST', '/api/v1/auth/login', { email, password: 'a long enough password' }, { key: null })).body.token;
      keys[role] = (await t.app.services.apiKeys.create(`roles-${role}`, role)).key;
    }
  });

  it('should list every route the admin API serves (a new route must be given its roles here)', () => {
    const served = adminRoutesOf(t.app.app);

    expect(served.filter((r) => !(r in EXPECTED)), 'served routes without roles').to.deep.equal([]);
    expect(Object.keys(EXPECTED).filter((r) => !served.includes(r)), 'listed routes not served').to.deep.equal([]);
  });

  for (const role of ROLES) {
    it(`should let an operator of role ${role} call exactly its routes, and refuse the others with 403 naming the roles`, async () => {
      const wrong: string[] = [];
      const routes = Object.keys(EXPECTED).filter((r) => r !== 'POST /auth/login').sort((a, b) => order(a) - order(b));

      for (const route of routes) {
        const [method, path] = route.split(' ');
        const res = await t.api(method, `/api/v1${concrete(path)}`, method === 'GET' ? undefined : {}, { key: tokens[role] });
        const allowed = EXPECTED[route].includes(role);
        if (res.status === 401) wrong.push(`${route}: 401`);
        else if (allowed === (res.status === 403)) wrong.push(`${route}: ${res.status} ${JSON.stringify(res.body)}`);
        else if (!allowed && !res.body.error.message.includes(`needs role ${EXPECTED[route].join(' or ')}`)) wrong.push(`${route}: message ${res.body.error.message}`);
      }

      expect(wrong).to.deep.equal([]);
    });
  }

  it('should give API keys the same roles as operators', async () => {
    const samples = ['POST /tokens', 'POST /cdrs/{id}/credit', 'GET /audit', 'GET /cdrs', 'POST /jobs/{name}/run'];
    const wrong: string[] = [];

    for (const role of ROLES) {
      for (const route of samples) {
        const [method, path] = route.split(' ');
        const res = await t.api(method, `/api/v1${concrete(path)}`, method === 'GET' ? undefined : {}, { key: keys[role] });
        if (EXPECTED[route].includes(role) === (res.status === 403) || res.status === 401) wrong.push(`${role} ${route}: ${res.status}`);
      }
    }

    expect(wrong).to.deep.equal([]);
  });

  it('should refuse every route but the login without credentials with 401', async () => {
    const statuses = new Set<number>();

    for (const route of Object.keys(EXPECTED).filter((r) => r !== 'POST /auth/login')) {
      const [method, path] = route.split(' ');
      statuses.add((await t.api(method, `/api/v1${concrete(path)}`, undefined, { key: null })).status);
    }

    expect([...statuses]).to.deep.equal([401]);
  });
});
