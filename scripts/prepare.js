// `npm install` / `npm ci` run this (package.json "prepare"): builds dist/ so that `npm start` runs compiled
// JavaScript, and the web apps into dist/web/ (scripts/build-web.js). An install without devDependencies
// (--omit=dev) has no TypeScript compiler and no esbuild: it skips both builds and bin/cpms.js runs the
// TypeScript sources through tsx (a runtime dependency) instead; /dashboard and /app then say they are not built.
import { spawnSync } from 'node:child_process';
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
const build = spawnSync(process.execPath, [tsc, '-p', new URL('../tsconfig.build.json', import.meta.url).pathname], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const web = spawnSync(process.execPath, [new URL('./build-web.js', import.meta.url).pathname], { stdio: 'inherit' });
process.exit(web.status ?? 1);
