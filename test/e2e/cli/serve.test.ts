// `npm start` = `cpms serve` as a real process: it must say where each interface listens (the real port
// when PORT=0), answer on that URL, and shut down cleanly on SIGTERM.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpmsEnv, startServer, stopServer, type ServerProcess } from '../../helpers/cpms-process.ts';

describe('e2e cpms serve (a real process)', function () {
  this.timeout(90_000); // a fresh embedded database is created and migrated
  let dataDir: string;
  let server: ServerProcess | undefined;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cpms-serve-'));
  });
  after(async () => {
    if (server) await stopServer(server, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should log where OCPP, the admin API and health listen (the bound port for PORT=0), answer /healthz there and exit 0 on SIGTERM', async () => {
    // Act
    server = await startServer(cpmsEnv(dataDir), ['ocpp', 'admin', 'health']);
    const lines = server.lines;
    const health = await fetch(lines.get('health')!.url!);
    const code = await stopServer(server);

    // Assert
    const port = new URL(lines.get('health')!.url!).port;
    expect(port).to.match(/^\d+$/).and.not.equal('0');
    expect(lines.get('ocpp')!.url).to.equal(`ws://127.0.0.1:${port}/ocpp/{chargePointId}`);
    expect(lines.get('admin')!.url).to.equal(`http://127.0.0.1:${port}/api/v1`);
    expect([health.status, await health.json()]).to.deep.equal([200, { status: 'ok' }]);
    expect(code, server.output()).to.equal(0);
  });
});
