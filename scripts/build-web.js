// Builds the web apps (issue 11) with esbuild into dist/web/<app>/: index.html, and JS and CSS bundles whose
// names carry a content hash (served with a year of caching by src/web/static.routes.ts). Everything the
// apps need (Preact, Leaflet, uPlot, their CSS) is bundled: nothing is fetched from a CDN at run time.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const root = new URL('../', import.meta.url);
const APPS = [
  { name: 'dashboard', title: 'cpms dashboard' },
  { name: 'app', title: 'Charge' },
];

const page = (title, base, js, css) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${css ? `<link rel="stylesheet" href="${base}${css}">` : ''}
</head>
<body>
<div id="root"></div>
<script type="module" src="${base}${js}"></script>
</body>
</html>
`;

for (const app of APPS) {
  const outdir = new URL(`dist/web/${app.name}/`, root).pathname;
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: [new URL(`web/${app.name}/main.tsx`, root).pathname],
    bundle: true,
    outdir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    publicPath: `/${app.name}/`,
    format: 'esm',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: true,
    metafile: true,
    loader: { '.png': 'file', '.svg': 'file' },
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const js = outputs.find((f) => f.startsWith('main-') && f.endsWith('.js'));
  const css = outputs.find((f) => f.startsWith('main-') && f.endsWith('.css'));
  writeFileSync(`${outdir}index.html`, page(app.title, `/${app.name}/`, js, css));
}
process.stdout.write('cpms: web apps built into dist/web/\n');
