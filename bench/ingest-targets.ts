// The servers the ingest benchmark drives, each in its own process: the bare `ws` server, and `cpms serve`
// on a fresh embedded data directory or a fresh database of a PostgreSQL server (dropped afterwards).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { START_NODE_FLAGS } from './start-flags.ts';

export interface Target {
  name: string;
  ocppUrl: string;
  /** cpms only: its admin API and first admin key (the fleet is registered through them) */
  apiUrl?: string;
  adminKey?: string;
  /** cpms only: the JSON log lines of its stdout so far (read after stop for what it logs at its stop) */
  lines?: Array<Record<string, any>>;
  /** the server's process id (its RSS and CPU time are read from /proc) */
  pid?: number;
  /** cpms on PostgreSQL only: the name of its database on the server */
  databaseName?: string;
  /** cpms on PostgreSQL only: the process ids of the server's database connections (their CPU time is read from /proc) */
  databasePids?(): Promise<number[]>;
  /** Stops the server; cpms resolves with its group-commit figures (logged at its graceful stop). */
  stop(): Promise<Record<string, any> | undefined>;
}

// BENCH_CPMS_BIN: another build's bin/cpms.js to measure instead (e.g. an export of the main branch, for a before/after).
const BIN = process.env.BENCH_CPMS_BIN ?? new URL('../bin/cpms.js', import.meta.url).pathname;
const BARE = new URL('./bare-ocpp-server.ts', import.meta.url).pathname;

/** Resolves with the parsed JSON lines of `child`'s stdout for which `done` says enough. */
function readLines(child: ChildProcess, done: (lines: Array<Record<string, any>>) => boolean, lines: Array<Record<string, any>> = []): Promise<Array<Record<string, any>>> {
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before it was ready`)));
    // Read to the end whatever happens: a full pipe would block the server.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      lines.push(JSON.parse(line));
      if (done(lines)) resolve(lines);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<undefined> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

export async function startBare(): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', BARE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [first] = await readLines(child, (l) => l.length > 0);
  return { name: 'bare ws server', ocppUrl: first!.url, pid: child.pid, stop: () => stopChild(child) };
}

async function waitForFile(file: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8').trim();
      if (text) return text;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${file} never appeared`);
}

async function backendPids(serverUrl: string, dbName: string): Promise<number[]> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
    return rows.map((r: { pid: number }) => r.pid);
  } finally {
    await admin.end();
  }
}

/** A further node of a cluster: it joins the first node's database (neither created nor dropped by it). */
export interface JoinOptions {
  /** the first node: its database and admin key are shared */
  first: Target;
  /** the cluster's Redis (commands to the node holding a charger's socket) */
  redisUrl: string;
}

/**
 * `cpms serve` on PostgreSQL (`serverUrl`: a fresh database is created on it) or embedded (''). With
 * `redisUrl` the node is one of a cluster; `join` starts a further node on the first node's database.
 */
export async function startCpms(serverUrl: string, cluster: { redisUrl?: string; join?: JoinOptions } = {}): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cpms-bench-'));
  const joined = cluster.join?.first;
  const dbName = joined?.databaseName ?? `bench_${randomBytes(4).toString('hex')}`;
  let databaseUrl = '';
  if (serverUrl) {
    if (!joined) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`create database ${dbName}`);
      await admin.end();
    }
    const u = new URL(serverUrl);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  // No per-charger rate limit: the flood is the point (the default, 50 calls/s per charger, would cap it).
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'info', REDIS_URL: cluster.join?.redisUrl ?? cluster.redisUrl ?? '', PUBLIC_URL: '', OCPP_RATE_LIMIT_CALLS_PER_SEC: '0' };
  // `npm start`'s node flags, then BENCH_CPMS_NODE_ARGS: extra ones, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = [...START_NODE_FLAGS, ...(process.env.BENCH_CPMS_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Array<Record<string, any>> = [];
  await readLines(child, (l) => ['ocpp', 'admin', 'health'].every((i) => l.some((x) => x.interface === i)), lines);
  const urlOf = (i: string) => lines.find((x) => x.interface === i)!.url as string;
  // Only the node that finds no API key creates one (and writes it to its data directory).
  const adminKey = joined?.adminKey ?? (await waitForFile(join(dataDir, 'initial-admin-key')));
  return {
    name: serverUrl ? 'cpms on PostgreSQL' : 'cpms embedded (PGlite)',
    ...(serverUrl ? { databaseName: dbName } : {}),
    ocppUrl: urlOf('ocpp').replace('/{chargePointId}', ''),
    apiUrl: urlOf('admin'),
    adminKey,
    lines,
    pid: child.pid,
    ...(serverUrl ? { databasePids: () => backendPids(serverUrl, dbName) } : {}),
    async stop() {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
      if (serverUrl && !joined) {
        const admin = new pg.Client({ connectionString: serverUrl });
        await admin.connect();
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
      return lines.find((l) => l.message === 'ingest group commit');
    },
  };
}

/**
 * Registers chargers with passwords cpms generates (the fast `sha256$` scheme: an operator-chosen password
 * would cost an scrypt per registration and per handshake, minutes at 10,000) and, when given, id tags;
 * 5,000 rows per request. Resolves with each charger's password.
 */
export async function registerGenerated(t: Target, ids: readonly string[], idTags: readonly string[] = []): Promise<Record<string, string>> {
  const post = async (path: string, rows: object[]) => {
    const res = await fetch(`${t.apiUrl}${path}?onExisting=skip`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(rows) });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { results: Array<{ id: string; password?: string }> };
  };
  const passwords: Record<string, string> = {};
  for (let i = 0; i < ids.length; i += 5_000) {
    for (const r of (await post('/chargers/bulk', ids.slice(i, i + 5_000).map((id) => ({ id })))).results) passwords[r.id] = r.password!;
  }
  for (let i = 0; i < idTags.length; i += 5_000) await post('/tokens/bulk', idTags.slice(i, i + 5_000).map((uid) => ({ uid })));
  return passwords;
}
