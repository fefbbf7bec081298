// buildSessionUsage skips component re-selection while the static restriction results and the power and
// current bands are unchanged, and extends the open period without calls in the common case. Those fast
// paths must give exactly the periods (and so the totals) of the previous builder, which selected anew for
// every piece: compared here over a table of generated sessions (kept in `reference/`).
import { expect } from 'chai';
import { buildSessionUsage, type MeterSample, type MeterSeries } from '../../../src/tariffs/charging-periods.ts';
import { compileTariff } from '../../../src/tariffs/compiled-tariff.ts';
import { priceSession } from '../../../src/tariffs/pricing.ts';
import type { Tariff, TariffRestrictions, TariffDimensionType } from '../../../src/tariffs/tariff.types.ts';
import { aComponent, anElement, aTariff } from '../../fixtures/tariffs.ts';
import { buildSessionUsageReference } from './reference/build-session-usage.ref.ts';

const el = (type: TariffDimensionType, price: number, r?: TariffRestrictions) => anElement([aComponent(type, price, { vat: 21 })], r);
const WEEKDAYS: TariffRestrictions['day_of_week'] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'];

const tariffs: Record<string, Tariff> = {
  'the benchmark tariff (time of day + weekday, max_power, fallback with parking)': aTariff({
    elements: [
      el('FLAT', 0.5),
      el('ENERGY', 0.45, { start_time: '17:00', end_time: '21:00', day_of_week: WEEKDAYS }),
      el('ENERGY', 0.3, { max_power: 11 }),
      anElement([aComponent('ENERGY', 0.35), aComponent('PARKING_TIME', 6, { step_size: 300 })]),
    ],
  }),
  'power and current bands': aTariff({
    elements: [
      el('ENERGY', 0.2, { max_power: 3.7 }),
      el('ENERGY', 0.25, { min_power: 3.7, max_power: 7.4 }),
      el('TIME', 1.5, { min_current: 16, max_current: 32 }),
      el('ENERGY', 0.4, { min_power: 22 }),
      el('ENERGY', 0.3),
      el('TIME', 0.5),
    ],
  }),
  'kWh and duration bounds with power': aTariff({
    elements: [
      el('ENERGY', 0.1, { max_kwh: 5 }),
      el('ENERGY', 0.5, { min_kwh: 20, min_power: 11 }),
      el('TIME', 2, { max_duration: 1800 }),
      el('TIME', 4, { min_duration: 3600, max_current: 20 }),
      el('ENERGY', 0.3),
      anElement([aComponent('PARKING_TIME', 3, { step_size: 60 })]),
    ],
  }),
  'night across midnight, dates and max_current': aTariff({
    elements: [
      el('ENERGY', 0.15, { start_time: '22:00', end_time: '06:00', max_current: 24 }),
      el('ENERGY', 0.6, { start_date: '2024-03-31', end_date: '2024-04-01' }),
      el('TIME', 1, { start_time: '02:00', end_time: '03:00' }),
      el('ENERGY', 0.3),
    ],
  }),
  'no restrictions': aTariff({ elements: [anElement([aComponent('FLAT', 1), aComponent('ENERGY', 0.3), aComponent('TIME', 2)])] }),
};

/** Deterministic PRNG (mulberry32), so a failing session can be reproduced from its index. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = ['Europe/Amsterdam', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
/** Session starts near DST changes, midnight, 17:00 and the restricted date. */
const STARTS = ['2024-03-30T23:10:00Z', '2024-10-26T23:40:00Z', '2024-03-10T05:30:00Z', '2024-04-06T14:45:00Z', '2024-01-15T15:20:00Z', '2024-03-31T20:50:00Z'];
/** Power (W) and current (A) values sitting exactly on the tariffs' bounds. */
const EDGE_POWERS = [3700, 7400, 11_000, 22_000, 0];
const EDGE_CURRENTS = [16, 20, 24, 32];

function aSample(rnd: () => number, t: number, wh: number, powerW: number): MeterSample {
  const r = rnd();
  const isCharging = r > 0.1;
  const s: MeterSample = { timestampMs: t, energyWh: wh, isCharging };
  if (r < 0.85) s.powerW = rnd() < 0.1 ? EDGE_POWERS[Math.floor(rnd() * EDGE_POWERS.length)]! : powerW;
  if (rnd() < 0.8) s.currentA = rnd() < 0.1 ? EDGE_CURRENTS[Math.floor(rnd() * EDGE_CURRENTS.length)]! : powerW / 230;
  return s;
}

