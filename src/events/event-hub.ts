import type { Knex } from 'knex';
import type { Logger } from '../shared/logger.ts';
import * as repo from './event.repo.ts';
import { matchesFilter } from './event-filter.ts';
import type { EventFilter, LiveEvent } from './event.types.ts';

export interface Subscriber {
  filter: EventFilter;
  deliver(e: LiveEvent): void;
}

const READ_BATCH = 500;

/**
 * This node's fan-out of stored events to its SSE clients. It reads the events table after the last id it
 * read, in id order (one query per wake-up for all clients, filters applied in memory), when woken: by an
 * event stored on this node, by a notice from another node over the cluster bus, or every pollIntervalMs as
 * a safety net. Reading the table rather than forwarding bus messages keeps delivery in id order with no
 * gap on every node (ids become visible in order, see insertEvent).
 */
export class EventHub {
  private readonly subscribers = new Set<Subscriber>();
  private cursor: number | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private poll: NodeJS.Timeout | undefined;

  constructor(private readonly o: { db: Knex; logger: Logger; pollIntervalMs: number }) {}

  /** How many clients are subscribed on this node. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Adds a subscriber; it receives every matching event stored after this resolves. Returns the unsubscribe. */
  async subscribe(s: Subscriber): Promise<() => void> {
    // The first subscriber (again) starts from now: what was stored while nobody listened is not fanned out.
    if (this.subscribers.size === 0 || this.cursor === undefined) this.cursor = Math.max(this.cursor ?? 0, await repo.maxEventId(this.o.db));
    this.subscribers.add(s);
    this.poll ??= setInterval(() => this.wake(), this.o.pollIntervalMs);
    return () => {
      this.subscribers.delete(s);
      if (this.subscribers.size === 0) this.stopPolling();
    };
  }

  /** Reads and fans out what was stored since the last read (coalesced: one read at a time). */
  wake(): void {
    if (this.subscribers.size === 0 || this.cursor === undefined) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readNew()
      .catch((err: unknown) => void this.o.logger.warn('reading live events failed', { err: err instanceof Error ? err.message : err }))
      .finally(() => {
        this.reading = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Stops polling and forgets every subscriber (their streams are ended by the server's close). */
  async stop(): Promise<void> {
    this.subscribers.clear();
    this.stopPolling();
    await this.reading;
  }

  private stopPolling(): void {
    clearInterval(this.poll);
    this.poll = undefined;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const from = this.cursor ?? 0;
      const batch = await repo.listEventsAfter(this.o.db, from, {}, READ_BATCH);
      for (const e of batch) {
        if (e.id <= (this.cursor ?? 0)) continue; // moved on meanwhile (a first subscriber started from now)
        this.cursor = e.id;
        for (const s of this.subscribers) if (matchesFilter(s.filter, e)) s.deliver(e);
      }
      if (batch.length < READ_BATCH) return;
    }
  }
}

/** Events stored after `afterId` that pass `filter`, oldest first (a Last-Event-ID replay, page by page). */
export function replayAfter(db: Knex, afterId: number, filter: EventFilter, limit: number): Promise<LiveEvent[]> {
  return repo.listEventsAfter(db, afterId, filter, limit);
}

/** Deletes the events older than `cutoff` (the `events-retention` job). */
export function deleteEventsBefore(db: Knex, cutoff: Date): Promise<number> {
  return repo.deleteEventsBefore(db, cutoff);
}
