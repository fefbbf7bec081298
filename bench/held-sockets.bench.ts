// bench: unpinned (the server under test runs in its own process)
//
// Held sockets (issue 8): BENCH_SOCKETS (default 20,000) idle chargers, registered with generated passwords
// through POST /api/v1/chargers/bulk, connected and booted with the fleet simulator to a `cpms serve` child
// process, then left idle. Prints the server's RSS before connecting (baseline) and with every socket held,
// and the difference per socket (target < 30 KB), 5 s after the last boot and once idle (BENCH_SETTLE_SEC).
// Env: BENCH_SOCKETS=20000  BENCH_TARGETS=postgres  BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/postgres
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Fleet } from '../src/simulator/index.ts';
import { chargerId, resolveOptions } from '../src/simulator/options.ts';
import { startCpms } from './ingest-targets.ts';

const N = Number(process.env.BENCH_SOCKETS ?? 20_000);
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
    const passwords: Record<string, string> = {};
    for (let i = 0; i < ids.length; i += 5_000) {
      const res = await fetch(`${t.apiUrl}/chargers/bulk`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(ids.slice(i, i + 5_000).map((id) => ({ id }))) });
      if (!res.ok) throw new Error(`bulk registration: ${res.status} ${await res.text()}`);
      for (const r of ((await res.json()) as { results: Array<{ id: string; password: string }> }).results) passwords[r.id] = r.password;
    }
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
for (const name of TARGETS) process.stdout.write(`  ${await measure(name)}\n`);
