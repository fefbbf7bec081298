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

/** Runs `fn` n times after a warm-up and returns operations per second. */
function measure(n: number, fn: (i: number) => void): { perSecond: number; seconds: number } {
  for (let i = 0; i < n / 10; i++) fn(i); // warm-up (JIT, time-zone cache)
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: Math.round(n / seconds), seconds };
}

function run(): void {
  const compiled = compileTariff(tariff);
  const sessions = makeSessions(1_000);
  const n = 200_000;
  let checksum = 0n;
  const full = measure(n, (i) => {
    const usage = buildSessionUsage(compiled, sessions[i % sessions.length]!);
    checksum += priceSession(compiled, usage).totalCost.inclVat.units;
  });
  const usages = sessions.map((s) => buildSessionUsage(compiled, s));
  const priceOnly = measure(n, (i) => {
    checksum += priceSession(compiled, usages[i % usages.length]!).totalCost.inclVat.units;
  });
  const periods = usages.reduce((sum, u) => sum + u.periods.length, 0) / usages.length;
  const fmt = (x: number): string => x.toLocaleString('en');
  process.stdout.write(
    `pricing: ${fmt(full.perSecond)} CDRs/s from 100 meter values (build periods + price, 4-element tariff, ` +
      `${n} CDRs in ${full.seconds.toFixed(2)} s)\n` +
      `pricing: ${fmt(priceOnly.perSecond)} CDRs/s from built periods (${periods.toFixed(1)} periods/CDR; ` +
      `checksum ${checksum})\n`,
  );
}

run();
