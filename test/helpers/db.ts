// One real database per test file (graphile-worker / pg-boss style): a fresh PostgreSQL database on the
// server named by DATABASE_URL (CI), otherwise a fresh in-memory PGlite instance.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createDb } from '../../src/db/knex.ts';
import { migrateLatest } from '../../src/db/migrate.ts';
import { upsertDefaultParty } from '../../src/parties/party.repo.ts';

/** The operator party every test database starts with (matches config/default.json). */
export const TEST_OPERATOR = { countryCode: 'NL', partyId: 'CPM', name: 'cpms operator' };

export interface TestDb {
  db: Knex;
  /** What the app must be given: the test database's own URL ('' for PGlite), never the admin database. */
  databaseUrl: string;
  kind: 'pg' | 'pglite';
  destroy(): Promise<void>;
}

/** URL of database `name` on the same server as `serverUrl`. */
export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function migrated(db: Knex): Promise<Knex> {
  await migrateLatest(db);
  await upsertDefaultParty(db, TEST_OPERATOR);
  return db;
}

// PGlite: booting an empty cluster and migrating it costs seconds; do it once per run and give each
// file a fresh instance loaded from that image (pg-boss: "a fresh instance per file").
let template: Promise<Blob> | undefined;
function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const db = await migrated(createDb({ databaseUrl: '', dataDir: 'memory://' }));
    try {
      const { pglite } = db.client.config.connection as { pglite: { dumpDataDir(compression: 'none'): Promise<Blob> } };
      return await pglite.dumpDataDir('none');
    } finally {
      await db.destroy();
    }
  })();
  return template;
}

/** A fresh, migrated database with the default party; `destroy()` drops it (server) or discards it (PGlite). */
export async function createTestDb(serverUrl = process.env.DATABASE_URL ?? ''): Promise<TestDb> {
  if (!serverUrl) {
    const db = createDb({ databaseUrl: '', dataDir: 'memory://', loadDataDir: await migratedTemplate() });
    return { db, databaseUrl: '', kind: 'pglite', destroy: () => db.destroy() };
  }
  const name = `t_${randomBytes(6).toString('hex')}`;
  // The admin connection only creates and drops; the app and the tests only ever see the new database.
  const admin = createDb({ databaseUrl: serverUrl, dataDir: 'memory://', poolMax: 1 });
  await admin.raw(`create database ${name}`);
  const databaseUrl = databaseUrlFor(serverUrl, name);
  const db = createDb({ databaseUrl, dataDir: 'memory://' });
  try {
    await migrated(db);
  } catch (err) {
    await db.destroy();
    await admin.raw(`drop database if exists ${name} with (force)`);
    await admin.destroy();
    throw err;
  }
  return {
    db,
    databaseUrl,
    kind: 'pg',
    async destroy() {
      await db.destroy();
      await admin.raw(`drop database if exists ${name} with (force)`);
      await admin.destroy();
    },
  };
}
