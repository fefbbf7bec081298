// `cpms load-group …` (issue 10) against an embedded database in a temporary DATA_DIR (never the CI server).
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/index.ts';

describe('unit cli load-group commands', function () {
  this.timeout(60_000); // each command opens the embedded database
  let dataDir: string;
  const saved: Record<string, string | undefined> = {};

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cpms-cli-load-'));
    for (const name of ['DATA_DIR', 'DATABASE_URL']) saved[name] = process.env[name];
    process.env.DATA_DIR = dataDir;
    process.env.DATABASE_URL = ''; // the embedded database, also when CI sets a server URL
  });
  after(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function cpms(...args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await main(['node', 'cpms', ...args], (line) => lines.push(line));
    return { code, out: lines.join('\n') };
  }

  it('should add a tree, attach, show and detach a charger, and list the groups', async () => {
    // Arrange
    expect((await cpms('charger', 'add', 'CP-LOAD-1', '--password', 'cli-password-1')).code).to.equal(0);

    // Act
    const site = await cpms('load-group', 'add', 'Depot', '--max-current', '63', '--phases', '3', '--margin', '3');
    const panel = await cpms('load-group', 'add', 'Panel A', '--max-current', '32', '--phases', '3', '--parent', '1');
    const attach = await cpms('load-group', 'attach', '2', 'CP-LOAD-1', '--phase-rotation', 'STR', '--max-current', '16');
    const show = await cpms('load-group', 'show', '2');
    const list = await cpms('load-group', 'list');
    const detach = await cpms('load-group', 'detach', '2', 'CP-LOAD-1');
    const again = await cpms('load-group', 'detach', '2', 'CP-LOAD-1');

    // Assert
    expect([site.code, panel.code, attach.code, show.code, list.code, detach.code]).to.deep.equal([0, 0, 0, 0, 0, 0]);
    expect(site.out).to.equal('load group 1 (Depot) created: 63 A × 3 phase(s)');
    expect(panel.out).to.equal('load group 2 (Panel A) created: 32 A × 3 phase(s), below 1');
    expect(attach.out).to.equal('charger CP-LOAD-1 attached to load group 2');
    expect(JSON.parse(show.out).chargers).to.deep.equal([{ chargePointId: 'CP-LOAD-1', groupId: 2, phaseRotation: 'STR', phaseRotationSource: 'operator', maxCurrentA: 16, createdAt: JSON.parse(show.out).chargers[0].createdAt }]);
    expect(list.out.split('\n')).to.have.length(2);
    expect(detach.out).to.equal('charger CP-LOAD-1 detached from load group 2');
    expect(again.code).to.equal(2);
  });

  it('should refuse bad input with exit code 2 and a message naming the field', async () => {
    const phases = await cpms('load-group', 'add', 'Bad', '--max-current', '32', '--phases', '2');
    const current = await cpms('load-group', 'add', 'Bad', '--max-current', 'lots', '--phases', '3');
    const rotation = await cpms('load-group', 'attach', '1', 'CP-X', '--phase-rotation', 'XYZ');
    const id = await cpms('load-group', 'show', 'one');

    expect([phases.code, current.code, rotation.code, id.code]).to.deep.equal([2, 2, 2, 2]);
    expect(phases.out).to.match(/phases: /);
    expect(current.out).to.match(/maxCurrentA: /);
    expect(rotation.out).to.match(/phaseRotation: /);
    expect(id.out).to.match(/id: /);
  });
});
