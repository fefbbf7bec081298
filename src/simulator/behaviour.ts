// How drivers use a simulated charger: per connector, an EV arrives after an idle time (exponential, so
// arrivals look random), charges for about the session duration, and the driver stops with the same id tag
// and leaves. Every draw comes from the charger's seeded random stream.
import type { SimCharger } from './model/charger.ts';
import type { EvArrival } from './model/types.ts';
import { exponential, uniform, type Random } from './random.ts';
import { Timers } from './timers.ts';

export interface SessionOptions {
  /** chance that an arrival leads to a session (otherwise the connector stays idle another while) */
  probability: number;
  /** mean session length; each one lasts 0.5–1.5 times this */
  durationSec: number;
  /** mean idle time between sessions */
  idleSec: number;
}

export class SessionBehaviour {
  private readonly timers = new Timers();
  private readonly planned = new Map<number, () => void>();
  private running = false;

  constructor(
    private readonly charger: SimCharger,
    private readonly o: SessionOptions,
    private readonly random: Random,
    private readonly tokenFor: (connectorId: number) => string,
    private readonly newEv: (connectorId: number) => EvArrival,
  ) {}

  start(): void {
    this.running = true;
    for (const c of this.charger.connectors) this.planArrival(c.id);
  }

  stop(): void {
    this.running = false;
    this.timers.clear(true);
    this.planned.clear();
  }

  /** The connector is free again: the next driver comes after an idle time. */
  connectorIdle(connectorId: number): void {
    if (this.running) this.planArrival(connectorId);
  }

  private planArrival(connectorId: number): void {
    this.planned.get(connectorId)?.();
    this.planned.set(connectorId, this.timers.after(exponential(this.random, this.o.idleSec) * 1000, () => void this.arrive(connectorId)));
  }

  private async arrive(connectorId: number): Promise<void> {
    this.planned.delete(connectorId);
    const idTag = this.tokenFor(connectorId);
    // Occupied (e.g. by a remote start) or unavailable: look again later.
    if (!this.charger.isFree(connectorId, idTag) || this.random() >= this.o.probability) return this.planArrival(connectorId);
    this.charger.plugIn(connectorId, this.newEv(connectorId));
    const result = await this.charger.presentIdTag(connectorId, idTag);
    const tx = this.charger.connector(connectorId)?.tx;
    if (result !== 'started' || !tx) {
      // Refused: the driver unplugs and goes away.
      this.timers.after(this.charger.settings.unplugDelaySec * 1000, () => this.charger.unplug(connectorId));
      return;
    }
    const durationMs = uniform(this.random, 0.5, 1.5) * this.o.durationSec * 1000;
    this.timers.after(durationMs, () => {
      // The server may have stopped it meanwhile (RemoteStop, Reset): then there is nothing to stop.
      if (this.charger.connector(connectorId)?.tx?.ref === tx.ref) void this.charger.presentIdTag(connectorId, idTag);
    });
  }
}
