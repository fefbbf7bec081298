// Serving the web apps (issue 11): / redirects to the dashboard, each app answers its index.html for any
// client route (SPA fallback), hashed assets with a year of caching and their content type, 404 for a
// missing asset, and 503 naming the build command when the apps are not built.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { contentSecurityPolicy, webRoutes } from '../../../src/web/static.routes.ts';

describe('e2e web: static serving of the apps', () => {
  let dir: string;
  let server: Server;
  let base: string;
  const get = (path: string) => fetch(`${base}${path}`, { redirect: 'manual' });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cpms-web-'));
    mkdirSync(join(dir, 'dashboard'));
    writeFileSync(join(dir, 'dashboard', 'index.html'), '<!doctype html><title>dashboard</title>');
    writeFileSync(join(dir, 'dashboard', 'main-ABC123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'dashboard', 'main-ABC123.css'), 'body{}');
    const app = express().use(webRoutes({ tileUrl: 'https://tiles.test/{z}/{x}/{y}.png', distDir: pathToFileURL(`${dir}/`) }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('should redirect / to the dashboard', async () => {
    const res = await get('/');
    expect([res.status, res.headers.get('location')]).to.deep.equal([302, '/dashboard']);
  });

  it('should answer index.html, not cached, for the app root and any client route', async () => {
    for (const path of ['/dashboard', '/dashboard/', '/dashboard/chargers/CP-1']) {
      const res = await get(path);
      expect([res.status, res.headers.get('content-type'), res.headers.get('cache-control'), await res.text()], path)
        .to.deep.equal([200, 'text/html; charset=utf-8', 'no-cache', '<!doctype html><title>dashboard</title>']);
    }
  });

  it('should serve hashed assets with their content type and a year of caching', async () => {
    const js = await get('/dashboard/main-ABC123.js');
    const css = await get('/dashboard/main-ABC123.css');
    expect([js.status, js.headers.get('content-type'), js.headers.get('cache-control')]).to.deep.equal([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect([css.status, css.headers.get('content-type')]).to.deep.equal([200, 'text/css; charset=utf-8']);
  });

  it('should answer 404 for a missing asset and never serve files outside the app', async () => {
    for (const path of ['/dashboard/main-NOPE.js', '/dashboard/..%2f..%2fpackage.json', '/dashboard/.hidden.txt']) {
      expect((await get(path)).status, path).to.equal(404);
    }
  });

  it('should answer 503 naming the build command for an app that is not built', async () => {
    const res = await get('/app/evse/E1');
    expect(res.status).to.equal(503);
    expect(await res.text()).to.match(/npm run build:web/);
  });

  it('should tell the apps the configured map tiles', async () => {
    expect(await (await get('/web-config.json')).json()).to.deep.equal({ tileUrl: 'https://tiles.test/{z}/{x}/{y}.png' });
  });

  it('should send index.html with a content security policy allowing only this server and the tile server', async () => {
    const res = await get('/dashboard/');
    expect(res.headers.get('content-security-policy')).to.equal(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https://tiles.test; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'");
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
  });

  it('should allow each subdomain of a tile server whose URL has {s}', () => {
    expect(contentSecurityPolicy('https://{s}.tile.example.org/{z}/{x}/{y}.png')).to.contain("img-src 'self' data: blob: https://*.tile.example.org;");
    expect(contentSecurityPolicy('not a url')).to.contain("img-src 'self' data: blob:;");
  });
});
