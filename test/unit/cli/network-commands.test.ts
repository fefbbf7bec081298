// `cpms charger connector` (connector data, EVSE mapping) and `cpms location publication` from the command
// line, against an embedded database in a temporary DATA_DIR (never the CI server), as cli.test.ts does.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/index.ts';
import { createDb } from '../../../src/db/knex.ts';

describe('unit cli charger connector, location publication', () => {
  let dataDir: string;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cpms-cli-connector-'));
    for (const name of ['DATA_DIR', 'DATABASE_URL']) saved[name] = process.env[name];
    process.env.DATA_DIR = dataDir;
    process.env.DATABASE_URL = '';
    expect((await cpms('location', 'add', 'LOC-CON', '--address', 'Main 1', '--city', 'Delft', '--country', 'NLD', '--lat', '52.01160', '--lon', '4.35710', '--tz', 'Europe/Amsterdam')).code).to.equal(0);
    expect((await cpms('charger', 'add', 'CP-CON', '--password', 'cli-password-1', '--location', 'LOC-CON', '--evse', 'EVSE-CON')).code).to.equal(0);
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
  async function connectors(): Promise<Array<Record<string, unknown>>> {
    const db = createDb({ databaseUrl: '', dataDir });
    try {
      return await db('connectors as c').join('evses as e', 'e.id', 'c.evse_fk').where('c.charge_point_id', 'CP-CON').orderBy('c.connector_number')
        .select('c.connector_number', 'e.uid', 'c.standard', 'c.format', 'c.power_type', 'c.max_voltage', 'c.max_amperage', 'c.max_electric_power');
    } finally {
      await db.destroy();
    }
  }

  it('should set the data of a 50 kW DC connector and put a second cable on its EVSE', async () => {
    const dc = await cpms('charger', 'connector', 'CP-CON', '1', '--standard', 'IEC_62196_T2_COMBO', '--format', 'CABLE', '--power-type', 'DC', '--max-voltage', '920', '--max-amperage', '125', '--max-power', '50000');
    const chademo = await cpms('charger', 'connector', 'CP-CON', '2', '--evse', 'EVSE-CON', '--standard', 'CHADEMO', '--format', 'CABLE', '--power-type', 'DC', '--max-voltage', '500', '--max-amperage', '100');

    expect([dc.code, chademo.code], dc.out + chademo.out).to.deep.equal([0, 0]);
    expect(dc.out).to.equal('connector 1 of charger CP-CON: EVSE EVSE-CON, IEC_62196_T2_COMBO CABLE DC, 920 V, 125 A, 50000 W');
    expect(await connectors()).to.deep.equal([
      { connector_number: 1, uid: 'EVSE-CON', standard: 'IEC_62196_T2_COMBO', format: 'CABLE', power_type: 'DC', max_voltage: 920, max_amperage: 125, max_electric_power: 50000 },
      { connector_number: 2, uid: 'EVSE-CON', standard: 'CHADEMO', format: 'CABLE', power_type: 'DC', max_voltage: 500, max_amperage: 100, max_electric_power: null },
    ]);
  });

  it('should refuse a value outside the OCPI enums or not a positive integer with exit code 2 naming the field, changing nothing', async () => {
    const before = await connectors();

    const results = [
      await cpms('charger', 'connector', 'CP-CON', '1', '--power-type', 'dc'),
      await cpms('charger', 'connector', 'CP-CON', '1', '--max-voltage', '920V'),
      await cpms('charger', 'connector', 'CP-CON', '0', '--format', 'CABLE'),
      await cpms('charger', 'connector', 'CP-NONE', '1', '--format', 'CABLE'),
    ];

    expect(results.map((r) => r.code)).to.deep.equal([2, 2, 2, 2]);
    expect(results.map((r) => r.out.split(':')[1]?.trim())).to.deep.equal(['powerType', 'maxVoltage', 'connectorId', 'charger CP-NONE not found']);
    expect(await connectors()).to.deep.equal(before);
  });

  it('should unpublish a location for the listed tokens and refuse a list on a published one with exit code 2', async () => {
    const off = await cpms('location', 'publication', 'LOC-CON', '--publish', 'false', '--allowed-to', '[{"uid":"04A1","type":"RFID"},{"groupId":"FLEET"}]');
    const bad = await cpms('location', 'publication', 'LOC-CON', '--publish', 'true', '--allowed-to', '[{"groupId":"FLEET"}]');
    const notJson = await cpms('location', 'publication', 'LOC-CON', '--publish', 'false', '--allowed-to', '[{uid}]');

    expect([off.code, bad.code, notJson.code], off.out).to.deep.equal([0, 2, 2]);
    expect(off.out).to.equal('location LOC-CON unpublished (shown to the owners of 2 listed token(s) and to the parties that charged there)');
    expect(bad.out).to.match(/^error: publishAllowedTo: may only be used when publish is false/);
    expect(notJson.out).to.match(/^error: publishAllowedTo: --allowed-to is not valid JSON/);
    const db = createDb({ databaseUrl: '', dataDir });
    try {
      expect(await db('locations').where({ id: 'LOC-CON' }).first('publish', 'publish_allowed_to')).to.deep.equal({ publish: false, publish_allowed_to: [{ uid: '04A1', type: 'RFID' }, { group_id: 'FLEET' }] });
    } finally {
      await db.destroy();
    }
  });
});
