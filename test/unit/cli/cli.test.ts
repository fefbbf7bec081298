// The `cpms` command against an embedded database in a temporary DATA_DIR (never the CI server).
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/index.ts';
import { createDb } from '../../../src/db/knex.ts';

describe('unit cli (cpms command)', () => {
  let dataDir: string;
  const saved: Record<string, string | undefined> = {};

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cpms-cli-'));
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

  /** Runs `cpms <args>`; returns the exit code and everything printed. */
  async function cpms(...args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await main(['node', 'cpms', ...args], (line) => lines.push(line));
    return { code, out: lines.join('\n') };
  }

  /** Reads the embedded database after the commands ran (PGlite: one process at a time). */
  async function query<T>(fn: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
    const db = createDb({ databaseUrl: '', dataDir });
    try {
      return await fn(db);
    } finally {
      await db.destroy();
    }
  }

  it('should print help for the program and for each command with exit code 0', async () => {
    const top = await cpms('--help');
    const add = await cpms('charger', 'add', '--help');
    const token = await cpms('token', 'add', '--help');
    const key = await cpms('apikey', 'create', '--help');

    expect([top.code, add.code, token.code, key.code]).to.deep.equal([0, 0, 0, 0]);
    expect(top.out).to.include('serve').and.include('migrate').and.include('apikey').and.include('charger').and.include('token');
    expect(add.out).to.include('--password').and.include('--location').and.include('--evse');
    expect(token.out).to.include('--group');
    expect(key.out).to.include('--role');
  });

  it('should refuse bad input with exit code 2 and a message naming the field', async () => {
    const shortPassword = await cpms('charger', 'add', 'CP-CLI-BAD', '--password', 'short');
    const noPassword = await cpms('charger', 'add', 'CP-CLI-BAD');
    const badRole = await cpms('apikey', 'create', '--role', 'root');
    const longUid = await cpms('token', 'add', 'X'.repeat(21));

    expect([shortPassword.code, noPassword.code, badRole.code, longUid.code]).to.deep.equal([2, 2, 2, 2]);
    expect(shortPassword.out).to.match(/password: /);
    expect(noPassword.out).to.match(/--password/);
    expect(badRole.out).to.match(/role: /);
    expect(longUid.out).to.match(/uid: /);
  });

  it('should refuse a duplicate charger or token and an unknown location with exit code 2 naming the problem', async () => {
    expect((await cpms('charger', 'add', 'CP-CLI-DUP', '--password', 'secret-pw-1')).code).to.equal(0);
    expect((await cpms('token', 'add', 'TAG-CLI-DUP')).code).to.equal(0);

    const charger = await cpms('charger', 'add', 'CP-CLI-DUP', '--password', 'secret-pw-2');
    const token = await cpms('token', 'add', 'TAG-CLI-DUP');
    const location = await cpms('charger', 'add', 'CP-CLI-NOLOC', '--password', 'secret-pw-3', '--location', 'LOC-CLI-NONE');

    expect([charger.code, token.code, location.code]).to.deep.equal([2, 2, 2]);
    expect(charger.out).to.match(/^error: .*CP-CLI-DUP.* already exists/);
    expect(token.out).to.match(/^error: .*TAG-CLI-DUP.*already exists/);
    expect(location.out).to.match(/^error: .*LOC-CLI-NONE/);
  });

  it('should apply migrations, create an API key printed once and store only its hash', async () => {
    // Act
    const migrate = await cpms('migrate');
    const created = await cpms('apikey', 'create', '--role', 'admin', '--name', 'ops laptop');

    // Assert
    expect([migrate.code, created.code]).to.deep.equal([0, 0]);
    const key = created.out.split('\n').find((l) => /^cpms_/.test(l));
    expect(key, created.out).to.be.a('string');
    const rows = await query((db) => db('api_keys').where({ name: 'ops laptop' }));
    expect(rows.map((r) => [r.role, r.key_hash])).to.deep.equal([['admin', createHash('sha256').update(key!).digest('hex')]]);
    expect(JSON.stringify(rows)).not.to.include(key!);
  });

  it('should add a location, a charger attached to it with a hashed password, and a token in a group', async () => {
    // Act
    const loc = await cpms('location', 'add', 'LOC-CLI', '--address', 'Main 1', '--city', 'Delft', '--country', 'NLD', '--lat', '52.01160', '--lon', '4.35710', '--tz', 'Europe/Amsterdam');
    const charger = await cpms('charger', 'add', 'CP-CLI-1', '--password', 'cli-password-1', '--location', 'LOC-CLI', '--evse', 'EVSE-CLI-1');
    const duplicate = await cpms('charger', 'add', 'CP-CLI-1', '--password', 'cli-password-1');
    const token = await cpms('token', 'add', 'CLI-TAG-1', '--group', 'FLEET-A');

    // Assert
    expect([loc.code, charger.code, token.code]).to.deep.equal([0, 0, 0]);
    expect(charger.out).to.equal('charger CP-CLI-1 registered at location LOC-CLI');
    expect(duplicate.code).to.equal(2);
    expect(duplicate.out).to.match(/already exists/);
    expect(token.out).to.equal('token CLI-TAG-1 added (RFID, group FLEET-A)');
    const [cp, evse, tok] = await query(async (db) => [
      await db('charge_points').where({ id: 'CP-CLI-1' }).first(),
      await db('evses').where({ uid: 'EVSE-CLI-1' }).first(),
      await db('id_tokens').where({ uid: 'CLI-TAG-1' }).first(),
    ]);
    expect(cp.password_hash).to.match(/^scrypt\$/).and.not.include('cli-password-1');
    expect([cp.location_id, evse.charge_point_id, tok.group_id]).to.deep.equal(['LOC-CLI', 'CP-CLI-1', 'FLEET-A']);
  });
});
