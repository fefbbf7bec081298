// bench: unpinned (the servers under test run in processes of their own)
//
// Held sockets (issue 8): BENCH_SOCKETS (default 20,000) idle chargers, registered with generated passwords
// through POST /api/v1/chargers/bulk, connected and booted with the fleet simulator to `cpms serve`, then left
// idle. Prints the server's RSS before connecting (baseline) and with every socket held, and the difference
// per socket (target < 30 KB), 5 s after the last boot and once idle (BENCH_SETTLE_SEC).
// Each socket is an open file in the server and in the simulator's process, and a process may open no more
// than the open-file limit (`ulimit -n`; raising its hard limit needs CAP_SYS_RESOURCE). A node holds at most
// that limit less FD_MARGIN (the server's database connections, logs, listening sockets): on PostgreSQL the
// sockets are spread over as many nodes of a cluster (same database, BENCH_REDIS_URL) as that takes, each
// fleet in a simulator process of its own, and each node's figures are printed with the cluster's. The
// embedded database is one process: it holds at most one node's share, and says so.
// Env: BENCH_SOCKETS=20000  BENCH_TARGETS=postgres  BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/postgres
//      BENCH_REDIS_URL=redis://127.0.0.1:6379  BENCH_NODES (default: as many as the open-file limit needs)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { chargerId, resolveOptions } from '../src/simulator/options.ts';
import { forkFleet } from './fleet-process.ts';
import { registerGenerated, startCpms, type Target } from './ingest-targets.ts';

const ASKED = Number(process.env.BENCH_SOCKETS ?? 20_000);
const FD_MARGIN = 500;

/** The soft open-file limit of this process (its children inherit it); Infinity when unknown or unlimited. */
function openFileLimit(): number {
  const out = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout?.trim();
  const n = Number(out);
  return Number.isFinite(n) && n > 0 ? n : Infinity;
}

const LIMIT = openFileLimit();
const PER_NODE = LIMIT - FD_MARGIN;
const NODES = Number(process.env.BENCH_NODES ?? Math.ceil(ASKED / PER_NODE));
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TARGETS = (process.env.BENCH_TARGETS ?? 'postgres').split(',');

const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
const settle = () => new Promise((r) => setTimeout(r, 5_000));
const SETTLE_SEC = Number(process.env.BENCH_SETTLE_SEC ?? 60);
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const kb = (bytes: number, sockets: number) => `${(bytes / sockets / 1024).toFixed(1)} KB`;

/** `count` sockets split as evenly as can be over `nodes`. */
function shares(count: number, nodes: number): number[] {
  return Array.from({ length: nodes }, (_, i) => Math.floor(count / nodes) + (i < count % nodes ? 1 : 0));
}

async function startNodes(name: string, nodes: number): Promise<Target[]> {
  if (name !== 'postgres') return [await startCpms('')];
  const cluster = nodes > 1 ? { redisUrl: REDIS_URL } : {};
  const first = await startCpms(PG_URL, cluster);
  const started = [first];
  try {
    for (let i = 1; i < nodes; i++) started.push(await startCpms(PG_URL, { join: { first, redisUrl: REDIS_URL } }));
  } catch (err) {
    for (const t of started.reverse()) await t.stop();
    throw err;
  }
  return started;
}

async function measure(name: string): Promise<string[]> {
  const nodes = name === 'postgres' ? NODES : 1;
  const counts = shares(name === 'postgres' ? ASKED : Math.min(ASKED, PER_NODE), nodes);
  if (counts.some((n) => n > PER_NODE)) throw new Error(`${Math.max(...counts)} sockets on a node, more than the open-file limit ${LIMIT} allows (less ${FD_MARGIN}): set BENCH_NODES higher`);
  const targets = await startNodes(name, nodes);
  try {
    // The chargers of node i are HELD-<i>-00001…; every node answers for every charger (one database).
    const fleets = counts.map((n, i) => ({ url: targets[i]!.ocppUrl, chargers: n, idPrefix: `HELD-${i + 1}-`, sessions: false as const, callTimeoutSec: 120, heartbeatIntervalSec: 3600, reconnectMinSec: 1, reconnectMaxSec: 10 }));
    const passwords = await registerGenerated(
      targets[0]!,
      fleets.flatMap((f) => {
        const resolved = resolveOptions(f);
        return Array.from({ length: f.chargers }, (_, j) => chargerId(resolved, resolved.firstIndex + j));
      }),
    );
    await settle();
    const baseline = targets.map((t) => rssOf(t.pid!));
    const running = fleets.map((f) => forkFleet({ ...f, passwords }));
    try {
      await Promise.all(running.map((f) => f.whenOnline()));
      await settle();
      const held = targets.map((t) => rssOf(t.pid!));
      // The storm's garbage (boots, handshakes) stays in the heap until V8's memory reducer collects it once
      // the process is idle: RSS is sampled until it stops falling (BENCH_SETTLE_SEC, default 60 s).
      const samples = held.map((rss) => [rss]);
      for (let waited = 0; waited < SETTLE_SEC; waited += 5) {
        await settle();
        targets.forEach((t, i) => samples[i]!.push(rssOf(t.pid!)));
      }
      const settled = samples.map((s) => Math.min(...s));
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const total = sum(counts);
      const lines = targets.map(
        (t, i) =>
          `${nodes > 1 ? `node ${i + 1} of ${nodes}: ` : ''}${counts[i]} idle chargers held; server RSS ${mb(baseline[i]!)} before connecting, ${mb(held[i]!)} with them 5 s after the last boot: ${kb(held[i]! - baseline[i]!, counts[i]!)} per socket; idle after ${SETTLE_SEC} s ${mb(settled[i]!)}: ${kb(settled[i]! - baseline[i]!, counts[i]!)} per socket (samples ${samples[i]!.map(mb).join(', ')})`,
      );
      const head = `${targets[0]!.name}${nodes > 1 ? `, a cluster of ${nodes} nodes (one database, Redis ${REDIS_URL})` : ''}: ${total} idle chargers held, ${kb(sum(held) - sum(baseline), total)} per socket 5 s after the last boot, ${kb(sum(settled) - sum(baseline), total)} once idle (target < 30 KB)`;
      return nodes > 1 ? [head, ...lines.map((l) => `  ${l}`)] : [`${targets[0]!.name}: ${lines[0]} (target < 30 KB)`];
    } finally {
      for (const f of running) await f.stop();
    }
  } finally {
    for (const t of [...targets].reverse()) await t.stop();
  }
}

process.stdout.write(`held sockets: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}\n`);
if (ASKED > PER_NODE) {
  process.stdout.write(`  the open-file limit is ${LIMIT} per process (\`ulimit -n\`; the hard limit needs CAP_SYS_RESOURCE to raise): a node holds at most ${PER_NODE} sockets (${FD_MARGIN} kept for its other files)\n`);
}
for (const name of TARGETS) for (const line of await measure(name)) process.stdout.write(`  ${line}\n`);
