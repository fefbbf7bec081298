// bench: unpinned (the server under test runs in its own process)
//
// Held sockets (issue 8): BENCH_SOCKETS (default 20,000) idle chargers, registered with generated passwords
// through POST /api/v1/chargers/bulk, connected and booted with the fleet simulator to a `cpms serve` child
// process, then left idle. Prints the server's RSS before connecting (baseline) and with every socket held,
// and the difference per socket (target < 30 KB), 5 s after the last boot and once idle (BENCH_SETTLE_SEC).
// Each socket is an open file in the server and in this process: the count is clamped to the open-file limit
// (`ulimit -n`) less FD_MARGIN (the server's database connections, logs, listening sockets), and says so.
// Env: BENCH_SOCKETS=20000  BENCH_TARGETS=postgres  BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/postgres
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Fleet } from '../src/simulator/index.ts';
import { chargerId, resolveOptions } from '../src/simulator/options.ts';
import { registerGenerated, startCpms } from './ingest-targets.ts';

const ASKED = Number(process.env.BENCH_SOCKETS ?? 20_000);
const FD_MARGIN = 500;

/** The soft open-file limit of this process (its children inherit it); Infinity when unknown or unlimited. */
function openFileLimit(): number {
  const out = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout?.trim();
  const n = Number(out);
  return Number.isFinite(n) && n > 0 ? n : Infinity;
}

const LIMIT = openFileLimit();
const N = Math.min(ASKED, LIMIT - FD_MARGIN);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const TARGETS = (process.env.BENCH_TARGETS ?? 'postgres').split(',');

const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
const settle = () => new Promise((r) => setTimeout(r, 5_000));
const SETTLE_SEC = Number(process.env.BENCH_SETTLE_SEC ?? 60);
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;

async function measure(name: string): Promise<string> {
  const t = await startCpms(name === 'postgres' ? PG_URL : '');
  try {
    const options = { url: t.ocppUrl, chargers: N, idPrefix: 'HELD-', sessions: false as const, callTimeoutSec: 120, heartbeatIntervalSec: 3600, reconnectMinSec: 1, reconnectMaxSec: 10 };
    const resolved = resolveOptions(options);
    const ids = Array.from({ length: N }, (_, i) => chargerId(resolved, resolved.firstIndex + i));
    const passwords = await registerGenerated(t, ids);
    await settle();
    const baseline = rssOf(t.pid!);
    const fleet = new Fleet({ ...options, passwords });
    fleet.start();
    await fleet.whenOnline();
    await settle();
    const held = rssOf(t.pid!);
    // The storm's garbage (boots, handshakes) stays in the heap until V8's memory reducer collects it once
    // the process is idle: RSS is sampled until it stops falling (BENCH_SETTLE_SEC, default 60 s).
    const samples = [held];
    for (let waited = 0; waited < SETTLE_SEC; waited += 5) {
      await settle();
      samples.push(rssOf(t.pid!));
    }
    const settled = Math.min(...samples);
    await fleet.stop();
    const perSocket = (rss: number) => `${((rss - baseline) / N / 1024).toFixed(1)} KB`;
    return `${t.name}: ${N} idle chargers held; server RSS ${mb(baseline)} before connecting, ${mb(held)} with them 5 s after the last boot: ${perSocket(held)} per socket; idle after ${SETTLE_SEC} s ${mb(settled)}: ${perSocket(settled)} per socket (target < 30 KB; samples ${samples.map(mb).join(', ')})`;
  } finally {
    await t.stop();
  }
}

process.stdout.write(`held sockets: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}\n`);
if (N < ASKED) process.stdout.write(`  ${N} sockets instead of ${ASKED}: the open-file limit is ${LIMIT} (\`ulimit -n\`; the hard limit needs CAP_SYS_RESOURCE to raise), less ${FD_MARGIN} for the server's other files\n`);
for (const name of TARGETS) process.stdout.write(`  ${await measure(name)}\n`);
