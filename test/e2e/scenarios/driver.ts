// The protocol-neutral driver the scenarios are written against: one simulated charger (OCPP 1.6 or 2.0.1)
// against the test app, steps a driver or the operator takes (boot, plug in, present a tag, stop, commands
// through the admin API), and what cpms recorded (sessions, meter values, CDRs, connector status).
import { allIdTags, registerFleet, type Fleet, type SimulatedCharger, type SimulationSummary } from '../../../src/simulator/index.ts';
import type { EvArrival } from '../../../src/simulator/model/types.ts';
import type { TestApp } from '../../helpers/app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aFleet, aLocationViaApi } from '../../fixtures/simulator.ts';

export type Protocol = 'ocpp1.6' | 'ocpp2.0.1';
export const PROTOCOLS: Protocol[] = ['ocpp1.6', 'ocpp2.0.1'];

/** An EV that takes 32 A on three phases (the charger's maximum). */
export const EV_32A: EvArrival = { spec: { maxCurrentA: 32, phases: 3, batteryWh: 60_000 }, socPct: 20 };

export interface SessionRow {
  id: number;
  uid: string;
  status: string;
  id_tag: string;
  stop_reason: string | null;
  meter_start_wh: number;
  energy_wh: number;
}

export class ScenarioCharger {
  readonly fleet: Fleet;
  readonly sim: SimulatedCharger;
  readonly id: string;
  /** the id tag its driver presents (the fleet's own, or one given, e.g. an eMSP's token) */
  readonly tag: string;
  private summary: SimulationSummary | undefined;

  constructor(
    private readonly t: TestApp,
    readonly protocol: Protocol,
    private readonly o: { tokens?: string[] } = {},
  ) {
    this.fleet = aFleet(t, { protocol, ...(o.tokens ? { tokens: o.tokens } : {}) });
    this.sim = this.fleet.chargers[0];
    this.id = this.sim.id;
    this.tag = allIdTags(this.fleet.options)[0];
  }

  /** Registers the charger at a location of its own (and its id tag unless given), connects, waits until it is accepted. */
  async boot(): Promise<void> {
    const locationId = await aLocationViaApi(this.t);
    await registerFleet(this.fleet, { apiUrl: `${this.t.httpUrl}/api/v1`, apiKey: this.t.adminKey, locationId, tokens: this.o.tokens === undefined });
    this.fleet.start();
    await this.fleet.whenOnline();
  }

  /** The driver plugs an EV in (and presents `tag`, the charger's own by default): what the charger made of it. */
  startCharging(tag = this.tag, ev: EvArrival = EV_32A): Promise<'started' | 'stopped' | 'waiting' | 'refused'> {
    return this.sim.startSession(1, tag, ev);
  }

  /** The driver presents `tag` without an EV: the charger authorizes it and waits for the cable. */
  presentTag(tag: string): Promise<'started' | 'stopped' | 'waiting' | 'refused'> {
    return this.sim.model.presentIdTag(1, tag);
  }

  /** The driver presents the tag again: the transaction stops (reason Local). */
  stopCharging(): Promise<void> {
    return this.sim.stopSession(1);
  }

  /** A command through the admin API, named and shaped as OCPP 1.6 (cpms translates it for a 2.0.1 charger). */
  async command(action: string, body: object): Promise<{ status: number; response: any }> {
    const res = await this.t.api('POST', `/api/v1/chargers/${this.id}/commands/${action}`, body);
    return { status: res.status, response: res.body.response ?? res.body };
  }

  activeSession(): Promise<SessionRow> {
    return eventually(async () => (await this.t.db('sessions').where({ charge_point_id: this.id, status: 'ACTIVE' }).first()) ?? false, `an active session at ${this.id}`, 15_000);
  }

  completedSession(id: number): Promise<SessionRow> {
    return eventually(async () => (await this.t.db('sessions').where({ id, status: 'COMPLETED' }).first()) ?? false, `session ${id} completed`, 15_000);
  }

  /** Meter values of a session, waiting until at least `n` of `measurand` were recorded from `from` on. */
  meterValues(sessionId: number, measurand: string, n: number, from = new Date(0)): Promise<Array<{ numeric_value: string; phase: string | null }>> {
    const rows = () => this.t.db('meter_values').where({ session_fk: sessionId, measurand }).where('timestamp', '>=', from).orderBy('id');
    return eventually(async () => {
      const r = await rows();
      return r.length >= n && r;
    }, `${n} ${measurand} readings of session ${sessionId}`, 15_000);
  }

  /** Waits until the session has taken at least `wh` Wh. */
  energyAtLeast(sessionId: number, wh: number): Promise<true> {
    return eventually(async () => Number((await this.t.db('sessions').where({ id: sessionId }).first())?.energy_wh ?? 0) >= wh || false, `${wh} Wh in session ${sessionId}`, 15_000);
  }

  /** The distinct measurand/phase pairs recorded for a session. */
  async measurands(sessionId: number): Promise<string[]> {
    const rows = await this.t.db('meter_values').where({ session_fk: sessionId }).distinct('measurand', 'phase');
    return rows.map((m) => `${m.measurand}${m.phase ? `/${m.phase}` : ''}`).sort();
  }

  connectorStatus(status: string): Promise<true> {
    return eventually(async () => (await this.t.db('connectors').where({ charge_point_id: this.id, connector_number: 1 }).first())?.ocpp_status === status || false, `connector 1 of ${this.id} ${status}`, 15_000);
  }

  cdrOf(sessionId: number): Promise<{ total_energy_wh?: number } & Record<string, unknown>> {
    return eventually(async () => (await this.t.db('cdrs').where({ session_fk: sessionId }).first()) ?? false, `the CDR of session ${sessionId}`, 15_000);
  }

  /** Stops the charger (transactions still running end with reason Local) and sums up its run. */
  async close(): Promise<SimulationSummary> {
    this.summary ??= await this.fleet.stop();
    return this.summary;
  }
}
