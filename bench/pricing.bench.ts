// Pricing throughput: meter series of 100 readings -> charging periods -> priced CDR totals, on one core,
// against a 4-element tariff (time-of-day, weekday, max_power, fallback). Run: npm run bench
import { performance } from 'node:perf_hooks';
import { buildSessionUsage, type MeterSample, type MeterSeries } from '../src/tariffs/charging-periods.ts';
import { compileTariff } from '../src/tariffs/compiled-tariff.ts';
import { priceSession } from '../src/tariffs/pricing.ts';
import type { Tariff } from '../src/tariffs/tariff.types.ts';

const tariff: Tariff = {
  country_code: 'NL',
  party_id: 'CPM',
  id: 'BENCH',
  currency: 'EUR',
  last_updated: '2024-01-01T00:00:00Z',
  elements: [
    { price_components: [{ type: 'FLAT', price: 0.5, vat: 21, step_size: 1 }] },
    {
      price_components: [{ type: 'ENERGY', price: 0.45, vat: 21, step_size: 1 }],
      restrictions: { start_time: '17:00', end_time: '21:00', day_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] },
    },
    { price_components: [{ type: 'ENERGY', price: 0.3, vat: 21, step_size: 1 }], restrictions: { max_power: 11 } },
    {
      price_components: [
        { type: 'ENERGY', price: 0.35, vat: 21, step_size: 1 },
        { type: 'PARKING_TIME', price: 6, vat: 21, step_size: 300 },
      ],
    },
  ],
};

/**
 * 100 readings every 2 min from around 16:00 local (most sessions cross 17:00), a CC-CV charge curve from
 * 22 kW tapering to ~4 kW (crosses the 11 kW max_power once) with some noise, the last 20 readings parking.
 */
function makeSessions(count: number): MeterSeries[] {
  const sessions = [];
  for (let s = 0; s < count; s++) {
    const startMs = Date.UTC(2024, 2, 4 + (s % 20), 15, (s * 7) % 60);
    const samples: MeterSample[] = [];
    let wh = 1_000_000;
    for (let i = 0; i < 100; i++) {
      const isCharging = i < 80;
      const powerW = isCharging ? Math.round(22_000 * Math.min(1, 40 / (i + 1)) * 0.9 ** (i / 20)) + ((i * 37 + s) % 5) * 50 : 0;
      samples.push({ timestampMs: startMs + i * 120_000, energyWh: wh, powerW, currentA: powerW / 230, isCharging });
      wh += Math.round((powerW * 120) / 3600);
    }
    sessions.push({ timeZone: 'Europe/Amsterdam', startMs, endMs: startMs + 100 * 120_000, samples });
  }
  return sessions;
}

interface Round {
  cpuSeconds: number;
  wallSeconds: number;
}

/** Runs `fn` n times per round after a warm-up; returns the rounds sorted by CPU time. */
function measure(n: number, rounds: number, fn: (i: number) => void): Round[] {
  for (let i = 0; i < n / 5; i++) fn(i); // warm-up (JIT, time-zone cache)
  const out: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(r * n + i);
    const c = process.cpuUsage(c0);
    out.push({ cpuSeconds: (c.user + c.system) / 1e6, wallSeconds: (performance.now() - t0) / 1000 });
  }
  return out.sort((a, b) => a.cpuSeconds - b.cpuSeconds);
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en');

/**
 * Throughput of the median round, per CPU second of this process (all its threads: JIT, GC), which is what
 * one core delivers however busy the machine's other cores are; bench/run.ts pins this process to one core.
 * The wall-clock figure of the same round is printed next to it.
 */
function report(label: string, n: number, rounds: Round[]): string {
  const median = rounds[Math.floor(rounds.length / 2)]!;
  const spread = rounds.map((r) => fmt(n / r.cpuSeconds)).join(', ');
  return `${fmt(n / median.cpuSeconds)} CDRs/s ${label} (median of ${rounds.length} rounds of ${n}: ${spread}; wall clock ${fmt(n / median.wallSeconds)}/s)`;
}

function run(): void {
  const compiled = compileTariff(tariff);
  const sessions = makeSessions(2_000);
  const n = 50_000;
  let checksum = 0n;
  // Each iteration builds the charging periods of a session from its 100 meter values and prices them:
  // nothing is memoised per session (only the compiled tariff and the zone's UTC offsets are cached).
  const full = measure(n, 5, (i) => {
    const usage = buildSessionUsage(compiled, sessions[i % sessions.length]!);
    checksum += priceSession(compiled, usage).totalCost.inclVat.units;
  });
  const usages = sessions.map((s) => buildSessionUsage(compiled, s));
  const priceOnly = measure(n, 5, (i) => {
    checksum += priceSession(compiled, usages[i % usages.length]!).totalCost.inclVat.units;
  });
  const periods = usages.reduce((sum, u) => sum + u.periods.length, 0) / usages.length;
  const median = full[Math.floor(full.length / 2)]!;
  process.stdout.write(
    `pricing: ${fmt(n / median.cpuSeconds)} CDRs/s (100 meter values, 4-element tariff, 1 core)\n` +
      `  full pipeline: ${report('from 100 meter values (build periods + price)', n, full)}\n` +
      `  pricing only:  ${report(`from built periods (${periods.toFixed(1)} periods/CDR)`, n, priceOnly)}\n` +
      `  checksum ${checksum}\n`,
  );
}

run();
