// Sizing the embedded engine for a small deployment (issue 8: idle RSS well under 300 MB; it held ~890 MB).
// 1. PGlite creates a new cluster with a second engine instance running initdb, whose WebAssembly memory
//    (~500 MB) the process never gives back: the first start of a new DATA_DIR runs that step in a
//    short-lived child process instead, and the server then opens the cluster it left.
// 2. shared_buffers: PostgreSQL's default 128 MB is reserved in the engine's WebAssembly memory up front;
//    16 MB serves a few thousand chargers, and the operating system's page cache still holds the files.
// 3. wal_init_zero off: the engine is a single process that creates each new 16 MB WAL segment itself, in the
//    statement that needs it; zero-filling it first held that statement (and the MeterValues batches behind
//    it). PostgreSQL then writes the segment's last byte only, as it does on copy-on-write file systems.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { packageFile } from '../shared/package-files.ts';

/** PostgreSQL settings of the embedded engine, on top of PGlite's own start parameters. */
export const EMBEDDED_SETTINGS: Record<string, string> = { shared_buffers: '16MB', wal_init_zero: 'off', plan_cache_mode: 'force_custom_plan' };

/** PGlite's start parameters (single-user mode, no parallel workers) plus EMBEDDED_SETTINGS. */
export function embeddedStartParams(): string[] {
  return [...PGlite.defaultStartParams, ...Object.entries(EMBEDDED_SETTINGS).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
}

// Plain JavaScript for `node --input-type=module -e` (no TypeScript loader needed in the child), run in the
// package root so that it resolves the same PGlite.
const INITDB_SCRIPT = `const [, dataDir] = process.argv;
const { PGlite } = await import('@electric-sql/pglite');
const db = new PGlite({ dataDir });
await db.waitReady;
await db.close();`;

/**
 * Creates the cluster in `pgdata` when it holds none yet (no PG_VERSION), in a child process; the caller
 * holds the data directory's owner lock. Rejects with the child's error output when it fails.
 */
export async function initClusterIfAbsent(pgdata: string): Promise<void> {
  if (existsSync(join(pgdata, 'PG_VERSION'))) return;
  const child = spawn(process.execPath, ['--input-type=module', '-e', INITDB_SCRIPT, pgdata], { cwd: fileURLToPath(packageFile('./')), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`creating the embedded database in ${pgdata} failed (exit code ${code}): ${stderr.trim().slice(-2000)}`);
}
