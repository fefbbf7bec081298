import type { Knex } from 'knex';
import { runDetached } from '../shared/background.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import * as deliveries from './delivery.repo.ts';
import { signatureHeader, SIGNATURE_HEADER } from './signature.ts';
import { findWebhookTarget } from './webhook.repo.ts';
import type { WebhookService } from './webhook.service.ts';
import type { WebhookDelivery } from './webhook.types.ts';

export interface DeliveryWorkerOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  webhooks: Pick<WebhookService, 'signal'>;
  timeoutSec: number;
  maxAttempts: number;
  backoffBaseSec: number;
  backoffMaxSec: number;
  batchSize?: number;
}

type Outcome = 'delivered' | 'retry' | 'failed';

/** Delay before retry `attempt` (1-based): base · 2^(attempt-1) seconds, capped. */
export const deliveryBackoffMs = (attempt: number, baseSec: number, maxSec: number): number => Math.min(maxSec, baseSec * 2 ** Math.max(0, attempt - 1)) * 1000;

/**
 * Sends webhook deliveries: a signed JSON POST (see signature.ts), 2xx = delivered; anything else is
 * retried with capped exponential backoff, and FAILED for good after maxAttempts (an operator may retry it).
 * All state is in the table: the `webhook-delivery` job (any node) carries on where another stopped. Once
 * started, a commit that queued deliveries triggers a pass at once.
 */
export class DeliveryWorker {
  private isStarted = false;
  private pass?: Promise<unknown>;
  /** Deliveries were queued while a pass ran: it runs again when done. */
  private isKicked = false;
  private readonly onQueued = () => {
    if (!this.isStarted) return;
    if (this.pass) this.isKicked = true;
    else runDetached(this.o.logger, 'webhook delivery pass', () => this.kickedPasses());
  };

  constructor(private readonly o: DeliveryWorkerOptions) {}

  start(): void {
    this.isStarted = true;
    this.o.webhooks.signal.on('queued', this.onQueued);
  }

  async stop(): Promise<void> {
    this.isStarted = false;
    this.o.webhooks.signal.off('queued', this.onQueued);
    await this.pass?.catch(() => undefined);
  }

  private async kickedPasses(): Promise<void> {
    do {
      this.isKicked = false;
      await this.runOnce();
    } while (this.isKicked && this.isStarted);
  }

  /** One pass: claims the due deliveries and sends them in parallel. */
  async runOnce(): Promise<{ claimed: number; delivered: number; retried: number; failed: number }> {
    const work = this.sendDue();
    this.pass = work;
    try {
      return await work;
    } finally {
      if (this.pass === work) this.pass = undefined;
    }
  }

  private async sendDue() {
    const now = this.o.clock.now();
    const leaseUntil = new Date(now.getTime() + (this.o.timeoutSec + 30) * 1000);
    const claimed = await deliveries.claimDueDeliveries(this.o.db, { now, leaseUntil, limit: this.o.batchSize ?? 100 });
    const outcomes = await Promise.all(claimed.map((d) => this.send(d)));
    const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
    return { claimed: claimed.length, delivered: count('delivered'), retried: count('retry'), failed: count('failed') };
  }

  private async send(d: WebhookDelivery): Promise<Outcome> {
    const target = await findWebhookTarget(this.o.db, d.webhookId);
    if (!target) return 'failed'; // deleted: its deliveries went with it
    if (!target.enabled) {
      // Not sent, no attempt wasted: the operator retries it once the webhook is enabled again.
      await deliveries.updateDeliveryOutcome(this.o.db, d.id, { status: 'FAILED', statusCode: null, error: 'webhook disabled: not sent' });
      return 'failed';
    }
    const body = JSON.stringify(d.body);
    let statusCode: number | null = null;
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cpms-event': d.event, 'x-cpms-delivery': String(d.id), [SIGNATURE_HEADER]: signatureHeader(target.secret, body, this.o.clock.now()) },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.o.timeoutSec * 1000),
      });
      statusCode = res.status;
      await res.body?.cancel();
      if (res.status < 200 || res.status > 299) throw new Error(`answered HTTP ${res.status}`);
      await deliveries.updateDeliveryOutcome(this.o.db, d.id, { status: 'DELIVERED', statusCode, error: null, deliveredAt: this.o.clock.now() });
      return 'delivered';
    } catch (err) {
      return this.failed(d, statusCode, (err as Error).message);
    }
  }

  private async failed(d: WebhookDelivery, statusCode: number | null, error: string): Promise<Outcome> {
    const ctx = { deliveryId: d.id, webhookId: d.webhookId, attempts: d.attempts, err: error };
    if (d.attempts >= this.o.maxAttempts) {
      this.o.logger.error('webhook delivery FAILED: not retried until an operator retries it', ctx);
      await deliveries.updateDeliveryOutcome(this.o.db, d.id, { status: 'FAILED', statusCode, error: `gave up after ${d.attempts} attempts: ${error}` });
      return 'failed';
    }
    const delay = deliveryBackoffMs(d.attempts, this.o.backoffBaseSec, this.o.backoffMaxSec);
    this.o.logger.warn('webhook delivery failed, will retry', { ...ctx, retryInMs: delay });
    await deliveries.updateDeliveryOutcome(this.o.db, d.id, { status: 'PENDING', statusCode, error, nextAttemptAt: new Date(this.o.clock.now().getTime() + delay) });
    return 'retry';
  }
}
