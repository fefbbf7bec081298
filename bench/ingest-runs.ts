// One measured run of the ingest benchmark: a fleet connected to a target, then a window of SECONDS in which
// MeterValues are counted, either back to back (saturation) or every interval inside a transaction (paced).
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Fleet } from '../src/simulator/index.ts';
import { allIdTags, chargerId, resolveOptions, type FleetOptions } from '../src/simulator/options.ts';
import { registerGenerated, type Target } from './ingest-targets.ts';

/** A fleet size and, when paced, the seconds between a charger's MeterValues (none: closed loop). */
export interface Run {
  chargers: number;
  intervalSec?: number;
}

export interface Result {
  target: string;
  isBare: boolean;
  perSec: number;
  p50: number;
  p99: number;
  errors: number;
  answered: number;
  /** CPU time of the server's process (user + system) over the window, per MeterValues answered. */
  cpuMsPerMessage?: number;
  /** PostgreSQL: CPU time of the server's database connections over the window, per MeterValues answered. */
  dbCpuMsPerMessage?: number;
}

const PASSWORD = 'bench-password-1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** User + system CPU of a process so far, in ms (Linux /proc; undefined elsewhere). */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

const cpuByPid = (pids: readonly number[]) => new Map(pids.map((pid) => [pid, cpuMsOf(pid)]));
/** CPU used between two readings by the processes alive at both (a database connection may end meanwhile). */
function cpuSpentMs(before: Map<number, number | undefined>, after: Map<number, number | undefined>): number {
  let sum = 0;
  for (const [pid, b] of before) {
    const a = after.get(pid);
    if (a !== undefined && b !== undefined) sum += a - b;
  }
  return sum;
}
const perMessage = (ms: number | undefined, answered: number) => (ms !== undefined && answered > 0 ? ms / answered : undefined);

/** MeterValues answered with a CALLRESULT, and every call of any action that was not (plus simulator errors). */
function countsOf(f: Fleet): { ok: number; bad: number } {
  const s = f.stats.summary(0);
  let bad = s.errors;
  for (const results of Object.values(s.resultsByAction)) for (const [k, v] of Object.entries(results)) if (k !== 'ok') bad += v;
  return { ok: s.resultsByAction.MeterValues?.ok ?? 0, bad };
}

function fleetOptions(target: Target, run: Run): FleetOptions {
  // Chargers arrive at 200 a second. Paced runs keep that rate at any fleet size: they measure steady ingest
  // (a storm of connections, boots and starts is the reconnect-storm benchmark's); saturation runs connect
  // within 10 s at most.
  const rampUpSec = run.intervalSec ? run.chargers / 200 : Math.min(10, run.chargers / 200);
  const base = { url: target.ocppUrl, chargers: run.chargers, idPrefix: `B${run.chargers}-`, rampUpSec, callTimeoutSec: 30, stopSessionsAtEnd: false, heartbeatIntervalSec: 3600 };
  if (!run.intervalSec) return { ...base, flood: true };
  // Every charger starts one long transaction soon after it is online, then reports every interval.
  return { ...base, meterIntervalSec: run.intervalSec, sessions: { probability: 1, durationSec: 1e6, idleSec: 1 } };
}

/** Registers the fleet on cpms (generated passwords, and id tags when paced); the bare server takes anyone. */
async function newFleet(target: Target, run: Run): Promise<Fleet> {
  const options = fleetOptions(target, run);
  if (!target.adminKey) return new Fleet({ ...options, password: PASSWORD });
  const r = resolveOptions(options);
  const ids = Array.from({ length: run.chargers }, (_, i) => chargerId(r, r.firstIndex + i));
  const passwords = await registerGenerated(target, ids, run.intervalSec ? allIdTags(r) : []);
  return new Fleet({ ...options, passwords });
}

const progress = (what: string) => process.stderr.write(`    ${new Date().toISOString().slice(11, 19)} ${what}\n`);

/**
 * Paced: waits (up to a minute) until every charger's transaction started, then until the MeterValues
 * queued meanwhile are answered: an interval in which the fleet got its own rate answered (±5 %), not the
 * faster rate of a backlog draining (up to a minute more). The window then measures steady ingest.
 */
async function whenCharging(fleet: Fleet, run: Run): Promise<void> {
  for (let waited = 0; fleet.stats.sessionsStarted < run.chargers && waited < 60_000; waited += 250) await sleep(250);
  progress(`${fleet.stats.sessionsStarted} of ${run.chargers} chargers in a transaction`);
  const intervalMs = run.intervalSec! * 1000;
  for (let waited = 0, before = countsOf(fleet).ok; waited < 60_000; waited += intervalMs) {
    await sleep(intervalMs);
    const now = countsOf(fleet).ok;
    const settled = Math.abs(now - before - run.chargers) <= run.chargers * 0.05;
    before = now;
    if (settled) {
      progress(`settled: ${run.chargers} MeterValues answered in the last ${run.intervalSec} s`);
      return;
    }
  }
  progress('not settled within a minute: measuring anyway');
}

/** Connects the fleet, then measures SECONDS of MeterValues once all are online (and charging, if paced). */
export async function measure(target: Target, run: Run, seconds: number): Promise<Result> {
  const fleet = await newFleet(target, run);
  progress(`${target.name}: ${run.chargers} chargers registered, connecting`);
  fleet.start();
  await fleet.whenOnline();
  progress('all online');
  if (run.intervalSec) await whenCharging(fleet, run);
  fleet.stats.resetLatency(); // connection and warm-up calls are not measured
  const c0 = countsOf(fleet);
  const dbPids = (await target.databasePids?.()) ?? [];
  const cpu0 = cpuMsOf(target.pid);
  const db0 = cpuByPid(dbPids);
  const t0 = performance.now();
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  await sleep(seconds * 1000);
  lag.disable();
  progress(`simulator event loop delay: p50 ${(lag.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`);
  const c1 = countsOf(fleet);
  const cpu1 = cpuMsOf(target.pid);
  const db1 = cpuByPid(dbPids);
  const elapsed = (performance.now() - t0) / 1000;
  // Calls still in flight when the fleet stops end as disconnections: not errors of the window measured.
  progress('measured, stopping the fleet');
  const s = await fleet.stop();
  const mv = s.latencyByAction.MeterValues;
  const answered = c1.ok - c0.ok;
  const cpuMsPerMessage = perMessage(cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined, answered);
  const dbCpuMsPerMessage = perMessage(dbPids.length > 0 ? cpuSpentMs(db0, db1) : undefined, answered);
  return { target: target.name, isBare: !target.adminKey, perSec: answered / elapsed, p50: mv?.p50 ?? NaN, p99: mv?.p99 ?? NaN, errors: c1.bad - c0.bad, answered, cpuMsPerMessage, dbCpuMsPerMessage };
}
