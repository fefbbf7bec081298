// `npm install` / `npm ci` run this (package.json "prepare"): builds dist/ so that `npm start` runs compiled
// JavaScript, and the web apps into dist/web/ (scripts/build-web.js). An install without devDependencies
// (--omit=dev) has no TypeScript compiler and no esbuild: it skips both builds and bin/cpms.js runs the
// TypeScript sources through tsx (a runtime dependency) instead; /dashboard and /app then say they are not built.
// `npm run build` runs it with --compiled-only (no web apps).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  process.stdout.write('cpms: no TypeScript compiler (devDependencies omitted): dist/ not built, bin/cpms.js runs the sources through tsx\n');
  process.exit(0);
}
// The compiled tree is rebuilt from nothing: a source removed or renamed since the last build (a migration
// above all: the compiled server would apply it) must not stay behind in dist/.
for (const dir of ['src', 'migrations']) rmSync(new URL(`../dist/${dir}`, import.meta.url), { recursive: true, force: true });
const build = spawnSync(process.execPath, [tsc, '-p', new URL('../tsconfig.build.json', import.meta.url).pathname], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
if (process.argv.includes('--compiled-only')) process.exit(0);
const web = spawnSync(process.execPath, [new URL('./build-web.js', import.meta.url).pathname], { stdio: 'inherit' });
process.exit(web.status ?? 1);
