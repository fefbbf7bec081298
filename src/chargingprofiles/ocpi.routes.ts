import express, { type Request, type Response } from 'express';
import { InvalidInput } from '../shared/errors.ts';
import { sendOcpi } from '../ocpi/envelope.ts';
import type { OcpiModule } from '../ocpi/router.ts';
import { assertOcpi, validateOcpi } from '../ocpi/validate.ts';
import { assertResponseUrl } from '../partners/response-url.ts';
import type { CommandCaller } from '../commands/command.service.ts';
import type { ChargingProfileService } from './chargingprofile.service.ts';
import type { SetChargingProfile } from './chargingprofile.types.ts';

const callerOf = (req: Request): CommandCaller => ({ partner: req.ocpi.partner, ownParty: req.ocpi.ownParty, fromParty: req.ocpi.fromParty });

/** The session_id URL segment: CiString(36) (chargingprofiles request parameters). */
function sessionIdOf(req: Request): string {
  const id = String(req.params.session_id);
  if (id.length > 36) throw new InvalidInput('session_id: must be at most 36 characters');
  return id;
}

/** The mandatory `response_url` query parameter (GET and DELETE carry their parameters in the URL). */
function responseUrlOf(req: Request, allowedHosts: readonly string[]): string {
  const url = req.query.response_url;
  if (typeof url !== 'string' || url === '') throw new InvalidInput('response_url: required');
  if (!validateOcpi('URL', url).ok) throw new InvalidInput('response_url: must be a URL of at most 255 characters');
  assertResponseUrl(req.ocpi.partner, url, allowedHosts);
  return url;
}

/** The mandatory `duration` query parameter of GET: a whole number of seconds. */
function durationOf(req: Request): number {
  const raw = req.query.duration;
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,7}$/.test(raw)) throw new InvalidInput('duration: required, a positive whole number of seconds');
  return Number(raw);
}

/**
 * OCPI 2.2.1 chargingprofiles module, Receiver interface (CPO): `GET|PUT|DELETE
 * {chargingprofiles_endpoint_url}/{session_id}`, each answered with a ChargingProfileResponse. The
 * response_url must be on one of the partner's registered hosts or on `responseUrlAllowedHosts`.
 */
export function chargingProfilesModule(deps: { chargingProfiles: ChargingProfileService; responseUrlAllowedHosts: readonly string[] }): OcpiModule {
  const svc = deps.chargingProfiles;
  const allowedHosts = deps.responseUrlAllowedHosts;
  const router = express.Router();
  router.get('/:session_id', async (req: Request, res: Response) => {
    const sessionId = sessionIdOf(req);
    const duration = durationOf(req);
    const responseUrl = responseUrlOf(req, allowedHosts);
    sendOcpi(res, await svc.getActive(callerOf(req), sessionId, duration, responseUrl));
  });
  router.put('/:session_id', async (req: Request, res: Response) => {
    const sessionId = sessionIdOf(req);
    assertOcpi<SetChargingProfile>('SetChargingProfile', req.body);
    assertResponseUrl(req.ocpi.partner, req.body.response_url, allowedHosts);
    sendOcpi(res, await svc.set(callerOf(req), sessionId, req.body));
  });
  router.delete('/:session_id', async (req: Request, res: Response) => {
    const sessionId = sessionIdOf(req);
    const responseUrl = responseUrlOf(req, allowedHosts);
    sendOcpi(res, await svc.clear(callerOf(req), sessionId, responseUrl));
  });
  return { id: 'chargingprofiles', role: 'RECEIVER', router };
}
