import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, type Router } from 'express';
import { packageFile } from '../shared/package-files.ts';

/** The two single-page apps (issue 11), built by `npm install` (scripts/build-web.js) into dist/web/<app>/. */
export const WEB_APPS = ['dashboard', 'app'] as const;

/** Built asset names carry a content hash (main-3F2A….js): cached for a year; index.html never. */
const ASSET_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

/**
 * The apps load only their own code and talk only to this server; map tiles may come from the configured
 * tile server. Inline styles are allowed: Leaflet and uPlot position their elements with them.
 */
export function contentSecurityPolicy(tileUrl: string): string {
  let tiles = '';
  try {
    // Leaflet's {s} is a subdomain (a, b, c): allowed as a wildcard; {z}/{x}/{y} are in the path.
    tiles = tileUrl ? ` ${new URL(tileUrl.replace('{s}', 'subdomain-placeholder').replace(/\{[a-z]+\}/g, '0')).origin.replace('subdomain-placeholder', '*')}` : '';
  } catch {
    tiles = '';
  }
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:${tiles}; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'`;
}

function sendIndex(root: string, res: Response, csp: string): void {
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Security-Policy', csp);
  res.sendFile('index.html', { root });
}

/** One app: its hashed assets, a 404 for a missing one (a path with an extension), index.html for any other path (client routes). */
function appRouter(root: string, csp: string): Router {
  const r = express.Router();
  r.get('/{*path}', (req: Request, res: Response, next) => {
    const last = req.path.split('/').pop() ?? '';
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!last.includes('.')) return sendIndex(root, res, csp);
    res.sendFile(req.path, { root, maxAge: ASSET_MAX_AGE_MS, immutable: true, dotfiles: 'deny' }, (err?: Error & { status?: number; statusCode?: number }) => {
      if (!err) return;
      if (res.headersSent) return next(err);
      const status = err.status ?? err.statusCode ?? 500;
      if (status === 404 || status === 403) res.status(404).type('text/plain').send(`not found: ${req.originalUrl}`);
      else next(err);
    });
  });
  return r;
}

/**
 * The operator dashboard under /dashboard (and / redirects there) and the driver app under /app, served by
 * the cpms process itself (no CDN, nothing fetched at run time); /web-config.json tells them the map tiles.
 * Without a build (an install that omitted devDependencies) both answer 503 saying so.
 */
export function webRoutes(o: { tileUrl: string; distDir?: URL }): Router {
  const r = express.Router();
  const dist = o.distDir ?? packageFile('dist/web/');
  const csp = contentSecurityPolicy(o.tileUrl);
  r.get('/', (_req, res) => res.redirect(302, '/dashboard'));
  r.get('/web-config.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json({ tileUrl: o.tileUrl });
  });
  for (const app of WEB_APPS) {
    const root = fileURLToPath(new URL(`${app}/`, dist));
    r.use(`/${app}`, (req, res, next) => {
      if (existsSync(`${root}index.html`)) return next();
      res.status(503).type('text/plain').send(`the ${app} is not built: run npm run build:web`);
    }, appRouter(root, csp));
  }
  return r;
}
