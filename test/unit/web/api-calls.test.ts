// The web apps call only documented routes (STYLE "Web apps": one API client checked against the OpenAPI
// document): every admin API path in web/ is in src/admin/openapi.yaml with that method, and every driver API
// path is served by src/drivers/driver-app.routes.ts. A renamed or removed route fails here, not in a browser.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { driverAppRoutes } from '../../../src/drivers/driver-app.routes.ts';
import type { DriverAppService } from '../../../src/drivers/driver-app.service.ts';
import type { DriverAccountService } from '../../../src/drivers/driver-account.service.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { routesOf, type Layer } from '../../helpers/admin-routes.ts';

const WEB = new URL('../../../web/', import.meta.url);

function sources(dir: URL): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return sources(new URL(`${e.name}/`, dir));
    return /\.tsx?$/.test(e.name) ? [readFileSync(new URL(e.name, dir), 'utf8')] : [];
  });
}

/** `/chargers/${encodeURIComponent(id)}/status-history${query(…)}` → `/chargers/{}/status-history`. */
function normalize(literal: string): string {
  const path = literal.slice(1, -1).split('${query(')[0]!.split('?')[0]!;
  return path.replace(/\$\{[^}]*\}/g, '{}');
}

/** `METHOD path` of every call in the web apps' sources: api('METHOD', path) and table/page `path` props (GET). */
function callsInWeb(): string[] {
  const calls = new Set<string>();
  for (const src of sources(WEB)) {
    for (const m of src.matchAll(/\bapi(?:<[^>]*>)?\('(GET|POST|PUT|PATCH|DELETE)',\s*(`[^`]*`|'[^']*')/g)) calls.add(`${m[1]} ${normalize(m[2]!)}`);
    for (const m of src.matchAll(/\bpath(?:=\{?|: )(`[^`]*`|'[^']*'|"[^"]*")/g)) calls.add(`GET ${normalize(m[1]!)}`);
  }
  // A path held in a variable (the generic table's) is checked where it is written, as a `path` prop.
  return [...calls].filter((c) => c.split(' ')[1]!.startsWith('/')).sort();
}

/** Whether `call` (params as `{}`) is one of `routes` (params as `{name}`). */
function isServed(call: string, routes: string[]): boolean {
  const [method, path] = call.split(' ');
  return routes.some((r) => {
    const [m, p] = r.split(' ');
    const a = path!.split('/');
    const b = p!.split('/');
    return m === method && a.length === b.length && a.every((seg, i) => seg === b[i] || (seg === '{}' && /^\{\w+\}$/.test(b[i]!)));
  });
}

describe('web apps: API calls', () => {
  const calls = callsInWeb();

  it('should find the calls of both apps', () => {
    expect(calls).to.include.members(['POST /auth/login', 'GET /live/summary', 'POST /chargers/{}/commands/{}', 'GET /driver/evses', 'POST /driver/sessions/{}/stop', 'GET /load-groups', 'GET /load-groups/{}', 'PUT /load-groups/{}/chargers/{}', 'DELETE /load-groups/{}/chargers/{}']);
  });

  it('should call only admin routes the OpenAPI document has, with their method', () => {
    const doc = load(readFileSync(new URL('../../../src/admin/openapi.yaml', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(calls.filter((c) => !c.includes(' /driver/') && !isServed(c, documented))).to.deep.equal([]);
  });

  it('should call only driver routes the driver API serves', () => {
    const served = routesOf((driverAppRoutes({ driverApp: {} as DriverAppService, accounts: {} as DriverAccountService, clock: systemClock, rateLimit: { perSec: 1, burst: 1, maxClients: 1 } }) as unknown as { stack: Layer[] }).stack).map((r) => r.replace(' /', ' /driver/'));
    expect(calls.filter((c) => c.includes(' /driver/') && !isServed(c, served))).to.deep.equal([]);
  });
});
