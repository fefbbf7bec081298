import { X509Certificate } from 'node:crypto';
import express, { type Router } from 'express';
import { optionalEnum, optionalString, parsePaging, parseSerialId, requireString } from '../admin/http.ts';
import { actorOf } from '../admin/authenticate.ts';
import { InvalidInput } from '../shared/errors.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import type { FirmwareCampaignService } from './firmware.service.ts';

function optionalCount(b: Record<string, unknown>, field: string): number | null {
  const v = b[field];
  if (v === undefined || v === null) return null;
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 86_400) throw new InvalidInput(`${field}: an integer from 0 to 86400`);
  return v as number;
}

function chargerIds(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 10_000 || !v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 48)) throw new InvalidInput('chargePointIds: a non-empty list of charger ids');
  return v as string[];
}

/**
 * OCPP 1.6 security whitepaper FirmwareType: signingCertificate (PEM, ≤ 5500) and signature (≤ 800) come
 * together or not at all; the certificate must be one X.509 certificate.
 */
function signing(b: Record<string, unknown>): { signingCertificate: string | null; signature: string | null } {
  const signingCertificate = optionalString(b, 'signingCertificate', 5500) ?? null;
  const signature = optionalString(b, 'signature', 800) ?? null;
  if ((signingCertificate === null) !== (signature === null)) throw new InvalidInput('signingCertificate and signature: give both (SignedUpdateFirmware) or neither (UpdateFirmware)');
  if (signingCertificate !== null) {
    try {
      new X509Certificate(signingCertificate);
    } catch {
      throw new InvalidInput('signingCertificate: must be a PEM X.509 certificate');
    }
  }
  return { signingCertificate, signature };
}

/** Admin API: firmware campaigns, their progress and their failures. */
export function firmwareAdminRoutes(deps: { firmware: FirmwareCampaignService }): Router {
  const r = express.Router();
  r.get('/firmware-campaigns', async (req, res) => {
    res.json({ data: await deps.firmware.list({ ...parsePaging(req), status: optionalEnum(req.query, 'status', ['SCHEDULED', 'RUNNING', 'FINISHED', 'CANCELLED'] as const) }) });
  });
  r.post('/firmware-campaigns', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const location = requireString(b, 'location', 512);
    // OCPP 1.6 §6.51 UpdateFirmware.req: location is a URI
    if (!URL.canParse(location)) throw new InvalidInput('location: must be a URI');
    const campaign = await deps.firmware.create({
      name: optionalString(b, 'name', 100) ?? `firmware ${location}`.slice(0, 100),
      location,
      windowStart: parseTimestamp(requireString(b, 'windowStart', 40), 'windowStart'),
      windowEnd: parseTimestamp(requireString(b, 'windowEnd', 40), 'windowEnd'),
      retries: optionalCount(b, 'retries'),
      retryInterval: optionalCount(b, 'retryInterval'),
      ...signing(b),
      chargePointIds: chargerIds(b.chargePointIds),
    }, actorOf(req));
    res.status(201).json(campaign);
  });
  r.get('/firmware-campaigns/:id', async (req, res) => {
    res.json(await deps.firmware.get(parseSerialId(req.params.id)));
  });
  r.get('/firmware-campaigns/:id/chargers', async (req, res) => {
    const failed = optionalEnum(req.query, 'failed', ['true', 'false'] as const) === 'true';
    res.json({ data: await deps.firmware.chargers(parseSerialId(req.params.id), { failed, status: optionalString(req.query, 'status', 20) }) });
  });
  r.post('/firmware-campaigns/:id/cancel', async (req, res) => {
    res.json(await deps.firmware.cancel(parseSerialId(req.params.id)));
  });
  return r;
}
