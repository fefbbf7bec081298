// Pure: how much current an EV draws, given what it accepts, what the charger can give and the charging
// limits in force. Single-phase cars on three-phase chargers draw on L1 only.
import { ampsPerPhase, type Limit } from './charging-profiles.ts';

/** IEC 61851-1: the charger cannot offer an EV less than 6 A; below that the EV has to pause. */
export const MIN_OFFER_A = 6;

export interface EvSpec {
  /** what the on-board charger accepts, per phase */
  maxCurrentA: number;
  /** phases the on-board charger uses (1 or 3) */
  phases: number;
  batteryWh: number;
}

export type ChargingState = 'Charging' | 'SuspendedEV' | 'SuspendedEVSE';

/**
 * Current per phase the EV asks for at a state of charge: its maximum up to 80 %, then a linear taper to a
 * tenth of it at 100 % (the constant-voltage phase of a lithium battery); nothing once full.
 */
export function evAcceptanceA(ev: EvSpec, socPct: number): number {
  if (socPct >= 100) return 0;
  if (socPct < 80) return ev.maxCurrentA;
  return ev.maxCurrentA * (1 - 0.9 * ((socPct - 80) / 20));
}

/** Water-filling: splits `cap` among `wants` so that nobody gets more than asked and the rest is shared equally. */
export function shareCap(wants: number[], cap: number): number[] {
  const order = wants.map((w, i) => [w, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(wants.length).fill(0);
  let left = Math.max(0, cap);
  order.forEach(([want, i], k) => {
    const give = Math.min(want, left / (order.length - k));
    out[i] = give;
    left -= give;
  });
  return out;
}

export interface ConnectorDemand {
  /** what the EV asks for per phase (evAcceptanceA) */
  evA: number;
  /** phases in use: the EV's, the supply's and the limits' allowance */
  phases: number;
  /** the most this connector may give per phase: its hardware and its transaction's limit */
  limitA: number;
}

export interface ConnectorDraw {
  currentA: number;
  phases: number;
  state: ChargingState;
}

/**
 * The current each charging connector draws: what its EV asks, capped by its own limit, then the
 * ChargePointMaxProfile limit shared among them (in A per phase, or in W over each one's phases).
 * An offer below 6 A means no charging (SuspendedEVSE); a full EV asks nothing (SuspendedEV).
 */
export function allocate(demands: ConnectorDemand[], chargerCap: Limit | undefined, voltage: number): ConnectorDraw[] {
  const offers = demands.map((d) => Math.min(d.evA, d.limitA));
  let granted = offers;
  if (chargerCap?.unit === 'A') granted = shareCap(offers, chargerCap.value);
  if (chargerCap?.unit === 'W') {
    const watts = shareCap(offers.map((a, i) => a * voltage * demands[i].phases), chargerCap.value);
    granted = watts.map((w, i) => w / (voltage * demands[i].phases));
  }
  return demands.map((d, i) => {
    // The offer the charger signals: its own limit, or its share of the cap when that is less than the EV asks.
    const offer = granted[i] < offers[i] ? granted[i] : d.limitA;
    if (d.evA <= 0) return { currentA: 0, phases: d.phases, state: 'SuspendedEV' };
    if (offer < MIN_OFFER_A) return { currentA: 0, phases: d.phases, state: 'SuspendedEVSE' };
    return { currentA: Math.min(d.evA, offer), phases: d.phases, state: 'Charging' };
  });
}

/** Per-phase limit of a connector: its hardware and the transaction's limit, if any. */
export function connectorLimitA(hardwareA: number, txLimit: Limit | undefined, voltage: number, phases: number): number {
  return txLimit ? Math.min(hardwareA, ampsPerPhase(txLimit, voltage, phases)) : hardwareA;
}

/** Currents on L1..L3 for a draw on `phases` phases of a supply with `supplyPhases` phases. */
export function phaseCurrents(currentA: number, phases: number, supplyPhases: number): number[] {
  return Array.from({ length: supplyPhases }, (_, i) => (i < phases ? currentA : 0));
}

/** Active power in W of `currentA` per phase on `phases` phases. */
export function powerW(currentA: number, phases: number, voltage: number): number {
  return currentA * phases * voltage;
}