/** A noisy charge curve with steady stretches, duplicate and fractional timestamps, readings outside the session. */
function aSession(seed: number): MeterSeries {
  const rnd = prng(seed);
  const startMs = Date.parse(STARTS[seed % STARTS.length]!) + Math.floor(rnd() * 4) * 1_800_000;
  const count = 2 + Math.floor(rnd() * 150);
  const samples: MeterSample[] = [];
  let t = startMs - (rnd() < 0.2 ? 60_000 : 0);
  let wh = 5_000 + Math.floor(rnd() * 1_000);
  let powerW = 1_000 + rnd() * 25_000;
  for (let i = 0; i < count; i++) {
    if (rnd() < 0.3) powerW = Math.max(0, powerW + (rnd() - 0.5) * 6_000); // else steady: same band
    const roundedW = rnd() < 0.7 ? Math.round(powerW) : Math.round(powerW * 100) / 100;
    samples.push(aSample(rnd, t, wh, roundedW));
    const fractionMs = rnd() < 0.2 ? [500, 499, 501, Math.floor(rnd() * 1000)][Math.floor(rnd() * 4)]! : 0; // rounds to a second
    const stepMs = rnd() < 0.05 ? 0 : Math.floor(30 + rnd() * 600) * 1000 + fractionMs;
    wh += Math.round((roundedW * stepMs) / 3_600_000);
    t += stepMs;
  }
  const endMs = t - (rnd() < 0.3 ? Math.floor(rnd() * 600_000) : -Math.floor(rnd() * 600_000));
  return { timeZone: ZONES[seed % ZONES.length]!, startMs, endMs: Math.max(startMs, endMs), samples };
}

function totalsOf(t: ReturnType<typeof compileTariff>, usage: ReturnType<typeof buildSessionUsage>) {
  const p = priceSession(t, usage);
  const money = (a: { exclVat: { toString(): string }; inclVat: { toString(): string } }) => `${a.exclVat} / ${a.inclVat}`;
  return {
    totalCost: money(p.totalCost),
    energy: money(p.totalEnergyCost),
    time: money(p.totalTimeCost),
    parking: money(p.totalParkingCost),
    fixed: money(p.totalFixedCost),
    volumes: [p.totalEnergyMwh, p.totalTimeMs, p.totalChargingMs, p.totalParkingMs],
    periods: p.periods,
  };
}

const SESSIONS = 400;

describe('tariffs/charging-periods buildSessionUsage fast paths', () => {
  for (const [name, tariff] of Object.entries(tariffs)) {
    it(`should give the periods and totals of the re-selecting builder for ${SESSIONS} sessions: ${name}`, () => {
      const compiled = compileTariff(tariff);
      let periods = 0;
      for (let seed = 0; seed < SESSIONS; seed++) {
        const series = aSession(seed);
        const fast = buildSessionUsage(compiled, series);
        const slow = buildSessionUsageReference(compiled, series);
        expect(fast, `session ${seed}`).to.deep.equal(slow);
        expect(totalsOf(compiled, fast), `session ${seed}`).to.deep.equal(totalsOf(compiled, slow));
        periods += fast.periods.length;
      }
      expect(periods).to.be.greaterThan(SESSIONS); // the table does split sessions
    });
  }

  it('should keep all energy of sub-second sessions and agree with the re-selecting builder', () => {
    const t0 = Date.parse('2024-01-15T17:59:59Z');
    for (const [name, tariff] of Object.entries(tariffs)) {
      const compiled = compileTariff(tariff);
      for (const offsetMs of [0, 100, 499, 500, 600, 999]) {
        for (const durationMs of [0, 200, 499, 500, 800, 1000, 1400, 2600]) {
          const startMs = t0 + offsetMs;
          const endMs = startMs + durationMs;
          const samples: MeterSample[] = [
            { timestampMs: startMs, energyWh: 1000, isCharging: true },
            { timestampMs: endMs, energyWh: 1005, isCharging: false },
          ];
          const series: MeterSeries = { timeZone: 'Europe/Amsterdam', startMs, endMs, samples };
          const fast = buildSessionUsage(compiled, series);
          const at = `${name}, +${offsetMs} ms for ${durationMs} ms`;
          expect(fast, at).to.deep.equal(buildSessionUsageReference(compiled, series));
          expect(fast.periods.reduce((sum, p) => sum + p.energyMwh, 0), at).to.equal(5000);
          expect(fast.endMs - fast.startMs, at).to.equal(Math.round(durationMs / 1000) * 1000);
        }
      }
    }
  });

  it('should split exactly where power enters and leaves a band, also at a bound itself (max exclusive)', () => {
    const compiled = compileTariff(tariffs['power and current bands']!);
    const t0 = Date.parse('2024-01-15T10:00:00Z');
    const watts = [2000, 2500, 3700, 3800, 7399, 7400, 7400, 22_000, 21_999.4, 21_999.4];
    const samples = watts.map((w, i) => ({ timestampMs: t0 + i * 60_000, energyWh: i * 100, powerW: w, isCharging: true }));
    const usage = buildSessionUsage(compiled, { timeZone: 'Europe/Amsterdam', startMs: t0, endMs: t0 + 600_000, samples });
    // bands: [0, 3.7) [3.7, 7.4) [7.4, 22) [22, inf): 2000 2500 | 3700 3800 7399 | 7400 7400 | 22000 | 21999.4 x2
    expect(usage.periods.map((p) => (p.startMs - t0) / 60_000)).to.deep.equal([0, 2, 5, 7, 8]);
    expect(usage).to.deep.equal(buildSessionUsageReference(compiled, { timeZone: 'Europe/Amsterdam', startMs: t0, endMs: t0 + 600_000, samples }));
  });

  it('should list the sorted distinct power and current bounds of a tariff', () => {
    const b = compileTariff(tariffs['power and current bands']!).boundaries;
    expect(b.powersKw).to.deep.equal([3.7, 7.4, 22]);
    expect(b.currents).to.deep.equal([16, 32]);
    expect(compileTariff(tariffs['no restrictions']!).boundaries.powersKw).to.deep.equal([]);
  });
});
