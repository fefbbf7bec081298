import express, { type Router } from 'express';
import { optionalEnum, parsePaging, parseSerialId } from '../admin/http.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { WebhookService } from './webhook.service.ts';
import type { DeliveryStatus, WebhookInput } from './webhook.types.ts';

const STATUSES: DeliveryStatus[] = ['PENDING', 'SENDING', 'DELIVERED', 'FAILED'];

function bodyOf(req: express.Request): Partial<WebhookInput> {
  const b = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new InvalidInput('body: a JSON object is required');
  if (b.description !== undefined && b.description !== null && (typeof b.description !== 'string' || b.description.length > 255)) throw new InvalidInput('description: a string of at most 255 characters');
  return b;
}

/** Admin API: webhooks (CRUD; the secret is shown once, at creation) and their delivery log. */
export function webhookAdminRoutes(deps: { webhooks: WebhookService }): Router {
  const r = express.Router();
  r.get('/webhooks', async (_req, res) => {
    res.json({ data: await deps.webhooks.list() });
  });
  r.post('/webhooks', async (req, res) => {
    const body = bodyOf(req);
    res.status(201).json(await deps.webhooks.create({ ...body, url: body.url as string }));
  });
  r.get('/webhooks/:id', async (req, res) => {
    res.json(await deps.webhooks.get(parseSerialId(req.params.id)));
  });
  r.patch('/webhooks/:id', async (req, res) => {
    res.json(await deps.webhooks.update(parseSerialId(req.params.id), bodyOf(req)));
  });
  r.delete('/webhooks/:id', async (req, res) => {
    await deps.webhooks.remove(parseSerialId(req.params.id));
    res.status(204).end();
  });
  r.get('/webhooks/:id/deliveries', async (req, res) => {
    const status = optionalEnum(req.query, 'status', STATUSES);
    res.json({ data: await deps.webhooks.listDeliveries(parseSerialId(req.params.id), { ...parsePaging(req), status }) });
  });
  r.post('/webhooks/:id/deliveries/:deliveryId/retry', async (req, res) => {
    res.json(await deps.webhooks.retry(parseSerialId(req.params.id), parseSerialId(req.params.deliveryId, 'deliveryId')));
  });
  return r;
}
