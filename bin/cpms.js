#!/usr/bin/env node
// Entry point of the `cpms` command. Runs the compiled JavaScript in dist/ (built by `npm install` through
// the `prepare` script, or `npm run build`) when it is there; otherwise, or with CPMS_FROM_SOURCE=1 (the
// tests, a developer changing src/ without rebuilding), the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/index.js', import.meta.url);
let main;
if (process.env.CPMS_FROM_SOURCE !== '1' && existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/index.ts'));
}
process.exitCode = await main(process.argv);
