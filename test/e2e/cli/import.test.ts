// `cpms charger import <file.csv>` and `cpms token import <file.csv>` (issue 8) as they run inside the
// server (what its control socket does): one line per row, all applied or none, exit code 2 when none.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/index.ts';
import { serverHost } from '../../../src/cli/context.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { verifyGeneratedSecret } from '../../../src/shared/password.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aChargerId, aLocation, anEvseUid, anIdTag, aToken } from '../../fixtures/chargers.ts';

describe('e2e cpms charger import / token import', () => {
  const t = useTestApp();
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'cpms-import-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const aCsv = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  async function cpms(...args: string[]): Promise<{ code: number; lines: string[] }> {
    const logger = createLogger('error');
    logger.silent = true;
    const lines: string[] = [];
    const code = await main(['node', 'cpms', ...args], (l) => lines.push(l), serverHost({ db: t.db, config: t.config, logger, app: t.app, baseUrl: t.httpUrl }));
    return { code, lines };
  }

  it('should register the chargers of a CSV file with their EVSEs and connector data, printing a generated password once', async () => {
    // Arrange
    const locationId = await aLocation(t.app.services);
    const [a, b, evse] = [aChargerId('csv'), aChargerId('csv'), anEvseUid()];
    const file = aCsv('chargers.csv', `id,password,location,evse,connectors,standard,format,power_type,max_voltage,max_amperage,max_power\n${a},csv-password-1,${locationId},${evse},2,IEC_62196_T2_COMBO,CABLE,DC,920,125,50000\n"${b}",,,,,,,,,,\n`);
    // Act
    const res = await cpms('charger', 'import', file);
    // Assert
    expect(res.code, res.lines.join('\n')).to.equal(0);
    expect(res.lines[0]).to.equal(`line 2\t${a}\tcreated`);
    const generated = /^line 3\t.*\tcreated \(generated password, shown only now: (\S{32})\)$/.exec(res.lines[1]);
    expect(generated, res.lines[1]).to.not.equal(null);
    expect(res.lines[2]).to.equal('2 created, 0 existing (unchanged)');
    expect(verifyGeneratedSecret(generated![1], (await t.db('charge_points').where({ id: b }).first()).password_hash)).to.equal(true);
    const connectors = (await t.api('GET', `/api/v1/chargers/${a}`)).body.connectors;
    expect(connectors.map((c: any) => [c.connectorNumber, c.evseUid, c.powerType, c.maxElectricPower])).to.deep.equal([[1, evse, 'DC', 50000], [2, `${evse}-2`, 'DC', 50000]]);
  });

  it('should apply none of the file and exit 2 when a row is bad, naming its line', async () => {
    // Arrange
    const good = aChargerId('csv');
    const file = aCsv('bad-chargers.csv', `id,password,max_voltage\n${good},csv-password-2,\nCP-csv-bad,short,\n${aChargerId('csv')},csv-password-3,230V\n`);
    // Act
    const res = await cpms('charger', 'import', file);
    // Assert
    expect(res.code).to.equal(2);
    expect(res.lines).to.deep.equal([
      `line 2\t${good}\tnot applied`,
      'line 3\tCP-csv-bad\tfailed: password: must be 8-40 characters (OCPP security profile 1), or empty to have one generated',
      `${res.lines[2].split('\t').slice(0, 2).join('\t')}\tfailed: maxVoltage: must be a positive integer (at most 2147483647)`,
      'error: 2 row(s) failed; nothing was applied',
    ]);
    expect(await t.db('charge_points').where({ id: good }).first()).to.equal(undefined);
  });

  it('should add the tokens of a CSV file, refuse the file when one exists, and skip it with --skip-existing', async () => {
    // Arrange
    const existing = await aToken(t.app.services);
    const fresh = anIdTag();
    const file = aCsv('tokens.csv', `uid,type,contract_id,group\n${fresh},RFID,NL-CPM-C00000002,FLEET\n${existing},,,\n`);
    // Act
    const refused = await cpms('token', 'import', file);
    const skipped = await cpms('token', 'import', file, '--skip-existing');
    // Assert
    expect(refused.code).to.equal(2);
    expect(refused.lines.slice(1)).to.deep.equal([`line 3\t${existing}\tfailed: uid: token ${existing} (RFID) already exists`, 'error: 1 row(s) failed; nothing was applied']);
    expect([skipped.code, skipped.lines]).to.deep.equal([0, [`line 2\t${fresh}\tcreated`, `line 3\t${existing}\texisting`, '1 created, 1 existing (unchanged)']]);
    expect(await t.db('id_tokens').where({ uid: fresh }).first()).to.include({ contract_id: 'NL-CPM-C00000002', group_id: 'FLEET' });
  });

  it('should exit 2 for a file that cannot be read or has an unknown column', async () => {
    const missing = await cpms('token', 'import', join(dir, 'nothing.csv'));
    const column = await cpms('token', 'import', aCsv('colour.csv', 'uid,colour\nX,red\n'));

    expect([missing.code, missing.lines]).to.deep.equal([2, [`error: file: cannot read ${join(dir, 'nothing.csv')} (ENOENT)`]]);
    expect(column.code).to.equal(2);
    expect(column.lines[0]).to.match(/^error: column colour: unknown/);
  });
});
