// `cpms load-group …` (issue 10) against an embedded database in a temporary DATA_DIR (never the CI server).
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/index.ts';

describe('unit cli load-group commands', function () {
  this.timeout(180_000); // each command opens the embedded database; the first one migrates it (~60 s on a loaded machine)
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

  const idOf = (out: string): string => /^load group (\d+) /.exec(out)![1]!;

  it('should add a group with a kW limit and a voltage, and change and clear its limits with update', async () => {
    // Arrange
    const site = await cpms('load-group', 'add', 'Solar site', '--max-current', '63', '--phases', '3', '--max-power', '40', '--voltage', '400');
    const id = idOf(site.out);

    // Act
    const tighter = await cpms('load-group', 'update', id, '--max-power', '22.5', '--margin', '2', '--name', 'Solar site B');
    const shown = JSON.parse((await cpms('load-group', 'show', id)).out);
    const cleared = await cpms('load-group', 'update', id, '--max-power', 'none', '--voltage', 'none', '--max-current', '50');
    const after = JSON.parse((await cpms('load-group', 'show', id)).out);

    // Assert
    expect([site.code, tighter.code, cleared.code]).to.deep.equal([0, 0, 0]);
    expect(site.out).to.equal(`load group ${id} (Solar site) created: 63 A × 3 phase(s), 40 kW at 400 V`);
    expect(tighter.out).to.equal(`load group ${id} (Solar site B) updated: 63 A × 3 phase(s), 22.5 kW at 400 V`);
    expect([shown.name, shown.maxPowerKw, shown.voltage, shown.marginA]).to.deep.equal(['Solar site B', 22.5, 400, 2]);
    // 22.5 kW over 3 × 400 V = 18.75 A, tighter than 63 A
    expect(shown.limitA).to.equal(18.7 - 2);
    expect(cleared.out).to.equal(`load group ${id} (Solar site B) updated: 50 A × 3 phase(s)`);
    expect([after.maxPowerKw, after.voltage, after.maxCurrentA, after.limitA]).to.deep.equal([null, null, 50, 48]);
  });

  it('should refuse an update with nothing to change, a bad kW or voltage, or an unknown group, with exit code 2', async () => {
    const id = idOf((await cpms('load-group', 'add', 'Update checks', '--max-current', '32', '--phases', '3')).out);

    const nothing = await cpms('load-group', 'update', id);
    const power = await cpms('load-group', 'update', id, '--max-power', '-1');
    const volts = await cpms('load-group', 'add', 'Bad volts', '--max-current', '32', '--phases', '3', '--voltage', '5');
    const unknown = await cpms('load-group', 'update', '9999', '--max-current', '10');

    expect([nothing.code, power.code, volts.code, unknown.code]).to.deep.equal([2, 2, 2, 2]);
    expect(nothing.out).to.match(/nothing to change/);
    expect(power.out).to.match(/maxPowerKw: /);
    expect(volts.out).to.match(/voltage: /);
    expect(unknown.out).to.match(/9999/);
  });

  it('should set a price curve from a file, show it on a child group as inherited, and clear it', async () => {
    // Arrange
    const site = idOf((await cpms('load-group', 'add', 'Priced site', '--max-current', '63', '--phases', '3')).out);
    const bay = idOf((await cpms('load-group', 'add', 'Priced bay', '--max-current', '32', '--phases', '3', '--parent', site)).out);
    const file = join(dataDir, 'curve.json');
    writeFileSync(file, JSON.stringify({ currency: 'EUR', timeZone: 'Europe/Amsterdam', basePricePerKwh: 0.3, timeOfUse: [{ from: '23:00', to: '07:00', pricePerKwh: 0.1 }] }));

    // Act
    const set = await cpms('load-group', 'price-curve', site, '--file', file);
    const inherited = await cpms('load-group', 'price-curve', bay);
    const clear = await cpms('load-group', 'price-curve', site, '--clear');
    const none = await cpms('load-group', 'price-curve', bay);

    // Assert
    expect([set.code, inherited.code, clear.code]).to.deep.equal([0, 0, 0]);
    expect(JSON.parse(set.out)).to.include({ groupId: Number(site), isInherited: false, currency: 'EUR', basePricePerKwh: 0.3 });
    const view = JSON.parse(inherited.out);
    expect(view).to.include({ groupId: Number(site), isInherited: true });
    expect([...new Set(view.prices.map((p: { pricePerKwh: number }) => p.pricePerKwh))].sort()).to.deep.equal([0.1, 0.3]);
    expect(clear.out).to.equal(`price curve of load group ${site} removed`);
    expect(none.code).to.equal(2);
  });

  it('should refuse a price curve file that is missing, not JSON or not a curve, and --file with --clear', async () => {
    const id = idOf((await cpms('load-group', 'add', 'Curve checks', '--max-current', '32', '--phases', '3')).out);
    const bad = join(dataDir, 'bad.json');
    writeFileSync(bad, '{ not json');
    const wrong = join(dataDir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ currency: 'EUR', basePricePerKwh: 'cheap' }));

    const missing = await cpms('load-group', 'price-curve', id, '--file', join(dataDir, 'nope.json'));
    const notJson = await cpms('load-group', 'price-curve', id, '--file', bad);
    const notCurve = await cpms('load-group', 'price-curve', id, '--file', wrong);
    const both = await cpms('load-group', 'price-curve', id, '--file', wrong, '--clear');

    expect([missing.code, notJson.code, notCurve.code, both.code]).to.deep.equal([2, 2, 2, 2]);
    expect(missing.out).to.match(/--file: cannot read/);
    expect(notJson.out).to.match(/--file: .* is not valid JSON/);
    expect(notCurve.out).to.match(/basePricePerKwh: /);
    expect(both.out).to.match(/--file and --clear/);
  });
});
