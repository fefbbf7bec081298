import { readdirSync } from 'node:fs';
import type { Knex } from 'knex';

// migrations/*.ts beside src/, or dist/migrations/*.js beside dist/src/ when compiled (`npm run build`).
const migrationsDir = new URL('../../migrations/', import.meta.url);
// Compiled migrations are .js files, but each keeps the name it is recorded under in knex_migrations
// (`<timestamp>_<name>.ts`): a database migrated from the sources is up to date for the compiled code.
const FILE_EXTENSION = import.meta.url.endsWith('.js') ? '.js' : '.ts';
const MIGRATION_FILE = new RegExp(`^(\\d{14}_.+)\\${FILE_EXTENSION}$`);

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Runs a migration step with deferred triggers fired at once (the change stamps' commit-time bumps, migration
 * 20261207070000): PostgreSQL refuses DDL on a table with pending trigger events, so a migration that updates rows
 * and then alters or indexes their table would fail inside its transaction.
 */
export async function withImmediateTriggers(knex: Knex, step: (knex: Knex) => Promise<void>): Promise<void> {
  await knex.raw('set constraints all immediate');
  await step(knex);
}

/** Knex migration source reading the migrations through the ESM loader (tsx or compiled; no knexfile). */
class DirectoryMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return readdirSync(migrationsDir)
      .flatMap((f) => {
        const match = MIGRATION_FILE.exec(f);
        return match ? [`${match[1]}.ts`] : [];
      })
      .sort();
  }
  getMigrationName(name: string): string {
    return name;
  }
  async getMigration(name: string): Promise<MigrationModule> {
    const file = name.replace(/\.ts$/, FILE_EXTENSION);
    const m = (await import(new URL(file, migrationsDir).href)) as MigrationModule;
    return { up: (knex) => withImmediateTriggers(knex, m.up), down: (knex) => withImmediateTriggers(knex, m.down) };
  }
}

const migrationConfig: Knex.MigratorConfig = { migrationSource: new DirectoryMigrationSource(), tableName: 'knex_migrations' };

/** Applies every pending migration; returns the names applied. */
export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

/** True when every migration on disk has been applied (readiness probe). */
export async function isMigrated(db: Knex): Promise<boolean> {
  const [, pending] = (await db.migrate.list(migrationConfig)) as [unknown[], unknown[]];
  return pending.length === 0;
}
