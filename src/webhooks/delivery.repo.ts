import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import type { DeliveryStatus, WebhookDelivery } from './webhook.types.ts';

type Row = Record<string, any>;

const toDelivery = (r: Row): WebhookDelivery => ({
  id: Number(r.id), webhookId: r.webhook_fk, event: r.event, alertId: r.alert_fk === null ? null : Number(r.alert_fk), body: r.body, status: r.status, attempts: r.attempts,
  nextAttemptAt: new Date(r.next_attempt_at), lastStatusCode: r.last_status_code ?? null, lastError: r.last_error ?? null, createdAt: new Date(r.created_at),
  deliveredAt: r.delivered_at ? new Date(r.delivered_at) : null,
});

export async function insertDelivery(db: Db, d: { webhookId: number; event: string; alertId: number | null; body: unknown }, at: Date): Promise<number> {
  const [row] = await db('webhook_deliveries')
    .insert({ webhook_fk: d.webhookId, event: d.event, alert_fk: d.alertId, body: JSON.stringify(d.body), status: 'PENDING', attempts: 0, next_attempt_at: at, created_at: at })
    .returning('id');
  return Number(row.id);
}

/**
 * Claims up to `limit` due deliveries (PENDING due, or SENDING whose lease ran out: its node is gone),
 * counting an attempt and leasing them until `leaseUntil`; other nodes skip the locked rows.
 */
export async function claimDueDeliveries(db: Db, o: { now: Date; leaseUntil: Date; limit: number }): Promise<WebhookDelivery[]> {
  const rows = await db('webhook_deliveries')
    .whereIn('id', (q) => q.select('id').from('webhook_deliveries').whereIn('status', ['PENDING', 'SENDING']).where('next_attempt_at', '<=', o.now).orderBy([{ column: 'next_attempt_at' }, { column: 'id' }]).limit(o.limit).forUpdate().skipLocked())
    .update({ status: 'SENDING', attempts: db.raw('attempts + 1'), next_attempt_at: o.leaseUntil })
    .returning('*');
  return rows.map(toDelivery).sort((a, b) => a.id - b.id);
}

/** Records the outcome of an attempt of a claimed delivery. */
export async function updateDeliveryOutcome(db: Db, id: number, o: { status: DeliveryStatus; statusCode: number | null; error: string | null; nextAttemptAt?: Date; deliveredAt?: Date }): Promise<void> {
  await db('webhook_deliveries').where({ id, status: 'SENDING' }).update({
    status: o.status, last_status_code: o.statusCode, last_error: o.error?.slice(0, 2000) ?? null, delivered_at: o.deliveredAt ?? null, ...(o.nextAttemptAt ? { next_attempt_at: o.nextAttemptAt } : {}),
  });
}

/** Queues a FAILED delivery again, due now, its attempts counted from zero. */
export async function retryDelivery(db: Db, webhookId: number, id: number, at: Date): Promise<WebhookDelivery> {
  const [row] = await db('webhook_deliveries').where({ id, webhook_fk: webhookId, status: 'FAILED' }).update({ status: 'PENDING', attempts: 0, next_attempt_at: at }).returning('*');
  if (!row) throw new NotFound(`no FAILED delivery ${id} of webhook ${webhookId}`);
  return toDelivery(row);
}

/** A webhook's deliveries, newest first. */
export async function listDeliveries(db: Db, f: { webhookId: number; status?: DeliveryStatus; limit: number; offset: number }): Promise<WebhookDelivery[]> {
  const q = db('webhook_deliveries').where({ webhook_fk: f.webhookId }).orderBy('id', 'desc').limit(f.limit).offset(f.offset);
  if (f.status) q.where({ status: f.status });
  return (await q).map(toDelivery);
}
