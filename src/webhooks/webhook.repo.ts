import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import type { Webhook } from './webhook.types.ts';

type Row = Record<string, any>;

const toWebhook = (r: Row): Webhook => ({
  id: r.id, url: r.url, kinds: r.kinds ?? null, enabled: r.enabled, description: r.description ?? null, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
});

export interface WebhookRowInput {
  url: string;
  secret: string;
  kinds: string[] | null;
  enabled: boolean;
  description: string | null;
}

export async function insertWebhook(db: Db, w: WebhookRowInput, at: Date): Promise<Webhook> {
  const [row] = await db('webhooks').insert({ ...w, kinds: w.kinds === null ? null : JSON.stringify(w.kinds), created_at: at, updated_at: at }).returning('*');
  return toWebhook(row);
}

export async function updateWebhook(db: Db, id: number, w: Partial<WebhookRowInput>, at: Date): Promise<Webhook> {
  const patch: Row = { ...w, updated_at: at };
  if (w.kinds !== undefined) patch.kinds = w.kinds === null ? null : JSON.stringify(w.kinds);
  const [row] = await db('webhooks').where({ id }).update(patch).returning('*');
  if (!row) throw new NotFound(`webhook ${id} not found`);
  return toWebhook(row);
}

export async function deleteWebhook(db: Db, id: number): Promise<void> {
  if ((await db('webhooks').where({ id }).delete()) === 0) throw new NotFound(`webhook ${id} not found`);
}

export async function getWebhook(db: Db, id: number): Promise<Webhook> {
  const row = await db('webhooks').where({ id }).first();
  if (!row) throw new NotFound(`webhook ${id} not found`);
  return toWebhook(row);
}

export async function listWebhooks(db: Db): Promise<Webhook[]> {
  return (await db('webhooks').orderBy('id')).map(toWebhook);
}

/** The enabled webhooks that take alerts of `kind` (kinds null = every kind). */
export async function listWebhooksForKind(db: Db, kind: string): Promise<Webhook[]> {
  const rows = await db('webhooks').where({ enabled: true }).andWhere((q) => q.whereNull('kinds').orWhereRaw('kinds @> ?::jsonb', [JSON.stringify([kind])]));
  return rows.map(toWebhook);
}

/** The secret and url of a webhook, for signing a delivery. */
export async function findWebhookTarget(db: Db, id: number): Promise<{ url: string; secret: string; enabled: boolean } | undefined> {
  return db('webhooks').where({ id }).first('url', 'secret', 'enabled');
}
