// The admin API's documentation, public (issue 14): the OpenAPI document as YAML and JSON, and a readable page at
// /api/v1/docs rendered by Swagger UI from the assets of the swagger-ui-dist package (no CDN, nothing fetched at
// run time).
import express, { type Router } from 'express';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { load } from 'js-yaml';
import { packageFile } from '../shared/package-files.ts';

const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png', 'favicon-16x16.png'];

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>cpms admin API</title>
  <link rel="stylesheet" href="docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="docs/assets/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <noscript>The admin API's OpenAPI document: <a href="openapi.yaml">openapi.yaml</a>, <a href="openapi.json">openapi.json</a>.</noscript>
  <div id="swagger-ui"></div>
  <script src="docs/assets/swagger-ui-bundle.js"></script>
  <script src="docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="docs/init.js"></script>
</body>
</html>
`;

// Relative URLs: the page works behind a proxy that mounts cpms under a prefix. Try-it-out sends the API key or
// session token typed into "Authorize".
const INIT = `window.ui = SwaggerUIBundle({
  url: new URL('openapi.json', window.location.href.replace(/\\/docs\\/?(\\?.*)?$/, '/')).href,
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
  validatorUrl: null,
  tryItOutEnabled: false,
});
`;

/** The paths this router serves (relative to /api/v1): documentation, not part of the documented API. */
export const DOC_ROUTES = ['GET /openapi.yaml', 'GET /openapi.json', 'GET /docs', 'GET /docs/init.js'];

export function docsRoutes(): Router {
  const router = express.Router();
  const yaml = readFileSync(packageFile('src/admin/openapi.yaml'), 'utf8');
  const json = JSON.stringify(load(yaml));
  const assetsDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  router.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(yaml);
  });
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(json);
  });
  router.get('/docs', (req, res) => {
    // docs/assets/... are relative to /api/v1/: /api/v1/docs/ would resolve them one level too deep.
    if (req.originalUrl.split('?')[0].endsWith('/')) return res.redirect(301, '../docs');
    res.type('html').set('Cache-Control', 'no-cache').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  router.get('/docs/assets/:file', (req, res) => {
    const file = req.params.file;
    if (!ASSETS.includes(file)) return res.status(404).json({ error: { code: 'NOT_FOUND', message: `no documentation asset ${file}` } });
    res.sendFile(path.join(assetsDir, file), { maxAge: '1d' });
  });
  return router;
}
