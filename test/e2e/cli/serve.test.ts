// `npm start` = `cpms serve` as a real process: it must say where each interface listens (the real port
// when PORT=0), answer on that URL, and shut down cleanly on SIGTERM.
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServe, waitForInterfaces } from '../../helpers/cpms-process.ts';

describe('e2e cpms serve (a real process)', function () {
  this.timeout(90_000); // a fresh embedded database is created and migrated
  let dataDir: string;
  let child: ChildProcess | undefined;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cpms-serve-'));
  });
  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should log where OCPP, the admin API and health listen (the bound port for PORT=0), answer /healthz there and exit 0 on SIGTERM', async () => {
    // Arrange
    const serve = spawnServe({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', JOBS_ENABLED: 'false', LOG_LEVEL: 'info', PUBLIC_URL: '', REDIS_URL: '' });
    child = serve.child;

    // Act
    const lines = await waitForInterfaces(child, ['ocpp', 'admin', 'health']);
    const health = await fetch(lines.get('health')!.url!);
    child.kill('SIGTERM');
    const code = await serve.exited;

    // Assert
    const port = new URL(lines.get('health')!.url!).port;
    expect(port).to.match(/^\d+$/).and.not.equal('0');
    expect(lines.get('ocpp')!.url).to.equal(`ws://127.0.0.1:${port}/ocpp/{chargePointId}`);
    expect(lines.get('admin')!.url).to.equal(`http://127.0.0.1:${port}/api/v1`);
    expect([health.status, await health.json()]).to.deep.equal([200, { status: 'ok' }]);
    expect(code, serve.stderr).to.equal(0);
  });
});
