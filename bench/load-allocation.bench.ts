// Load allocation (issue 10): 1,000 sessions in a 3-level tree (1 grid connection, 10 panels, 100 circuits),
// per allocate call: the full plan (24 h in 15-min steps, time-of-use prices, a peak-hours limit, 30% of the
// sessions with a departure and an energy need) and the "now" allocation alone (one step). Run: npm run bench
// BENCH_ALLOCATOR_BASELINE=<path of another allocator.ts, e.g. a checkout of main's>: times both, call by call
// interleaved on the same inputs, so that a before/after comparison shares the machine's load.
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { AllocationInput, AllocationResult, CapacityNode, GridPhase, SessionDemand } from '../src/loadmgmt/allocation.types.ts';
import { allocate } from '../src/loadmgmt/allocator.ts';

type Allocate = (input: AllocationInput) => AllocationResult;

const NOW = Date.UTC(2026, 11, 4, 15, 0);
const HOUR = 3_600_000;
const ROTATIONS: [GridPhase, GridPhase, GridPhase][] = [
  ['L1', 'L2', 'L3'],
  ['L2', 'L3', 'L1'],
  ['L3', 'L1', 'L2'],
];

function node(id: string, parentId: string | null, maxCurrentA: number): CapacityNode {
  return { id, parentId, maxCurrentA, phases: 3, marginA: 2, schedule: [], unmanagedA: { L1: 0, L2: 0, L3: 0 } };
}

/** A deterministic site, varied by `seed` so that no two calls are the same input. */
function makeInput(seed: number, horizonSec: number): AllocationInput {
  const root = { ...node('grid', null, 2_000), schedule: [{ startsAt: NOW + 2 * HOUR, maxCurrentA: 1_500 }, { startsAt: NOW + 6 * HOUR, maxCurrentA: 2_000 }], unmanagedA: { L1: 120, L2: 80, L3: 100 } };
  const nodes = [root];
  for (let p = 0; p < 10; p++) {
    nodes.push(node(`p${p}`, 'grid', 250));
    for (let c = 0; c < 10; c++) nodes.push(node(`p${p}c${c}`, `p${p}`, 63));
  }
  const sessions: SessionDemand[] = [];
  for (let i = 0; i < 1_000; i++) {
    const r = (i * 7919 + seed * 104_729) % 1_000;
    const hasDeadline = r % 10 < 3;
    sessions.push({
      sessionId: `s${String(i).padStart(4, '0')}`,
      chargePointId: `CP${i}`,
      nodeId: `p${Math.floor(i / 100)}c${Math.floor(i / 10) % 10}`,
      phaseRotation: ROTATIONS[i % 3]!,
      chargerPhases: 3,
      vehiclePhases: r % 7 === 0 ? 1 : 3,
      maxCurrentA: [16, 32, 32, 24][r % 4]!,
      minCurrentA: 6,
      ...(r % 5 === 0 ? { measuredA: [4, 4, 4] as [number, number, number], appliedA: 10 } : {}),
      uncontrolled: r % 97 === 0,
      priority: r % 13 === 0 ? 1 : 0,
      ...(hasDeadline ? { energyNeededWh: 5_000 + (r % 40) * 1_000, departureAt: NOW + (2 + (r % 14)) * HOUR } : {}),
      voltage: 230,
      startedAt: NOW - r * 60_000,
    });
  }
  // time of use: peak 17:00–21:00, cheap 23:00–07:00
  const prices = [
    { startsAt: NOW, pricePerKWh: 0.25 },
    { startsAt: NOW + 2 * HOUR, pricePerKWh: 0.4 },
    { startsAt: NOW + 6 * HOUR, pricePerKWh: 0.25 },
    { startsAt: NOW + 8 * HOUR, pricePerKWh: 0.1 },
    { startsAt: NOW + 16 * HOUR, pricePerKWh: 0.25 },
  ];
  return { now: NOW, horizonSec, stepSec: 900, nodes, sessions, prices };
}

interface Timings {
  /** CPU ms of this process per call (all its threads: JIT, GC), what one core delivers however busy the others are */
  cpu: number[];
  wall: number[];
}

function timeCall(fn: Allocate, input: AllocationInput, t: Timings): void {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn(input);
  t.wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  t.cpu.push((c.user + c.system) / 1000);
}

/** Times each call of each allocator after a warm-up, the allocators taking turns on each input; lists sorted. */
function timeCalls(fns: Allocate[], inputs: AllocationInput[], warmUp: number): Timings[] {
  for (let i = 0; i < warmUp; i++) for (const fn of fns) fn(inputs[i % inputs.length]!);
  const timings = fns.map((): Timings => ({ cpu: [], wall: [] }));
  for (const input of inputs) fns.forEach((fn, f) => timeCall(fn, input, timings[f]!));
  for (const t of timings) {
    t.cpu.sort((a, b) => a - b);
    t.wall.sort((a, b) => a - b);
  }
  return timings;
}

const percentile = (sorted: number[], p: number): string => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!.toFixed(2);

function line(t: Timings): string {
  return `p50 ${percentile(t.cpu, 50)} ms, p99 ${percentile(t.cpu, 99)} ms CPU per call (wall clock p50 ${percentile(t.wall, 50)}, p99 ${percentile(t.wall, 99)}; ${t.cpu.length} calls)`;
}

async function allocators(): Promise<Array<{ name: string; fn: Allocate }>> {
  const path = process.env.BENCH_ALLOCATOR_BASELINE;
  if (!path) return [{ name: '', fn: allocate }];
  const baseline = ((await import(pathToFileURL(resolve(path)).href)) as { allocate: Allocate }).allocate;
  return [{ name: 'this branch', fn: allocate }, { name: `baseline ${path}`, fn: baseline }];
}

async function run(): Promise<void> {
  const all = await allocators();
  const fns = all.map((a) => a.fn);
  const full = timeCalls(fns, Array.from({ length: 60 }, (_, i) => makeInput(i, 24 * 3600)), 10);
  const now = timeCalls(fns, Array.from({ length: 300 }, (_, i) => makeInput(i, 900)), 30);
  process.stdout.write(`load allocation: 1,000 sessions, 111 nodes (1 grid, 10 panels, 100 circuits), 1 core\n`);
  all.forEach((a, f) => {
    const label = a.name ? ` [${a.name}]` : '';
    process.stdout.write(
      `  full plan (24 h in 96 steps of 15 min, 30% with deadlines, time-of-use)${label}: ${line(full[f]!)}\n` +
        `  now only (1 step)${label}: ${line(now[f]!)}\n`,
    );
  });
  if (all.length === 2) {
    const ratio = (t: Timings[]): string => (Number(percentile(t[0]!.cpu, 50)) / Number(percentile(t[1]!.cpu, 50))).toFixed(2);
    process.stdout.write(`  CPU p50 of this branch / baseline: full plan ${ratio(full)}, now only ${ratio(now)}\n`);
  }
}

await run();
