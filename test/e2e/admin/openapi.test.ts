// The OpenAPI document served at /api/v1/openapi.yaml is valid YAML/OpenAPI 3 and documents exactly the
// routes the admin API answers: a route added without documentation, or documentation of a route that
// is gone, fails here.
import { expect } from 'chai';
import { load } from 'js-yaml';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { adminRoutesOf, HTTP_METHODS } from '../../helpers/admin-routes.ts';

const METHODS = HTTP_METHODS;

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

  it('should have no key without a value (an unquoted comma in a flow mapping makes the rest of a description a key)', async () => {
    const res = await t.api('GET', '/api/v1/openapi.yaml', undefined, { key: null });
    const stray: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (node === null || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        // null is a value only as a member of an enum (a nullable enum lists it)
        if (v === null && !(Array.isArray(node) && path.endsWith('/enum'))) stray.push(`${path}/${k}`);
        walk(v, `${path}/${k}`);
      }
    };
    walk(load(res.body), '');
    expect(stray).to.deep.equal([]);
  });

  it('should document every admin route and no route the API does not have', async () => {
    const res = await t.api('GET', '/api/v1/openapi.yaml', undefined, { key: null });
    const doc = load(res.body) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`));

    const served = adminRoutesOf(t.app.app);

    expect(served.filter((r) => !documented.includes(r)), 'served but not documented').to.deep.equal([]);
    expect(documented.filter((r) => !served.includes(r)), 'documented but not served').to.deep.equal([]);
  });
});
