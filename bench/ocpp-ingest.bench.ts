// bench: unpinned (the server under test runs in its own process; bench/run.ts does not pin this one)
//
// OCPP ingest (issue 8): the fleet simulator (src/simulator) against
//   1. the bare `ws` server of bench/bare-ocpp-server.ts (fixed CALLRESULTs, no validation, no storage),
//   2. `cpms serve` on the embedded database (PGlite in a fresh data directory),
//   3. `cpms serve` on the PostgreSQL server of BENCH_DATABASE_URL (a fresh database, dropped after),
// in two modes, each system beside the bare server of the same mode and fleet measured in the same run:
//   saturation: each charger sends MeterValues back to back (one outstanding call, as OCPP-J allows): the
//     most MeterValues/s a system answers, and its ratio to the bare server. Latency there is only the
//     fleet over the rate (a queue), so it is printed but is not the latency target.
//   paced: each charger is in a transaction and sends MeterValues every interval, as real chargers do
//     (MeterValueSampleInterval): the latency of each call at that offered load (the p99 < 50 ms target).
// Prints MeterValues answered/s, p50, p99 and errors (any call of the window not answered with a CALLRESULT),
// and the CPU time per MeterValues of the server's process and of its PostgreSQL connections (steadier than
// rates on a machine shared with other work).
// Env: BENCH_MODES=saturation,paced  BENCH_CHARGERS=1000 (saturation fleets)
//      BENCH_PACED=1000:1,10000:10 (paced fleets, chargers:seconds between MeterValues)  BENCH_SECONDS=20
//      BENCH_TARGETS=bare,embedded,postgres  BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/postgres
import { cpus, loadavg, totalmem } from 'node:os';
import { measure, type Result, type Run } from './ingest-runs.ts';
import { startBare, startCpms } from './ingest-targets.ts';

const MODES = (process.env.BENCH_MODES ?? 'saturation,paced').split(',');
const SATURATION = (process.env.BENCH_CHARGERS ?? '1000').split(',').filter(Boolean).map((n): Run => ({ chargers: Number(n) }));
const PACED = (process.env.BENCH_PACED ?? '1000:1,10000:10').split(',').filter(Boolean).map((x): Run => {
  const [n, sec] = x.split(':').map(Number);
  return { chargers: n!, intervalSec: sec! };
});
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const TARGETS = (process.env.BENCH_TARGETS ?? 'bare,embedded,postgres').split(',');

const fmt = (x: number) => Math.round(x).toLocaleString('en');
const ms = (x: number) => (x < 10 ? x.toFixed(1) : fmt(x));
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const runName = (r: Run) => (r.intervalSec ? `paced, ${fmt(r.chargers)} chargers, MeterValues every ${r.intervalSec} s` : `saturation, ${fmt(r.chargers)} chargers, closed loop`);

const cpuMs = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(3));

/** A README table row: | system | answered/s | vs bare | p50 | p99 | errors | server CPU | database CPU | */
function row(r: Result, bare: Result | undefined): string {
  const ratio = bare && r !== bare ? `${(r.perSec / bare.perSec).toFixed(2)}×` : r === bare ? '1' : '–';
  return `| ${r.target} | ${fmt(r.perSec)} | ${ratio} | ${ms(r.p50)} ms | ${ms(r.p99)} ms | ${r.errors} | ${cpuMs(r.cpuMsPerMessage)} | ${cpuMs(r.dbCpuMsPerMessage)} |`;
}

async function runOne(name: string, run: Run): Promise<Result> {
  const target = name === 'bare' ? await startBare() : await startCpms(name === 'postgres' ? PG_URL : '');
  let figures: Record<string, any> | undefined;
  let result: Result;
  try {
    result = await measure(target, run, SECONDS);
  } finally {
    figures = await target.stop();
  }
  const mv = figures?.meterValues;
  if (mv) process.stdout.write(`    ${target.name}: group commit ${fmt(mv.items)} MeterValues in ${fmt(mv.batches)} transactions (${(mv.items / mv.batches).toFixed(1)} per commit, largest ${mv.largestBatch}, rolled back ${mv.rolledBackBatches})\n`);
  return result;
}

async function main(): Promise<void> {
  process.stdout.write(`ocpp ingest: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GB, node ${process.version}, ${SECONDS} s measured per run, load average ${load()}\n`);
  const runs = [...(MODES.includes('saturation') ? SATURATION : []), ...(MODES.includes('paced') ? PACED : [])];
  const tables: string[] = [];
  for (const run of runs) {
    process.stdout.write(`${runName(run)} (load average ${load()}):\n`);
    const results: Result[] = [];
    for (const name of TARGETS) {
      results.push(await runOne(name, run));
      process.stdout.write(`  ${row(results.at(-1)!, results.find((x) => x.isBare))}\n`);
    }
    const bare = results.find((x) => x.isBare);
    tables.push(`${runName(run)}:`, '| system | MeterValues answered/s | vs bare | p50 | p99 | errors | server CPU ms per MeterValues | database CPU ms per MeterValues |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |', ...results.map((r) => row(r, bare)), '');
  }
  process.stdout.write(`summary (load average now ${load()}):\n${tables.join('\n')}`);
}

await main();
