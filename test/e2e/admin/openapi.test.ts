// The OpenAPI document served at /api/v1/openapi.yaml is valid YAML/OpenAPI 3 and documents exactly the
// routes the admin API answers: a route added without documentation, or documentation of a route that
// is gone, fails here.
import { expect } from 'chai';
import { load } from 'js-yaml';
import { useTestApp } from '../../helpers/use-test-app.ts';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** `METHOD /path` of every route below `stack`, express `:param` written as OpenAPI `{param}`. */
function routesOf(stack: Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m] && METHODS.includes(m));
      return paths.flatMap((p) => methods.map((m) => `${m.toUpperCase()} ${p.replace(/:(\w+)/g, '{$1}')}`));
    }
    return layer.handle?.stack ? routesOf(layer.handle.stack) : [];
  });
}

/** The router that serves /openapi.yaml is the admin router. */
function findAdminRouter(stack: Layer[]): Layer[] | undefined {
  for (const layer of stack) {
    const inner = layer.handle?.stack;
    if (!inner) continue;
    if (inner.some((l) => l.route?.path === '/openapi.yaml')) return inner;
    const found = findAdminRouter(inner);
    if (found) return found;
  }
  return undefined;
}

describe('e2e admin API OpenAPI document', () => {
  const t = useTestApp();

  it('should parse as OpenAPI 3 with responses on every operation', async () => {
    const res = await t.api('GET', '/api/v1/openapi.yaml', undefined, { key: null });

    const doc = load(res.body) as { openapi: string; paths: Record<string, Record<string, { responses?: object }>> };
    expect(doc.openapi).to.match(/^3\./);
    const withoutResponses = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).filter(([m, op]) => METHODS.includes(m) && !op.responses).map(([m]) => `${m.toUpperCase()} ${path}`));
    expect(withoutResponses).to.deep.equal([]);
  });

  it('should document every admin route and no route the API does not have', async () => {
    const res = await t.api('GET', '/api/v1/openapi.yaml', undefined, { key: null });
    const doc = load(res.body) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`));

    const admin = findAdminRouter((t.app.app as unknown as { router: { stack: Layer[] } }).router.stack);
    const served = routesOf(admin ?? []).filter((r) => r !== 'GET /openapi.yaml');

    expect(admin, 'admin router').to.not.equal(undefined);
    expect(served.filter((r) => !documented.includes(r)), 'served but not documented').to.deep.equal([]);
    expect(documented.filter((r) => !served.includes(r)), 'documented but not served').to.deep.equal([]);
  });
});
