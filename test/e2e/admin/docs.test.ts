// The admin API's documentation (issue 14): a readable page at /api/v1/docs built from assets shipped in the
// package (no CDN), and the OpenAPI document as YAML and JSON, all public.
import { expect } from 'chai';
import { load } from 'js-yaml';
import { useTestApp } from '../../helpers/use-test-app.ts';

describe('e2e admin API documentation', () => {
  const t = useTestApp();
  const get = (path: string) => fetch(`${t.httpUrl}${path}`);

  it('should serve the OpenAPI document as JSON equal to the YAML one, without credentials', async () => {
    const yaml = await get('/api/v1/openapi.yaml');
    const json = await get('/api/v1/openapi.json');

    expect([yaml.status, json.status]).to.deep.equal([200, 200]);
    expect(json.headers.get('content-type')).to.include('application/json');
    expect(await json.json()).to.deep.equal(load(await yaml.text()));
  });

  it('should serve a readable page whose every script and stylesheet is served by cpms itself', async () => {
    const page = await get('/api/v1/docs');
    const html = await page.text();

    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.include('text/html');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.filter((r) => /^(https?:)?\/\//.test(r)), 'no outside address').to.deep.equal([]);
    for (const ref of refs) {
      const asset = await get(new URL(ref, `${t.httpUrl}/api/v1/docs`).pathname);
      expect(asset.status, ref).to.equal(200);
      expect((await asset.arrayBuffer()).byteLength, ref).to.be.greaterThan(0);
    }
    expect(refs).to.include('docs/assets/swagger-ui-bundle.js');
    const init = await (await get('/api/v1/docs/init.js')).text();
    expect(init).to.include('openapi.json').and.include('SwaggerUIBundle');
  });

  it('should send a trailing-slash docs address to the page and refuse an asset it does not ship', async () => {
    const slash = await fetch(`${t.httpUrl}/api/v1/docs/`, { redirect: 'manual' });
    const other = await get('/api/v1/docs/assets/package.json');

    expect(slash.status).to.equal(301);
    expect(new URL(slash.headers.get('location')!, `${t.httpUrl}/api/v1/docs/`).pathname).to.equal('/api/v1/docs');
    expect(other.status).to.equal(404);
  });
});
