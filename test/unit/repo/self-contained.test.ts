// A user's clone has nothing beside it: no file the project runs or tests may reach outside the repository
// (the OCPI spec examples the tests use are copied into test/fixtures/ocpi-examples, see SOURCE.md there).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SCANNED = ['src', 'test', 'bench', 'bin', 'scripts', 'migrations', 'config', '.ci', 'package.json'];
const SKIPPED = new Set(['node_modules', 'ocpi-examples', 'dist', 'data']);

function filesUnder(path: string): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return [];
  if (stat.isFile()) return /\.(ts|js|json|sh)$|\/run$/.test(path) ? [path] : [];
  return readdirSync(path).filter((name) => !SKIPPED.has(name)).flatMap((name) => filesUnder(join(path, name)));
}

/** Relative paths in a file that climb above the repository root (three levels up from test/unit/repo, say). */
function escapingPaths(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/['"`]((?:\.\.\/)+[^'"`\s]*)['"`]/g)) {
    const target = resolve(dirname(file), m[1]);
    if (relative(ROOT, target).startsWith('..')) found.push(m[1]);
  }
  return found;
}

describe('repository: self-contained', () => {
  it('should reach no file outside the repository from code, tests, scripts or CI (a clone has nothing beside it)', () => {
    const offenders = SCANNED.flatMap((p) => filesUnder(join(ROOT, p))).flatMap((f) => escapingPaths(f).map((p) => `${relative(ROOT, f)}: ${p}`));
    expect(offenders).to.deep.equal([]);
  });

  it('should carry the OCPI spec example files its tests read, with a note of their source', () => {
    const dir = join(ROOT, 'test/fixtures/ocpi-examples');
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).to.have.length(59);
    expect(readFileSync(join(dir, 'SOURCE.md'), 'utf8')).to.include('ocpi/ocpi');
  });
});
