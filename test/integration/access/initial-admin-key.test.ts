// The first admin API key (issue 7): exactly one even when several nodes start together on one database,
// never in the log stream (shipped to log stores), kept in DATA_DIR/initial-admin-key readable by the
// owner only, and shown on the terminal when there is one. Races run on PostgreSQL with DATABASE_URL.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import type { Knex } from 'knex';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { createDb } from '../../../src/db/knex.ts';
import { ApiKeyService } from '../../../src/access/apikey.service.ts';
import { ensureInitialAdminKey, INITIAL_KEY_FILE } from '../../../src/access/initial-key.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import type { Logger } from '../../../src/shared/logger.ts';

/** A JSON logger like the real one whose whole output is kept in `lines`. */
function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = winston.createLogger({ level: 'debug', format: winston.format.combine(winston.format.timestamp(), winston.format.json()), transports: [new winston.transports.Stream({ stream })] });
  return { logger, lines };
}

describe('integration access: the first admin API key', function () {
  this.timeout(60_000);
  const tdb = useTestDb();
  let dataDir: string;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cpms-first-key-'));
    await tdb.db('api_keys').del();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('should create one admin key, write it only to DATA_DIR/initial-admin-key (mode 0600) and the terminal, never to the log', async () => {
    // Arrange
    const { logger, lines } = capturingLogger();
    const terminal: string[] = [];

    // Act
    const created = await ensureInitialAdminKey({ apiKeys: new ApiKeyService({ db: tdb.db, clock: systemClock }), dataDir, logger, terminal: (t) => terminal.push(t) });

    // Assert
    const file = join(dataDir, INITIAL_KEY_FILE);
    const key = readFileSync(file, 'utf8').trim();
    expect(key).to.match(/^cpms_[A-Za-z0-9_-]{43}$/);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const rows = await tdb.db('api_keys').select('id', 'role', 'key_hash');
    expect(rows).to.deep.equal([{ id: created!.id, role: 'admin', key_hash: createHash('sha256').update(key).digest('hex') }]);
    const log = lines.join('');
    expect(log).not.to.include(key);
    expect(log).not.to.include(key.slice(5, 20)); // no part of the secret either
    expect(log).to.include(file).and.include('delete');
    expect(terminal.join('')).to.include(key);
  });

  it('should create nothing, write no file and log nothing when a key exists (also a revoked one)', async () => {
    const apiKeys = new ApiKeyService({ db: tdb.db, clock: systemClock });
    const { apiKey } = await apiKeys.create('ops', 'viewer');
    await apiKeys.revoke(apiKey.id);
    const { logger, lines } = capturingLogger();

    const created = await ensureInitialAdminKey({ apiKeys, dataDir, logger });

    expect(created).to.equal(undefined);
    expect(existsSync(join(dataDir, INITIAL_KEY_FILE))).to.equal(false);
    expect(lines).to.deep.equal([]);
    expect(await tdb.db('api_keys').count('* as n')).to.deep.equal([{ n: '1' }]);
  });

  it('should replace a file left by an earlier start (its key no longer exists) and keep mode 0600', async () => {
    writeFileSync(join(dataDir, INITIAL_KEY_FILE), 'cpms_old-key-of-a-wiped-database\n', { mode: 0o644 });

    await ensureInitialAdminKey({ apiKeys: new ApiKeyService({ db: tdb.db, clock: systemClock }), dataDir, logger: capturingLogger().logger });

    const file = join(dataDir, INITIAL_KEY_FILE);
    const [row] = await tdb.db('api_keys').select('key_hash');
    expect(createHash('sha256').update(readFileSync(file, 'utf8').trim()).digest('hex')).to.equal(row.key_hash);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
  });

  it('should create no key when the file cannot be written (nobody could ever read the key)', async () => {
    writeFileSync(join(dataDir, 'not-a-dir'), '');

    const err = await ensureInitialAdminKey({ apiKeys: new ApiKeyService({ db: tdb.db, clock: systemClock }), dataDir: join(dataDir, 'not-a-dir'), logger: capturingLogger().logger }).catch((e: unknown) => e);

    expect(err).to.be.instanceOf(Error);
    expect(await tdb.db('api_keys').count('* as n')).to.deep.equal([{ n: '0' }]);
  });

  it('should create exactly one key when several nodes start together on one database (each its own pool and DATA_DIR)', async () => {
    // Arrange: on PostgreSQL every node has its own connection pool, as separate processes would
    const nodes: Knex[] = tdb.kind === 'pg' ? Array.from({ length: 4 }, () => createDb({ databaseUrl: tdb.databaseUrl, dataDir: 'memory://', poolMax: 2 })) : [tdb.db, tdb.db, tdb.db, tdb.db];
    const dirs = nodes.map((_, i) => join(dataDir, `node-${i}`));
    try {
      for (let round = 0; round < 5; round++) {
        await tdb.db('api_keys').del();
        // Act
        const created = await Promise.all(nodes.map((db, i) => ensureInitialAdminKey({ apiKeys: new ApiKeyService({ db, clock: systemClock }), dataDir: dirs[i]!, logger: capturingLogger().logger })));

        // Assert
        expect(created.filter(Boolean).length, `round ${round}`).to.equal(1);
        expect(await tdb.db('api_keys').count('* as n'), `round ${round}`).to.deep.equal([{ n: '1' }]);
        rmSync(dataDir, { recursive: true, force: true });
      }
    } finally {
      if (tdb.kind === 'pg') await Promise.all(nodes.map((db) => db.destroy()));
    }
  });
});
