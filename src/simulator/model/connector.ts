// Pure: a connector's electrical state, and how the draws of a charger's connectors follow their EVs and the
// charging limits in force, with the meters and states of charge brought up to date.
import { limitsAt, phasesAllowed, type ChargingProfile } from './charging-profiles.ts';
import { advance, changePower, readingWh, socAfter, type MeterRegister } from './meter.ts';
import { allocate, connectorLimitA, evAcceptanceA, phaseCurrents, powerW, type ConnectorDemand, type ConnectorDraw } from './power.ts';
import type { ChargerSpec, EvArrival, MeterSample, SampleContext, Transaction } from './types.ts';

export interface Connector {
  id: number;
  ev?: EvArrival;
  tx?: Transaction;
  finishing: boolean;
  /** an authorized driver who has not plugged in yet, and the timer that gives up on them */
  awaitingPlug?: { idTag: string; cancel(): void };
  /** a TxProfile that came with a RemoteStartTransaction, installed when the transaction starts */
  pendingTxProfile?: ChargingProfile;
  meter: MeterRegister;
  draw: ConnectorDraw;
}

export const IDLE_DRAW: ConnectorDraw = { currentA: 0, phases: 0, state: 'Charging' };

/**
 * Advances the meters (and SoC) of the charging connectors to `now` and sets their draw under the limits
 * (the transaction's own, then the ChargePointMaxProfile shared). Returns the connectors whose state changed.
 */
export function updateDraws(connectors: Connector[], profiles: ChargingProfile[], spec: ChargerSpec, now: number): number[] {
  const charging = connectors.filter((c) => c.tx && c.ev);
  for (const c of charging) {
    const before = c.meter.wh;
    c.meter = advance(c.meter, now);
    c.ev!.socPct = socAfter(c.ev!.socPct, c.meter.wh - before, c.ev!.spec.batteryWh);
  }
  const { voltage } = spec;
  const demands: ConnectorDemand[] = charging.map((c) => {
    const limits = limitsAt(profiles, c.id, now, { ref: c.tx!.ref, startedAt: c.tx!.startedAt });
    const phases = Math.min(c.ev!.spec.phases, phasesAllowed(limits, spec.phases));
    return { evA: evAcceptanceA(c.ev!.spec, c.ev!.socPct), phases, limitA: connectorLimitA(spec.maxCurrentA, limits.tx, voltage, phases) };
  });
  const changed: number[] = [];
  allocate(demands, limitsAt(profiles, 0, now).chargePointMax, voltage).forEach((draw, i) => {
    const c = charging[i];
    if (c.draw.state !== draw.state) changed.push(c.id);
    c.draw = draw;
    c.meter = changePower(c.meter, now, powerW(draw.currentA, draw.phases, voltage));
  });
  return changed;
}

/** What the connector's meter shows at `at`. */
export function sampleOf(c: Connector, spec: ChargerSpec, at: number, context: SampleContext): MeterSample {
  return {
    at,
    energyWh: readingWh(advance(c.meter, at)),
    powerW: c.meter.powerW,
    currentsA: phaseCurrents(c.draw.currentA, c.draw.phases, spec.phases),
    voltageV: spec.voltage,
    ...(c.ev ? { socPct: c.ev.socPct } : {}),
    context,
  };
}
