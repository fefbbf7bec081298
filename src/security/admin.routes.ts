import express, { type Request, type Router } from 'express';
import { optionalEnum, optionalString, parsePaging } from '../admin/http.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import type { ChargerSecurityService } from '../chargers/charger-security.service.ts';
import type { SecurityEventService } from './security-event.service.ts';
import type { CertificateService } from './certificate.service.ts';

/** Admin API (issue 13): security events chargers reported, certificates the operator CA issued, password rotation, raising a charger's security profile. */
export function securityAdminRoutes(deps: { securityEvents: SecurityEventService; chargerSecurity: ChargerSecurityService; certificates: CertificateService; publicUrl?: string }): Router {
  const r = express.Router();
  // A 2.0.1 station raised to a profile is given cpms's URL: publicUrl, else the admin request's own host.
  const baseUrl = (req: Request) => deps.publicUrl || `${req.protocol}://${req.get('host')}`;
  r.get('/security-events', async (req, res) => {
    const chargePointId = optionalString(req.query, 'chargePointId', 48);
    const critical = optionalEnum(req.query, 'critical', ['true', 'false'] as const);
    res.json({ data: await deps.securityEvents.list({ ...parsePaging(req), chargePointId, isCritical: critical === undefined ? undefined : critical === 'true' }) });
  });
  r.get('/certificates', async (req, res) => {
    const chargePointId = optionalString(req.query, 'chargePointId', 48);
    const raw = optionalString(req.query, 'expiringBefore', 40);
    const expiringBefore = raw === undefined ? undefined : parseTimestamp(raw, 'expiringBefore');
    res.json({ data: await deps.certificates.list({ ...parsePaging(req), chargePointId, expiringBefore }) });
  });
  r.post('/chargers/:id/rotate-password', async (req, res) => {
    res.json(await deps.chargerSecurity.rotatePassword(req.params.id));
  });
  r.post('/chargers/:id/security-profile', async (req, res) => {
    const body = req.body ?? {};
    res.json(await deps.chargerSecurity.raiseSecurityProfile(req.params.id, body.profile, { baseUrl: baseUrl(req), configurationSlot: body.configurationSlot }));
  });
  return r;
}
