import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { AlertEvent } from '../alerts/alert.types.ts';
import type { Clock } from '../shared/clock.ts';
import { InvalidInput } from '../shared/errors.ts';
import { newSecret } from '../shared/ids.ts';
import * as deliveries from './delivery.repo.ts';
import * as repo from './webhook.repo.ts';
import type { DeliveryStatus, Webhook, WebhookDelivery, WebhookInput } from './webhook.types.ts';

const KIND = /^[A-Z][A-Z0-9_]{0,39}$/;

function checkUrl(url: unknown): string {
  if (typeof url !== 'string' || url.length > 2000) throw new InvalidInput('url: required, an http(s) URL of at most 2000 characters');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInput('url: not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InvalidInput('url: must be http or https');
  return url;
}

function checkKinds(kinds: unknown): string[] | null {
  if (kinds === null || kinds === undefined) return null;
  if (!Array.isArray(kinds) || kinds.length === 0 || kinds.length > 50 || !kinds.every((k) => typeof k === 'string' && KIND.test(k))) {
    throw new InvalidInput('kinds: null (every kind) or a non-empty array of alert kinds such as CONNECTOR_FAULT');
  }
  return [...new Set(kinds as string[])];
}

function checkSecret(secret: unknown): string {
  if (typeof secret !== 'string' || secret.length < 16 || secret.length > 200) throw new InvalidInput('secret: a string of 16 to 200 characters');
  return secret;
}

/**
 * Webhooks (issue 9): CRUD, and a delivery queued for each alert event to every enabled webhook whose
 * kinds take it, inside the transaction that changed the alert (so none is lost, none sent for a rollback).
 */
export class WebhookService {
  /** Emits 'queued' after a transaction that queued deliveries committed. */
  readonly signal = new EventEmitter();

  constructor(private readonly o: { db: Knex; clock: Clock }) {}

  /** Creates a webhook; the secret is generated when none is given and returned this once. */
  async create(input: WebhookInput): Promise<Webhook & { secret: string }> {
    const secret = input.secret === undefined ? newSecret(32) : checkSecret(input.secret);
    if (input.enabled !== undefined && typeof input.enabled !== 'boolean') throw new InvalidInput('enabled: must be a boolean');
    const row = { url: checkUrl(input.url), secret, kinds: checkKinds(input.kinds), enabled: input.enabled ?? true, description: input.description ?? null };
    return { ...(await repo.insertWebhook(this.o.db, row, this.o.clock.now())), secret };
  }

  async update(id: number, input: Partial<WebhookInput>): Promise<Webhook> {
    const patch: Partial<repo.WebhookRowInput> = {};
    if (input.url !== undefined) patch.url = checkUrl(input.url);
    if (input.secret !== undefined) patch.secret = checkSecret(input.secret);
    if (input.kinds !== undefined) patch.kinds = checkKinds(input.kinds);
    if (input.enabled !== undefined) {
      if (typeof input.enabled !== 'boolean') throw new InvalidInput('enabled: must be a boolean');
      patch.enabled = input.enabled;
    }
    if (input.description !== undefined) patch.description = input.description;
    return repo.updateWebhook(this.o.db, id, patch, this.o.clock.now());
  }

  remove(id: number): Promise<void> {
    return repo.deleteWebhook(this.o.db, id);
  }

  get(id: number): Promise<Webhook> {
    return repo.getWebhook(this.o.db, id);
  }

  list(): Promise<Webhook[]> {
    return repo.listWebhooks(this.o.db);
  }

  async listDeliveries(webhookId: number, f: { status?: DeliveryStatus; limit: number; offset: number }): Promise<WebhookDelivery[]> {
    await repo.getWebhook(this.o.db, webhookId);
    return deliveries.listDeliveries(this.o.db, { ...f, webhookId });
  }

  async retry(webhookId: number, deliveryId: number): Promise<WebhookDelivery> {
    const d = await deliveries.retryDelivery(this.o.db, webhookId, deliveryId, this.o.clock.now());
    this.signal.emit('queued');
    return d;
  }

  /** The alert hook: queues the event for every enabled webhook that takes its kind, inside `trx`. */
  async enqueueAlertEvent(trx: Knex.Transaction, e: AlertEvent): Promise<void> {
    const hooks = await repo.listWebhooksForKind(trx, e.alert.kind);
    if (hooks.length === 0) return;
    const at = this.o.clock.now();
    const body = { type: e.type, occurredAt: at.toISOString(), alert: e.alert };
    for (const hook of hooks) await deliveries.insertDelivery(trx, { webhookId: hook.id, event: e.type, alertId: e.alert.id, body }, at);
    trx.executionPromise.then(() => this.signal.emit('queued'), () => undefined); // rolled back: nothing to send
  }
}
