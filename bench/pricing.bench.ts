// Pricing throughput: meter series of 100 readings -> charging periods -> priced CDR totals, on one core,
// against a 4-element tariff (time-of-day, weekday, max_power, fallback). Run: npm run bench
import { performance } from 'node:perf_hooks';
import { buildSessionUsage, type MeterSample } from '../src/tariffs/charging-periods.ts';
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

/** 100 readings every 2 min from 16:00 local (crosses 17:00), power varying around 11 kW, last 20 parking. */
function makeSessions(count: number): { startMs: number; endMs: number; samples: MeterSample[] }[] {
  const sessions = [];
  for (let s = 0; s < count; s++) {
    const startMs = Date.UTC(2024, 2, 4 + (s % 20), 15, (s * 7) % 60);
    const samples: MeterSample[] = [];
    let wh = 1_000_000;
    for (let i = 0; i < 100; i++) {
      const isCharging = i < 80;
      const powerW = isCharging ? 8_000 + ((i * 37 + s) % 7) * 1_000 : 0;
      samples.push({ timestampMs: startMs + i * 120_000, energyWh: wh, powerW, currentA: powerW / 230, isCharging });
      wh += Math.round((powerW * 120) / 3600);
    }
    sessions.push({ startMs, endMs: startMs + 100 * 120_000, samples });
  }
  return sessions;
}

function run(): void {
  const compiled = compileTariff(tariff);
  const sessions = makeSessions(1_000);
  let checksum = 0n;
  const price = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const s = sessions[i % sessions.length]!;
      const usage = buildSessionUsage(compiled, { timeZone: 'Europe/Amsterdam', ...s });
      checksum += priceSession(compiled, usage).totalCost.inclVat.units;
    }
  };
  price(20_000); // warm-up (JIT, time-zone cache)
  const n = 200_000;
  const t0 = performance.now();
  price(n);
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    `pricing: ${Math.round(n / seconds).toLocaleString('en')} CDRs/s ` +
      `(100 meter values, 4-element tariff, build + price, ${n} CDRs in ${seconds.toFixed(2)} s; checksum ${checksum})\n`,
  );
}

run();
