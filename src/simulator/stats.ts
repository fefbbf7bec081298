// Pure: what a fleet run counts, shared by all its chargers, and the summary made of it. Counting is a few
// map increments per call, cheap enough for 20,000 chargers in one process.
import { LatencyHistogram, type LatencySummary } from './latency.ts';

export interface SimulationSummary {
  chargers: number;
  /** chargers per OCPP version they speak */
  protocols: Record<string, number>;
  /** chargers that opened a connection at least once */
  connected: number;
  /** chargers whose BootNotification was Accepted at least once */
  accepted: number;
  sessionsStarted: number;
  sessionsStopped: number;
  /** calls the chargers sent, by action */
  sent: Record<string, number>;
  /** answers to those calls by result: `ok`, a CALLERROR code, `Timeout`, `Disconnected` */
  results: Record<string, number>;
  /** the same per action */
  resultsByAction: Record<string, Record<string, number>>;
  /** round trip of the calls answered (CALLRESULT or CALLERROR), all actions and per action */
  latency: LatencySummary;
  latencyByAction: Record<string, LatencySummary>;
  /** CALLs the server sent, by action */
  commands: Record<string, number>;
  /** transaction messages kept while offline and sent after the reconnect */
  replayed: number;
  reconnects: number;
  errors: number;
  /** the first few error messages, for a human */
  errorSamples: string[];
  durationSec: number;
}

const MAX_ERROR_SAMPLES = 20;

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export class SimulationStats {
  chargers = 0;
  protocols: Record<string, number> = {};
  sessionsStarted = 0;
  sessionsStopped = 0;
  replayed = 0;
  reconnects = 0;
  errors = 0;
  private readonly connectedIds = new Set<string>();
  private readonly acceptedIds = new Set<string>();
  private readonly sent = new Map<string, number>();
  private readonly results = new Map<string, Map<string, number>>();
  private readonly latency = new Map<string, LatencyHistogram>();
  private readonly commands = new Map<string, number>();
  private readonly errorSamples: string[] = [];

  connected(chargerId: string): void {
    this.connectedIds.add(chargerId);
  }

  accepted(chargerId: string): void {
    this.acceptedIds.add(chargerId);
  }

  callSent(action: string): void {
    bump(this.sent, action);
  }

  /** One call's outcome; `latencyMs` for calls the server answered. */
  callAnswered(action: string, result: string, latencyMs?: number): void {
    let byResult = this.results.get(action);
    if (!byResult) this.results.set(action, (byResult = new Map()));
    bump(byResult, result);
    if (latencyMs === undefined) return;
    let h = this.latency.get(action);
    if (!h) this.latency.set(action, (h = new LatencyHistogram()));
    h.record(latencyMs);
  }

  /** Forgets the latencies recorded so far (a benchmark measures after its warm-up). */
  resetLatency(): void {
    this.latency.clear();
  }

  commandReceived(action: string): void {
    bump(this.commands, action);
  }

  error(message: string): void {
    this.errors++;
    if (this.errorSamples.length < MAX_ERROR_SAMPLES) this.errorSamples.push(message);
  }

  summary(durationSec: number): SimulationSummary {
    const all = new LatencyHistogram();
    const latencyByAction: Record<string, LatencySummary> = {};
    for (const [action, h] of this.latency) {
      all.merge(h);
      latencyByAction[action] = h.summary();
    }
    const results: Record<string, number> = {};
    const resultsByAction: Record<string, Record<string, number>> = {};
    for (const [action, byResult] of this.results) {
      resultsByAction[action] = Object.fromEntries(byResult);
      for (const [r, n] of byResult) results[r] = (results[r] ?? 0) + n;
    }
    return {
      chargers: this.chargers,
      protocols: { ...this.protocols },
      connected: this.connectedIds.size,
      accepted: this.acceptedIds.size,
      sessionsStarted: this.sessionsStarted,
      sessionsStopped: this.sessionsStopped,
      sent: Object.fromEntries(this.sent),
      results,
      resultsByAction,
      latency: all.summary(),
      latencyByAction,
      commands: Object.fromEntries(this.commands),
      replayed: this.replayed,
      reconnects: this.reconnects,
      errors: this.errors,
      errorSamples: [...this.errorSamples],
      durationSec,
    };
  }
}

const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
const counts = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

/** The summary as the CLI prints it. */
export function formatSummary(s: SimulationSummary): string[] {
  const lines = [
    `chargers: ${s.chargers}, connected ${s.connected}, accepted ${s.accepted}, reconnects ${s.reconnects}`,
    `protocols: ${counts(s.protocols)}`,
    `sessions: started ${s.sessionsStarted}, stopped ${s.sessionsStopped}`,
    `messages sent: ${counts(s.sent)}`,
    `answers: ${counts(s.results)}`,
    `latency: p50 ${ms(s.latency.p50)}, p99 ${ms(s.latency.p99)}, max ${ms(s.latency.max)} over ${s.latency.count} calls`,
  ];
  for (const [action, l] of Object.entries(s.latencyByAction).sort()) lines.push(`  ${action}: p50 ${ms(l.p50)}, p99 ${ms(l.p99)} over ${l.count}`);
  lines.push(`commands received: ${counts(s.commands)}`, `replayed transaction messages: ${s.replayed}`, `errors: ${s.errors}`);
  for (const e of s.errorSamples) lines.push(`  ${e}`);
  lines.push(`duration: ${s.durationSec.toFixed(1)} s`);
  return lines;
}
