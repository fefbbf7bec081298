import express, { type Request, type Router } from 'express';
import type { Knex } from 'knex';
import { InvalidInput, UpstreamFailed } from '../shared/errors.ts';
import { OcpiError } from '../ocpi/errors.ts';
import { optionalEnum, optionalString, parsePaging, requireString } from '../admin/http.ts';
import type { CredentialsService } from './credentials.service.ts';
import { listPushes, OUTBOX_STATUSES } from './outbox.repo.ts';
import { retryPush } from './outbox.service.ts';
import { toPartnerView, type PartnerService } from './partner.service.ts';

function idParam(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isInteger(id) || id < 1) throw new InvalidInput('id: must be a positive integer');
  return id;
}

/** Outbox ids are bigints: any safe positive integer. */
function rowIdParam(req: Request): number {
  const id = Number(req.params.rowId);
  if (!/^\d+$/.test(String(req.params.rowId)) || !Number.isSafeInteger(id) || id < 1) throw new InvalidInput('rowId: must be a positive integer');
  return id;
}

/** A handshake that fails on the partner's side (3001/3002/3003) is an upstream failure for the admin API (502). */
async function asUpstream<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof OcpiError) throw new UpstreamFailed(err.message, { cause: err });
    throw err;
  }
}

/**
 * Admin API: OCPI partners. Invite (token A, shown once), register with a partner's versions URL and
 * token A, list, update our credentials at it, unregister; and the outbox of pushes to a partner. No token is ever returned except
 * the fresh token A of an invitation.
 */
export function partnerAdminRoutes(deps: { db: Knex; partners: PartnerService; credentials: CredentialsService; publicUrl: string }): Router {
  const r = express.Router();
  const baseUrl = (req: Request) => deps.publicUrl || `${req.protocol}://${req.get('host')}`;

  r.post('/partners/invitations', async (req, res) => {
    const { partner, tokenA, versionsUrl } = await deps.partners.invite({
      countryCode: requireString(req.body, 'countryCode', 2),
      partyId: requireString(req.body, 'partyId', 3),
      role: optionalString(req.body, 'role', 10) ?? 'EMSP',
      name: optionalString(req.body, 'name', 100),
    }, baseUrl(req));
    res.status(201).json({ partner: toPartnerView(partner), token: tokenA, versionsUrl });
  });
  r.post('/partners', async (req, res) => {
    const opts = { versionsUrl: requireString(req.body, 'versionsUrl', 255), tokenA: requireString(req.body, 'token', 64), role: optionalString(req.body, 'role', 10) };
    const partner = await asUpstream(() => deps.credentials.register(opts, baseUrl(req)));
    res.status(201).json(toPartnerView(partner));
  });
  r.get('/partners', async (req, res) => {
    const partners = await deps.partners.list({ includeUnregistered: req.query.includeUnregistered === 'true' });
    res.json({ data: partners.map(toPartnerView) });
  });
  r.get('/partners/:id', async (req, res) => {
    res.json(toPartnerView(await deps.partners.get(idParam(req))));
  });
  r.delete('/partners/:id', async (req, res) => {
    const { partner, remote } = await deps.credentials.unregister(idParam(req));
    res.json({ partner: toPartnerView(partner), remote });
  });
  // credentials §7.1.4: a new token for the partner and its endpoints fetched again; 409 when not registered
  r.post('/partners/:id/credentials/update', async (req, res) => {
    const partner = await asUpstream(() => deps.credentials.updateCredentials(idParam(req), baseUrl(req)));
    res.json(toPartnerView(partner));
  });
  r.get('/partners/:id/outbox', async (req, res) => {
    const status = optionalEnum(req.query, 'status', OUTBOX_STATUSES);
    const rows = await listPushes(deps.db, { partnerFk: idParam(req), status, limit: parsePaging(req).limit });
    res.json({ data: rows });
  });
  r.post('/partners/:id/outbox/:rowId/retry', async (req, res) => {
    res.json(await retryPush(deps.db, idParam(req), rowIdParam(req)));
  });
  return r;
}
