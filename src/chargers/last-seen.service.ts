import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { DomainEvents } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { ChargerService } from './charger.service.ts';
import type { RegistrationStatus } from './charger.types.ts';
import { runDetached } from '../shared/background.ts';
import { updateLastSeen, type SeenRow, type SeenState } from './last-seen.repo.ts';

export interface LastSeenOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  chargers: Pick<ChargerService, 'markSeen' | 'heartbeat'>;
  events: DomainEvents;
  /** How often the times kept in memory are written (config ingest.lastSeenFlushMs); 0 = with each message. */
  flushMs: number;
}

/**
 * Chargers written per statement of a flush. The embedded database has one connection: 1,000 chargers in one
 * statement held it 23-43 ms (2 cores, 2026-12-06), a stall every flush that every charger's MeterValues batch
 * waited behind; 250 take 5-9 ms, and other statements run between them.
 */
export const FLUSH_CHUNK = 250;

interface Entry {
  registrationStatus: RegistrationStatus;
  seenAt: Date;
  heartbeatAt: Date | null;
  isDirty: boolean;
}

/**
 * Last-seen and heartbeat times of chargers known to be online, kept in memory and written in bulk every
 * `flushMs` (issue 8): a message then costs no statement of its own. A charger's first message on this
 * node, and any message after the database marked it offline, goes through ChargerService (which writes
 * at once and brings the charger back online); each flush reads back the registration status and the
 * offline state, so a change made elsewhere is seen within one flush interval.
 */
export class LastSeenService {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly o: LastSeenOptions) {
    // A charger (re)connected or marked offline on this node: its next message goes through the database
    // (online again, OFFLINE fault cleared, registration status read).
    o.events.on('charger.connected', ({ chargePointId }) => this.forget(chargePointId));
    o.events.on('charger.offline', ({ chargePointId }) => this.forget(chargePointId));
  }

  /** Any message proves the charger is alive; returns its registration status for the caller's gate. */
  async markSeen(chargePointId: string): Promise<RegistrationStatus> {
    const e = this.o.flushMs > 0 ? this.entries.get(chargePointId) : undefined;
    if (!e) return this.remember(chargePointId, await this.o.chargers.markSeen(chargePointId));
    e.seenAt = this.o.clock.now();
    e.isDirty = true;
    return e.registrationStatus;
  }

  /** OCPP 1.6 §4.6 Heartbeat: records it; returns the current time for the answer. */
  async heartbeat(chargePointId: string): Promise<Date> {
    const e = this.o.flushMs > 0 ? this.entries.get(chargePointId) : undefined;
    if (!e) {
      // Like any first message (online again, registration read), then kept in memory: a charger that only
      // sends Heartbeats (every idle one) would otherwise cost a statement each, queued behind every other
      // charger's in the pool during a reconnect storm.
      const { at, registrationStatus } = await this.o.chargers.heartbeat(chargePointId);
      this.remember(chargePointId, registrationStatus);
      return at;
    }
    const now = this.o.clock.now();
    Object.assign(e, { seenAt: now, heartbeatAt: now, isDirty: true });
    return now;
  }

  /** The next message of the charger goes through the database (its registration or connection changed). */
  forget(chargePointId: string): void {
    this.entries.delete(chargePointId);
  }

  private remember(chargePointId: string, registrationStatus: RegistrationStatus): RegistrationStatus {
    if (this.o.flushMs > 0) this.entries.set(chargePointId, { registrationStatus, seenAt: this.o.clock.now(), heartbeatAt: null, isDirty: false });
    return registrationStatus;
  }

  /** Writes the times kept since the last flush (a statement per FLUSH_CHUNK chargers); flushes never overlap. */
  flush(): Promise<void> {
    const run = this.flushing.catch(() => undefined).then(() => this.flushOnce());
    this.flushing = run;
    return run;
  }

  private async flushOnce(): Promise<void> {
    const dirty = [...this.entries].filter(([, e]) => e.isDirty);
    if (dirty.length === 0) return;
    const rows = dirty.map(([chargePointId, e]) => ({ chargePointId, seenAt: e.seenAt, heartbeatAt: e.heartbeatAt }));
    for (const [, e] of dirty) Object.assign(e, { isDirty: false, heartbeatAt: null });
    for (let i = 0; i < rows.length; i += FLUSH_CHUNK) {
      const chunk = rows.slice(i, i + FLUSH_CHUNK);
      let states;
      try {
        states = await updateLastSeen(this.o.db, chunk);
      } catch (err) {
        // Kept for the next flush (greatest(): an older time written later changes nothing).
        for (const r of rows.slice(i)) if (this.entries.has(r.chargePointId)) this.markDirty(r);
        throw err;
      }
      this.apply(chunk, states);
    }
  }

  /** What the database said of the chargers written: their registration status, or that they are offline. */
  private apply(rows: readonly SeenRow[], states: readonly SeenState[]): void {
    const byId = new Map(states.map((s) => [s.chargePointId, s]));
    for (const r of rows) {
      const s = byId.get(r.chargePointId);
      const e = this.entries.get(r.chargePointId);
      if (!e) continue;
      // Marked offline meanwhile (or deleted): the next message goes through the database again.
      if (!s || !s.isOnline) this.entries.delete(r.chargePointId);
      else e.registrationStatus = s.registrationStatus;
    }
  }

  private markDirty(r: { chargePointId: string; heartbeatAt: Date | null }): void {
    const e = this.entries.get(r.chargePointId)!;
    e.isDirty = true;
    e.heartbeatAt ??= r.heartbeatAt;
  }

  /** Starts the periodic flush (a failed flush is logged and retried at the next one). */
  start(): void {
    if (this.o.flushMs <= 0 || this.timer) return;
    this.timer = setInterval(() => runDetached(this.o.logger, 'last-seen flush', () => this.flush()), this.o.flushMs);
    this.timer.unref();
  }

  /** Graceful stop: no more periodic flushes, and the times kept are written. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
