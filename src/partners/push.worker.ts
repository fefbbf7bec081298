import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { callPartner } from '../ocpi/client.ts';
import { claimDuePushes, markPushDead, markPushDelivered, markPushFailed, outboxSignal, type OutboxRow } from './outbox.repo.ts';
import { findPartner } from './partner.repo.ts';
import { findEndpoint, type Partner } from './partner.types.ts';
import { responseUrlRefusal } from './response-url.ts';

export interface PushWorkerOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  batchSize: number;
  backoffBaseSec: number;
  backoffMaxSec: number;
  leaseSec: number;
  /** A row that failed this many attempts becomes DEAD; 0 or absent = retried forever. */
  maxAttempts?: number;
  /** Hosts a response_url may point at besides the partner's registered ones (config ocpi.responseUrlAllowedHosts). */
  responseUrlAllowedHosts?: readonly string[];
}

export interface PassResult {
  claimed: number;
  delivered: number;
  /** Retried later. */
  failed: number;
  /** Given up on: DEAD. */
  dead: number;
}

type Outcome = 'delivered' | 'failed' | 'dead';

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
    // hubclientinfo §15.1: rows to a party that its hub reports not CONNECTED are cancelled, not sent.
    const onCancelled = (rows: OutboxRow[]) => {
      for (const row of rows) this.o.logger.warn('OCPI push cancelled: its party is not CONNECTED at its hub', { ...logContext(row), err: row.lastError });
    };
    const rows = await claimDuePushes(this.o.db, { now, leaseUntil: new Date(now.getTime() + this.o.leaseSec * 1000), limit: this.o.batchSize, onCancelled });
    const partners = new Map<number, Promise<Partner | undefined>>();
    const outcomes = await Promise.all(rows.map(async (row) => {
      if (!partners.has(row.partnerFk)) partners.set(row.partnerFk, findPartner(this.o.db, row.partnerFk));
      return this.deliver(row, await partners.get(row.partnerFk));
    }));
    const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
    return { claimed: rows.length, delivered: count('delivered'), failed: count('failed'), dead: count('dead') };
  }

  private async deliver(row: OutboxRow, partner: Partner | undefined): Promise<Outcome> {
    // The partner may have dropped the module in a credentials update (§7.2.3): no retry can deliver it.
    if (partner && row.url === undefined && !findEndpoint(partner, row.module, row.role)) {
      return this.giveUp(row, `partner ${partner.countryCode}/${partner.partyId} has no ${row.module} ${row.role} endpoint any more`);
    }
    // The response_url was checked when the request came in; the partner's hosts may have changed since
    // (a credentials update): our token only ever goes to a host it registered (or the operator allows).
    const refusal = partner && row.url !== undefined ? responseUrlRefusal(partner, row.url, this.o.responseUrlAllowedHosts ?? []) : undefined;
    if (refusal) return this.giveUp(row, `${refusal}: not sent`);
    try {
      if (!partner) throw new Error(`partner ${row.partnerFk} not found`);
      await callPartner(partner, { module: row.module, role: row.role, method: row.method, path: row.path, url: row.url, body: row.body, toParty: row.toParty, fromParty: row.fromParty });
      await markPushDelivered(this.o.db, row.id, this.o.clock.now());
      return 'delivered';
    } catch (err) {
      const error = (err as Error).message;
      const max = this.o.maxAttempts ?? 0;
      if (max > 0 && row.attempts >= max) return this.giveUp(row, `gave up after ${row.attempts} attempts: ${error}`);
      const delay = backoffMs(row.attempts, this.o.backoffBaseSec, this.o.backoffMaxSec);
      this.o.logger.warn('OCPI push failed, will retry', { ...logContext(row), retryInMs: delay, err: error });
      await markPushFailed(this.o.db, row.id, { nextAttemptAt: new Date(this.o.clock.now().getTime() + delay), error });
      return 'failed';
    }
  }

  private async giveUp(row: OutboxRow, error: string): Promise<Outcome> {
    this.o.logger.error('OCPI push is DEAD: not retried until an operator retries it', { ...logContext(row), err: error });
    await markPushDead(this.o.db, row.id, error);
    return 'dead';
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

const logContext = (row: OutboxRow) => ({ outboxId: row.id, partnerId: row.partnerFk, module: row.module, objectKey: row.objectKey, attempts: row.attempts });
