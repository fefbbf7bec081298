// Pure: the composite schedule a charger reports for GetCompositeSchedule (OCPP 1.6 §5.7, §3.13.3): the
// lower of the ChargePointMaxProfile and the transaction's profile at every moment of the asked window,
// also capped by the charger's own maximum.
import { ampsPerPhase, limitsAt, phasesAllowed, type ChargingProfile, type RateUnit, type SchedulePeriod, type TxContext } from './charging-profiles.ts';

export interface CompositeInput {
  profiles: ChargingProfile[];
  /** 0 = the whole charger (its ChargePointMaxProfile) */
  connectorId: number;
  from: number;
  durationSec: number;
  unit: RateUnit;
  voltage: number;
  /** phases of the charger's supply */
  phases: number;
  /** the charger's own maximum current per phase (of one connector; of all of them for connector 0) */
  maxCurrentA: number;
  tx?: TxContext;
}

export interface CompositeSchedule {
  startSchedule: number;
  durationSec: number;
  unit: RateUnit;
  periods: SchedulePeriod[];
}

const DAY_MS = 86_400_000;

/** Moments in [from, to) where some profile may change the limit: validity bounds, period starts, ends. */
function breakpoints(profiles: ChargingProfile[], from: number, to: number, relativeStart: number): number[] {
  const points = new Set<number>([from]);
  const add = (t: number) => {
    if (t > from && t < to) points.add(t);
  };
  for (const p of profiles) {
    if (p.validFrom !== undefined) add(p.validFrom);
    if (p.validTo !== undefined) add(p.validTo);
    const base = p.kind === 'Relative' ? relativeStart : (p.schedule.startSchedule ?? p.installedAt);
    const every = p.kind === 'Recurring' ? (p.recurrency === 'Weekly' ? 7 * DAY_MS : DAY_MS) : Infinity;
    const first = every === Infinity ? base : base + Math.max(0, Math.floor((from - base) / every)) * every;
    for (let start = first; start < to; start += every) {
      for (const period of p.schedule.periods) add(start + period.startPeriod * 1000);
      if (p.schedule.durationSec !== undefined) add(start + p.schedule.durationSec * 1000);
      add(start);
      if (every === Infinity) break;
    }
  }
  return [...points].sort((a, b) => a - b);
}

/** Rounds down to the 0.1 step OCPP 1.6 limits are given in (`multipleOf: 0.1`). */
function toTenths(x: number): number {
  return Math.floor(x * 10 + 1e-9) / 10;
}

/** The limit in force at `at` in the asked unit, with the phases it allows. */
function limitAt(input: CompositeInput, at: number): { limit: number; phases: number } {
  const limits = limitsAt(input.profiles, input.connectorId, at, input.tx);
  if (input.connectorId === 0) delete limits.tx; // the charger as a whole: its ChargePointMaxProfile only
  const phases = phasesAllowed(limits, input.phases);
  let amps = input.maxCurrentA;
  for (const l of [limits.chargePointMax, limits.tx]) if (l) amps = Math.min(amps, ampsPerPhase(l, input.voltage, phases));
  const limit = input.unit === 'A' ? amps : amps * input.voltage * phases;
  return { limit: toTenths(Math.max(0, limit)), phases };
}

/** The composite schedule of one connector (or the whole charger) from `from` for `durationSec`. */
export function compositeSchedule(input: CompositeInput): CompositeSchedule {
  const to = input.from + input.durationSec * 1000;
  const periods: SchedulePeriod[] = [];
  for (const at of breakpoints(input.profiles, input.from, to, input.tx?.startedAt ?? input.from)) {
    const { limit, phases } = limitAt(input, at);
    const startPeriod = Math.floor((at - input.from) / 1000); // whole seconds: a change within a second wins it
    if (periods.at(-1)?.startPeriod === startPeriod) periods.pop();
    const last = periods.at(-1);
    if (last && last.limit === limit && (last.numberPhases ?? 3) === phases) continue;
    periods.push({ startPeriod, limit, ...(phases < 3 ? { numberPhases: phases } : {}) });
  }
  return { startSchedule: input.from, durationSec: input.durationSec, unit: input.unit, periods };
}
