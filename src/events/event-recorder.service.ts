import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { DomainEvents } from '../shared/events.ts';
import { BatchLoader } from '../shared/batch-loader.ts';
import { KeyCoalescer } from '../shared/key-coalescer.ts';
import * as repo from './event.repo.ts';
import type { EventType, NewLiveEvent } from './event.types.ts';

/**
 * `session.updated` events are stored at most this often under a steady flow of MeterValues batches (one
 * per session with its figures as they are then): a batch every few milliseconds cost a transaction each.
 */
const SESSION_UPDATES_INTERVAL_MS = 250;

/**
 * Sessions per statement when their `session.updated` events are built and stored: on the embedded database
 * (one connection) the statements for 250 sessions held it 8-12 ms each, and every MeterValues batch behind
 * them waited; for 50 they take about 2 ms, with the batches in between.
 */
export const SESSION_UPDATES_CHUNK = 50;

export interface EventRecorderOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  events: DomainEvents;
  /** Called with the id of each stored event (wakes this node's fan-out and, in a cluster, the others). */
  onStored(id: number): void;
}

/**
 * Turns the domain's events (published after their change committed) into stored live events: one row
 * in `events` each, with the charger's location for filtering and, for sessions, kWh and power. Writes
 * run in the background; `settled()` waits for them (a shutdown does, before the database goes).
 */
export class EventRecorder {
  private readonly running = new Set<Promise<void>>();
  /** Built events waiting to be stored, in the order their domain events were published. */
  private queue: NewLiveEvent[] = [];
  /** Resolves once the event of the latest record() is queued (or its build failed). */
  private lastQueued: Promise<void> = Promise.resolve();
  private flushing: Promise<void> | undefined;
  private readonly offs: Array<() => void> = [];
  /** A batch of MeterValues updates many sessions at once: their live events are built with one statement. */
  private readonly updates: KeyCoalescer<number>;
  /** The lookups of the events published in one turn go together: one statement each, not one per event. */
  private readonly locations: BatchLoader<string, string | null>;
  private readonly sessions: BatchLoader<number, repo.SessionFigures>;

  constructor(private readonly o: EventRecorderOptions) {
    this.updates = new KeyCoalescer((ids) => this.recordUpdates(ids), (err) => o.logger.error('recording a live event failed', { err: err instanceof Error ? err.message : err }), { minIntervalMs: SESSION_UPDATES_INTERVAL_MS });
    this.locations = new BatchLoader((ids) => repo.listChargerLocations(o.db, ids));
    this.sessions = new BatchLoader(async (ids) => new Map((await repo.listSessionFigures(o.db, ids)).map((s) => [s.sessionId, s])));
  }

  start(): void {
    const { events } = this.o;
    const charger = (type: EventType) => (e: { chargePointId: string }) => this.record(() => this.aboutCharger(type, e.chargePointId, {}));
    this.offs.push(
      events.on('charger.connected', charger('charger.connected')),
      events.on('charger.disconnected', charger('charger.disconnected')),
      events.on('charger.offline', charger('charger.offline')),
      events.on('connector.status', (e) => this.record(() => this.aboutCharger('connector.status', e.chargePointId, { connectorId: e.connectorId, status: e.status, errorCode: e.errorCode, info: e.info ?? null, timestamp: e.timestamp.toISOString() }))),
      events.on('session.started', (e) => this.record(() => this.aboutSession('session.started', e.sessionId))),
      events.on('session.updated', (e) => this.updates.add(e.sessionId)),
      events.on('session.stopped', (e) => this.record(() => this.aboutSession('session.stopped', e.sessionId))),
      ...(['alert.opened', 'alert.closed', 'alert.acknowledged'] as const).map((type) =>
        events.on(type, (e) => this.record(async () => (e.chargePointId ? this.aboutCharger(type, e.chargePointId, { ...e }) : this.event(type, null, null, { ...e })))),
      ),
    );
  }

  /** Stops listening; the writes already started go on (see settled). */
  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  async settled(): Promise<void> {
    await this.updates.settled();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** One `session.updated` per session updated since the last run, with its figures as they are now (SESSION_UPDATES_CHUNK at a time). */
  private async recordUpdates(sessionIds: number[]): Promise<void> {
    sessionIds.sort((a, b) => a - b);
    for (let from = 0; from < sessionIds.length; from += SESSION_UPDATES_CHUNK) {
      const figures = await repo.listSessionFigures(this.o.db, sessionIds.slice(from, from + SESSION_UPDATES_CHUNK));
      if (figures.length === 0) continue;
      this.queue.push(...figures.map((s) => this.sessionEvent('session.updated', s)));
      await this.flush();
    }
  }

  /**
   * Builds an event and queues it after the event recorded before it: builds wait for different lookups
   * (locations, sessions, none), which answer in any order, but events are stored in publish order.
   */
  private record(build: () => Promise<NewLiveEvent | undefined>): void {
    const built = build();
    built.catch(() => undefined); // awaited below, maybe after it failed: its task logs the failure
    const previous = this.lastQueued;
    let queued!: () => void;
    this.lastQueued = new Promise<void>((resolve) => (queued = resolve));
    const task = (async () => {
      try {
        await previous;
        const event = await built;
        if (event) this.queue.push(event);
      } finally {
        queued(); // a failed build must not hold up the events after it
      }
      await this.flush();
    })()
      .catch((err: unknown) => void this.o.logger.error('recording a live event failed', { err: err instanceof Error ? err.message : err }))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Stores what is queued, one insert at a time: events built meanwhile go together in the next one. */
  private async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined); // its own task logs a failure
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.flushing = repo.insertEvents(this.o.db, batch).then((ids) => this.o.onStored(Math.max(...ids)));
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  private event(type: EventType, chargePointId: string | null, locationId: string | null, data: Record<string, unknown>): NewLiveEvent {
    return { type, chargePointId, locationId, occurredAt: this.o.clock.now(), data };
  }

  private async aboutCharger(type: EventType, chargePointId: string, data: Record<string, unknown>): Promise<NewLiveEvent> {
    return this.event(type, chargePointId, (await this.locations.load(chargePointId)) ?? null, { chargePointId, ...data });
  }

  private async aboutSession(type: EventType, sessionId: number): Promise<NewLiveEvent | undefined> {
    const s = await this.sessions.load(sessionId);
    return s && this.sessionEvent(type, s);
  }

  private sessionEvent(type: EventType, s: repo.SessionFigures): NewLiveEvent {
    return this.event(type, s.chargePointId, s.locationId, { ...s, startAt: s.startAt.toISOString(), stopAt: s.stopAt?.toISOString() ?? null });
  }
}
