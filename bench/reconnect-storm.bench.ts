// bench: unpinned (the server under test runs in its own process)
//
// Reconnect storm (issue 8): N chargers (BENCH_STORM_CHARGERS, default 10,000) are registered on a `cpms
// serve` child process through POST /api/v1/chargers/bulk with GENERATED passwords (stored with the fast
// sha256 scheme), then all connect and boot at once with the fleet simulator (src/simulator). Measured: the
// time until every charger's BootNotification is Accepted, the longest event-loop stall of the server during
// the registration and during the storm apart (its 'event loop delay' lines, asked for with SIGUSR2 after
// the registration and once all are Accepted) and the p99 of a probe
// charger's Heartbeat round trip, sent every 50 ms meanwhile. Targets: < 30 s, stall < 100 ms, p99 < 200 ms.
// Env: BENCH_STORM_CHARGERS=10000  BENCH_TARGETS=postgres,embedded  BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/postgres
import { RPCClient } from 'ocpp-rpc';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Fleet } from '../src/simulator/index.ts';
import { chargerId, resolveOptions } from '../src/simulator/options.ts';
import { startCpms, type Target } from './ingest-targets.ts';

const N = Number(process.env.BENCH_STORM_CHARGERS ?? 10_000);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const TARGETS = (process.env.BENCH_TARGETS ?? 'postgres,embedded').split(',');
const PROBE = 'STORM-PROBE';

/** Bulk-registers `ids` without passwords: cpms generates them and answers them once. */
async function registerGenerated(t: Target, ids: string[]): Promise<Record<string, string>> {
  const passwords: Record<string, string> = {};
  for (let i = 0; i < ids.length; i += 5_000) {
    const res = await fetch(`${t.apiUrl}/chargers/bulk`, { method: 'POST', headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(ids.slice(i, i + 5_000).map((id) => ({ id }))) });
    if (!res.ok) throw new Error(`bulk registration: ${res.status} ${await res.text()}`);
    for (const r of ((await res.json()) as { results: Array<{ id: string; password: string }> }).results) passwords[r.id] = r.password;
  }
  return passwords;
}

/** A charger that sends Heartbeats back to back (50 ms apart) and keeps their round trips. */
async function startProbe(t: Target, password: string): Promise<{ stop(): Promise<number[]> }> {
  const client = new RPCClient({ endpoint: t.ocppUrl, identity: PROBE, password, protocols: ['ocpp1.6'], reconnect: false, callTimeoutMs: 60_000 } as ConstructorParameters<typeof RPCClient>[0]);
  await client.connect();
  await client.call('BootNotification', { chargePointVendor: 'bench', chargePointModel: 'probe' });
  const rtts: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      await client.call('Heartbeat', {});
      rtts.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return { async stop() { running = false; await loop; await client.close(); return rtts; } };
}

/** The server's event-loop delay since its previous report (SIGUSR2 makes it log one). */
async function loopDelayReport(t: Target): Promise<Record<string, any> | undefined> {
  // Another build (BENCH_CPMS_BIN) may not handle SIGUSR2: its default action would end the server.
  if (process.env.BENCH_CPMS_BIN) return undefined;
  const reports = () => t.lines!.filter((l) => l.message === 'event loop delay');
  const before = reports().length;
  process.kill(t.pid!, 'SIGUSR2');
  while (reports().length === before) await new Promise((r) => setTimeout(r, 20));
  return reports()[before]!;
}

/** CPU seconds (user + system) the process used so far (Linux /proc; clock ticks of 10 ms). */
const cpuSec = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const stall = (d: Record<string, any> | undefined) => `longest stall ${d?.maxMs ?? '?'} ms, p99 ${d?.p99Ms ?? '?'} ms`;

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))] ?? NaN;

async function measure(name: string): Promise<string> {
  const t = await startCpms(name === 'postgres' ? PG_URL : '');
  let figures: string;
  try {
    const options = { url: t.ocppUrl, chargers: N, idPrefix: 'STORM-', sessions: false as const, callTimeoutSec: 120, reconnectMinSec: 1, reconnectMaxSec: 10 };
    const resolved = resolveOptions(options);
    const ids = Array.from({ length: N }, (_, i) => chargerId(resolved, resolved.firstIndex + i));
    const r0 = performance.now();
    const passwords = await registerGenerated(t, [...ids, PROBE]);
    const registerSec = (performance.now() - r0) / 1000;
    const registration = await loopDelayReport(t);
    const probe = await startProbe(t, passwords[PROBE]!);
    const fleet = new Fleet({ ...options, passwords });
    const s0 = performance.now();
    const cpu0 = cpuSec(t.pid!);
    fleet.start();
    await fleet.whenOnline();
    const stormSec = (performance.now() - s0) / 1000;
    const storm = await loopDelayReport(t);
    const stormCpuMs = ((cpuSec(t.pid!) - cpu0) * 1000) / (N + 1);
    const rtts = await probe.stop();
    const summary = await fleet.stop();
    figures = `${t.name}: ${N} chargers registered in ${registerSec.toFixed(1)} s; all booted (Accepted) in ${stormSec.toFixed(1)} s (server CPU ${stormCpuMs.toFixed(2)} ms per charger); probe Heartbeat p99 ${p99(rtts).toFixed(0)} ms (max ${Math.max(...rtts).toFixed(0)} ms, ${rtts.length} calls); simulator errors ${summary.errors}; server event loop during registration: ${stall(registration)}; during the storm: ${stall(storm)}`;
  } finally {
    await t.stop();
  }
  return figures;
}

process.stdout.write(`reconnect storm: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
for (const name of TARGETS) process.stdout.write(`  ${await measure(name)}\n`);
