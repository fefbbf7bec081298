import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { callPartner } from '../ocpi/client.ts';
import { claimDuePushes, markPushDelivered, markPushFailed, outboxSignal, type OutboxRow } from './outbox.repo.ts';
import { findPartner } from './partner.repo.ts';
import type { Partner } from './partner.types.ts';

export interface PushWorkerOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  batchSize: number;
  backoffBaseSec: number;
  backoffMaxSec: number;
  leaseSec: number;
}

export interface PassResult {
  claimed: number;
  delivered: number;
  failed: number;
}

/** Delay before retry `attempt` (1-based): base · 2^(attempt-1) seconds, capped. */
export function backoffMs(attempt: number, baseSec: number, maxSec: number): number {
  return Math.min(maxSec, baseSec * 2 ** Math.max(0, attempt - 1)) * 1000;
}

/**
 * Delivers the ocpi_outbox to partners: in enqueue order per (partner, object key), each row once
 * (a retry re-sends the same body, so a re-POSTed CDR keeps its id), retried with capped exponential
 * backoff. All state is in the table, so a restart or another node carries on where this one stopped.
 * Runs a pass when kicked (`notify()`, or a commit of `enqueuePush`) and every `intervalMs` otherwise.
 */
export class PushWorker {
  private running = false;
  private loopDone?: Promise<void>;
  private wake?: () => void;
  private isKicked = false;
  private readonly onEnqueued = () => this.notify();

  constructor(private readonly o: PushWorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    outboxSignal.on('enqueued', this.onEnqueued);
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    outboxSignal.off('enqueued', this.onEnqueued);
    this.wake?.();
    await this.loopDone;
  }

  /** Asks for a pass now (after an enqueue); coalesces with a pass already running. */
  notify(): void {
    this.isKicked = true;
    this.wake?.();
  }

  /** One delivery pass: claims due rows and delivers them (distinct object keys, so in parallel). */
  async runOnce(): Promise<PassResult> {
    const now = this.o.clock.now();
    const rows = await claimDuePushes(this.o.db, { now, leaseUntil: new Date(now.getTime() + this.o.leaseSec * 1000), limit: this.o.batchSize });
    const partners = new Map<number, Promise<Partner | undefined>>();
    const outcomes = await Promise.all(rows.map(async (row) => {
      if (!partners.has(row.partnerFk)) partners.set(row.partnerFk, findPartner(this.o.db, row.partnerFk));
      return this.deliver(row, await partners.get(row.partnerFk));
    }));
    const delivered = outcomes.filter(Boolean).length;
    return { claimed: rows.length, delivered, failed: rows.length - delivered };
  }

  private async deliver(row: OutboxRow, partner: Partner | undefined): Promise<boolean> {
    try {
      if (!partner) throw new Error(`partner ${row.partnerFk} not found`);
      await callPartner(partner, { module: row.module, role: row.role, method: row.method, path: row.path, url: row.url, body: row.body, toParty: row.toParty, fromParty: row.fromParty });
      await markPushDelivered(this.o.db, row.id, this.o.clock.now());
      return true;
    } catch (err) {
      const delay = backoffMs(row.attempts, this.o.backoffBaseSec, this.o.backoffMaxSec);
      const error = (err as Error).message;
      this.o.logger.warn('OCPI push failed, will retry', { outboxId: row.id, partnerId: row.partnerFk, module: row.module, objectKey: row.objectKey, attempts: row.attempts, retryInMs: delay, err: error });
      await markPushFailed(this.o.db, row.id, { nextAttemptAt: new Date(this.o.clock.now().getTime() + delay), error });
      return false;
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.isKicked = false;
      let claimed = 0;
      try {
        claimed = (await this.runOnce()).claimed;
      } catch (err) {
        this.o.logger.error('OCPI push pass failed', { err: (err as Error).message, stack: (err as Error).stack });
      }
      // A full pass may have left more due rows (the next of each key): go again at once.
      if (this.running && claimed === 0 && !this.isKicked) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.o.intervalMs);
      this.wake = done;
    });
  }
}
