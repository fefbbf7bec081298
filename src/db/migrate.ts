import { readdirSync } from 'node:fs';
import type { Knex } from 'knex';

const migrationsDir = new URL('../../migrations/', import.meta.url);

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Knex migration source reading migrations/*.ts through the ESM loader (works under tsx, no knexfile). */
class DirectoryMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return readdirSync(migrationsDir)
      .filter((f) => /^\d{14}_.+\.ts$/.test(f))
      .sort();
  }
  getMigrationName(name: string): string {
    return name;
  }
  async getMigration(name: string): Promise<MigrationModule> {
    return (await import(new URL(name, migrationsDir).href)) as MigrationModule;
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
