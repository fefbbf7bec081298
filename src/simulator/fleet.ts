// A fleet of simulated chargers in one process: connects them (spread over the ramp-up), lets drivers use
// them or floods the server with MeterValues, and sums up what happened.
import { systemClock, type Clock } from '../shared/clock.ts';
import { resolveOptions, type FleetOptions, type ResolvedOptions } from './options.ts';
import { SimulatedCharger } from './sim-charger.ts';
import { SimulationStats, type SimulationSummary } from './stats.ts';
import { Timers } from './timers.ts';

export class Fleet {
  readonly options: ResolvedOptions;
  readonly chargers: SimulatedCharger[];
  readonly stats = new SimulationStats();
  private readonly timers = new Timers();
  private readonly clock: Clock;
  private startedAt = 0;
  private running = false;
  private floods: Array<Promise<void>> = [];

  constructor(options: FleetOptions, o: { clock?: Clock } = {}) {
    this.options = resolveOptions(options);
    this.clock = o.clock ?? systemClock;
    this.chargers = Array.from({ length: this.options.chargers }, (_, i) => new SimulatedCharger(this.options, i, this.stats, this.clock));
    this.stats.chargers = this.chargers.length;
    for (const c of this.chargers) this.stats.protocols[c.protocol] = (this.stats.protocols[c.protocol] ?? 0) + 1;
  }

  /** Starts connecting, evenly spread over the ramp-up. */
  start(): void {
    this.running = true;
    this.startedAt = this.clock.now().getTime();
    const step = (this.options.rampUpSec * 1000) / this.chargers.length;
    this.chargers.forEach((c, i) => {
      this.timers.after(i * step, () => {
        c.start();
        if (this.options.flood) this.floods.push(c.station.flood(() => this.running));
      });
    });
  }

  /** Resolves once every charger is connected and accepted. */
  whenOnline(): Promise<void> {
    return Promise.all(this.chargers.map((c) => c.whenOnline())).then(() => undefined);
  }

  charger(id: string): SimulatedCharger | undefined {
    return this.chargers.find((c) => c.id === id);
  }

  /** Stops (running transactions are stopped first unless stopSessionsAtEnd is false) and sums up. */
  async stop(): Promise<SimulationSummary> {
    this.running = false;
    this.timers.clear(true);
    const drainMs = this.options.callTimeoutSec * 1000;
    await Promise.all(this.chargers.map((c) => c.stop({ stopSessions: this.options.stopSessionsAtEnd, drainMs })));
    await Promise.all(this.floods);
    return this.stats.summary((this.clock.now().getTime() - this.startedAt) / 1000);
  }
}

/** Runs a fleet for `durationSec` and returns its summary. */
export async function runFleet(options: FleetOptions & { durationSec: number }, o: { clock?: Clock; onStart?: (f: Fleet) => void } = {}): Promise<SimulationSummary> {
  const fleet = new Fleet(options, o);
  fleet.start();
  o.onStart?.(fleet);
  await new Promise((resolve) => setTimeout(resolve, options.durationSec * 1000));
  return fleet.stop();
}
