import express, { type Request, type Response } from 'express';
import type { CredentialsService } from '../../partners/credentials.service.ts';
import { tokenCandidates } from '../auth.ts';
import { sendOcpi } from '../envelope.ts';
import { ClientError } from '../errors.ts';
import type { OcpiModule } from '../router.ts';

/**
 * OCPI 2.2.1 credentials module (§7), as the server side of the handshake. Open to invited partners
 * (token A); the service answers 405 where the registration state does not allow the method.
 */
export function credentialsOcpiModule(deps: { credentials: CredentialsService }): OcpiModule {
  const { credentials } = deps;
  const router = express.Router();
  router.get('/', async (req: Request, res: Response) => {
    sendOcpi(res, await credentials.credentialsFor(req.ocpi.partner, tokenCandidates(req.get('Authorization')), req.ocpi.baseUrl));
  });
  router.post('/', async (req: Request, res: Response) => {
    sendOcpi(res, await credentials.acceptRegistration(req.ocpi.partner, req.body, req.ocpi.baseUrl));
  });
  router.put('/', async (req: Request, res: Response) => {
    sendOcpi(res, await credentials.acceptUpdate(req.ocpi.partner, req.ocpi.isInvited, req.body, req.ocpi.baseUrl));
  });
  router.delete('/', async (req: Request, res: Response) => {
    await credentials.acceptUnregistration(req.ocpi.partner, req.ocpi.isInvited);
    sendOcpi(res, undefined);
  });
  router.all('/', () => {
    throw new ClientError('method not allowed on credentials', 405); // credentials §7.2: PATCH is n/a
  });
  // versions §6.2.1 note: the role is not relevant for credentials; SENDER is the advised value.
  return { id: 'credentials', role: 'SENDER', router };
}
