// bench: unpinned (the server under test runs in its own process; bench/run.ts does not pin this one)
//
// OCPP ingest (issue 8): the fleet simulator (src/simulator, --flood: each charger sends MeterValues back
// to back, one outstanding call, as OCPP-J allows) against
//   1. the bare `ws` server of bench/bare-ocpp-server.ts (fixed CALLRESULTs, no validation, no storage),
//   2. `cpms serve` on the embedded database (PGlite in a fresh data directory),
//   3. `cpms serve` on the PostgreSQL server of BENCH_DATABASE_URL (a fresh database, dropped after),
// at each fleet size of BENCH_CHARGERS (default 100,1000). Prints MeterValues answered/s, p50, p99 and
// errors of each, and the ratio to the bare server of the same size measured in the same run.
// Env: BENCH_CHARGERS=100,1000  BENCH_SECONDS=20  BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/postgres
//      BENCH_TARGETS=bare,embedded,postgres
import { cpus, loadavg, totalmem } from 'node:os';
import { Fleet } from '../src/simulator/index.ts';
import { registerFleet } from '../src/simulator/register.ts';
import { startBare, startCpms, type Target } from './ingest-targets.ts';

const SIZES = (process.env.BENCH_CHARGERS ?? '100,1000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const TARGETS = (process.env.BENCH_TARGETS ?? 'bare,embedded,postgres').split(',');
const PASSWORD = 'bench-password-1';

interface Result {
  target: string;
  chargers: number;
  perSec: number;
  p50: number;
  p99: number;
  errors: number;
  answered: number;
}

/** MeterValues answered with a CALLRESULT, and every other outcome (CALLERROR, timeout, disconnection, simulator error). */
function countsOf(f: Fleet): { ok: number; bad: number } {
  const s = f.stats.summary(0);
  const mv = s.resultsByAction.MeterValues ?? {};
  const bad = Object.entries(mv).filter(([k]) => k !== 'ok').reduce((a, [, v]) => a + v, 0);
  return { ok: mv.ok ?? 0, bad: bad + s.errors };
}

/** Connects `n` chargers, floods for SECONDS once all are online, and measures only that window. */
async function measure(target: Target, n: number): Promise<Result> {
  const fleet = new Fleet({ url: target.ocppUrl, chargers: n, password: PASSWORD, flood: true, idPrefix: `B${n}-`, rampUpSec: Math.min(10, n / 200), callTimeoutSec: 30, stopSessionsAtEnd: false });
  if (target.adminKey) await registerFleet(fleet, { apiUrl: target.apiUrl!, apiKey: target.adminKey });
  fleet.start();
  await fleet.whenOnline();
  fleet.stats.resetLatency(); // connection and warm-up calls are not measured
  const c0 = countsOf(fleet);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const c1 = countsOf(fleet);
  const elapsed = (performance.now() - t0) / 1000;
  // Calls still in flight when the fleet stops end as disconnections: not errors of the window measured.
  const s = await fleet.stop();
  const mv = s.latencyByAction.MeterValues;
  return { target: target.name, chargers: n, perSec: (c1.ok - c0.ok) / elapsed, p50: mv?.p50 ?? NaN, p99: mv?.p99 ?? NaN, errors: c1.bad - c0.bad, answered: c1.ok - c0.ok };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en');
const ms = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toString());

function line(r: Result, bare: Result | undefined): string {
  const ratio = bare && r !== bare ? ` (${(r.perSec / bare.perSec).toFixed(3)}× bare)` : '';
  return `  ${r.target.padEnd(22)} ${String(r.chargers).padStart(6)} chargers: ${fmt(r.perSec).padStart(7)} MeterValues/s${ratio}, p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms, errors ${r.errors}`;
}

async function run(): Promise<void> {
  const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
  process.stdout.write(`ocpp ingest: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GB, node ${process.version}, ${SECONDS} s closed-loop flood per run, load average ${load()}\n`);
  const results: Result[] = [];
  for (const n of SIZES) {
    for (const name of TARGETS) {
      const target = name === 'bare' ? await startBare() : await startCpms(name === 'postgres' ? PG_URL : '');
      let figures: Record<string, any> | undefined;
      try {
        const r = await measure(target, n);
        results.push(r);
        process.stdout.write(`${line(r, results.find((x) => x.target === 'bare ws server' && x.chargers === n))}\n`);
      } finally {
        figures = await target.stop();
      }
      const mv = figures?.meterValues;
      if (mv) process.stdout.write(`    group commit: ${fmt(mv.items)} MeterValues in ${fmt(mv.batches)} transactions (${(mv.items / mv.batches).toFixed(1)} per commit, largest ${mv.largestBatch}, rolled back ${mv.rolledBackBatches})\n`);
    }
  }
  // The big picture again at the end: each figure with its ratio to the bare server of the same size.
  process.stdout.write(`summary (load average now ${load()}):\n`);
  for (const r of results) process.stdout.write(`${line(r, results.find((x) => x.target === 'bare ws server' && x.chargers === r.chargers))}\n`);
}

await run();
