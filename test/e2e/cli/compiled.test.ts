// `npm start` runs compiled JavaScript (issue 8): `npm install` builds dist/ (the `prepare` script), and
// bin/cpms.js runs it without a TypeScript loader. The compiled server finds its data files (config
// defaults, OCPI schemas, the OpenAPI document) and its migrations, under the names a database migrated
// from the sources recorded.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpmsEnv, runCpms, startServer, stopServer, type ServerProcess } from '../../helpers/cpms-process.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const STALE = 'dist/migrations/20000101000000_removed_since.js';

describe('e2e compiled start-up (npm run build, bin/cpms.js on dist/)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let server: ServerProcess | undefined;

  before(() => {
    // A migration compiled by an earlier build whose source is gone since (removed or renamed).
    mkdirSync(join(ROOT, 'dist/migrations'), { recursive: true });
    writeFileSync(join(ROOT, STALE), 'export async function up() {}\nexport async function down() {}\n');
    // The dist/ of this checkout's sources (`npm install` built it, perhaps before the last change).
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/prepare.js')], { encoding: 'utf8' });
    expect(build.status, `${build.stdout}${build.stderr}`).to.equal(0);
    dataDir = mkdtempSync(join(tmpdir(), 'cpms-compiled-'));
  });
  after(async () => {
    if (server) await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should leave nothing of an earlier build whose source is gone (a compiled migration would be applied)', () => {
    expect(existsSync(join(ROOT, STALE))).to.equal(false);
    expect(existsSync(join(ROOT, 'dist/migrations/20261125100000_foundation.js'))).to.equal(true);
  });

  it('should serve from dist/ on a database the sources migrated: no migration pending, OpenAPI and OCPI schemas found', async () => {
    // Arrange: migrated by the TypeScript sources (what every earlier version ran)
    const migrated = await runCpms(cpmsEnv(dataDir, { CPMS_FROM_SOURCE: '1' }), 'migrate');
    expect(migrated.code, migrated.out).to.equal(0);
    // Act
    server = await startServer(cpmsEnv(dataDir, { CPMS_FROM_SOURCE: '' }));
    // Assert
    const ready = server.output().split('\n').find((l) => l.includes('"database ready"'));
    expect(JSON.parse(ready!)).to.include({ runningFrom: 'compiled', migrationsApplied: 0 });
    const readyz = await fetch(`${server.httpUrl}/readyz`);
    expect([readyz.status, await readyz.json()]).to.deep.equal([200, { status: 'ready' }]);
    const openapi = await fetch(`${server.httpUrl}/api/v1/openapi.yaml`);
    expect((await openapi.text()).startsWith('openapi: 3.')).to.equal(true);
    // ocpi-schemas/ is read when the OCPI modules load (a missing folder stops the start): the OCPI API answers.
    const versions = await fetch(`${server.httpUrl}/ocpi/versions`);
    expect(versions.status).to.equal(401);
  });
});
