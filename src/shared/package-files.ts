// Data files shipped beside the code (config/default.json, ocpi-schemas/, src/admin/openapi.yaml), found from
// the package root both when cpms runs from its TypeScript sources (src/, through tsx) and compiled
// (dist/src/, `npm start`): the compiled code reads the same files, nothing is copied into dist/.
import { existsSync } from 'node:fs';

/** How this code runs: compiled by `npm run build` (dist/) or from the TypeScript sources. */
export const RUNNING_FROM: 'compiled' | 'source' = import.meta.url.endsWith('.js') ? 'compiled' : 'source';

function findPackageRoot(): URL {
  // src/shared/ → the root two levels up; dist/src/shared/ → three.
  let dir = new URL('./', import.meta.url);
  for (let level = 0; level < 3; level++) {
    dir = new URL('../', dir);
    if (existsSync(new URL('package.json', dir))) return dir;
  }
  throw new Error(`cpms: no package.json above ${import.meta.url}`);
}

const root = findPackageRoot();

/** The file or folder (a trailing `/`) at `path` under the package root. */
export function packageFile(path: string): URL {
  return new URL(path, root);
}
