// Re-running a migration on data of the schema before it: every migration from `name` on is undone
// (newest first), the test inserts rows as they were, then they are applied again (oldest first).
import { readdirSync } from 'node:fs';
import type { Knex } from 'knex';

const DIR = new URL('../../migrations/', import.meta.url);

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

async function from(name: string): Promise<Migration[]> {
  const names = readdirSync(DIR).filter((f) => /^\d{14}_.+\.ts$/.test(f) && f >= name).sort();
  if (names[0] !== name) throw new Error(`migration ${name} not found`);
  return Promise.all(names.map(async (n) => (await import(new URL(n, DIR).href)) as Migration));
}

/** Undoes migration `name` and every later one; returns what applies them again. */
export async function rewindTo(db: Knex, name: string): Promise<{ reapply(): Promise<void> }> {
  const migrations = await from(name);
  for (const m of [...migrations].reverse()) await m.down(db);
  return {
    async reapply() {
      for (const m of migrations) await m.up(db);
    },
  };
}
