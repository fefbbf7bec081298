// `npm install` / `npm ci` run this (package.json "prepare"): builds dist/ so that `npm start` runs compiled
// JavaScript. An install without devDependencies (--omit=dev) has no TypeScript compiler: it skips the build
// and bin/cpms.js runs the TypeScript sources through tsx (a runtime dependency) instead.
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
process.exit(build.status ?? 1);
