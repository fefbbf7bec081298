import express, { type Request, type Response } from 'express';
import { sendOcpi } from '../ocpi/envelope.ts';
import type { OcpiModule } from '../ocpi/router.ts';
import { assertOcpi, type OcpiSchemaName } from '../ocpi/validate.ts';
import { assertResponseUrl } from '../partners/response-url.ts';
import type { CommandAnswer, CommandCaller, CommandService } from './command.service.ts';
import { COMMAND_TYPES, type CommandType } from './command.types.ts';

// commands §13.2.1.1: the request body is the object of the command named in the URL.
const BODY_OF: Record<CommandType, OcpiSchemaName> = {
  START_SESSION: 'StartSession',
  STOP_SESSION: 'StopSession',
  RESERVE_NOW: 'ReserveNow',
  CANCEL_RESERVATION: 'CancelReservation',
  UNLOCK_CONNECTOR: 'UnlockConnector',
};

const HANDLE: Record<CommandType, (svc: CommandService, caller: CommandCaller, body: never) => Promise<CommandAnswer>> = {
  START_SESSION: (svc, caller, body) => svc.startSession(caller, body),
  STOP_SESSION: (svc, caller, body) => svc.stopSession(caller, body),
  RESERVE_NOW: (svc, caller, body) => svc.reserveNow(caller, body),
  CANCEL_RESERVATION: (svc, caller, body) => svc.cancelReservation(caller, body),
  UNLOCK_CONNECTOR: (svc, caller, body) => svc.unlockConnector(caller, body),
};

const isCommandType = (value: string): value is CommandType => (COMMAND_TYPES as readonly string[]).includes(value);

/**
 * OCPI 2.2.1 commands module, Receiver interface (CPO): `POST {commands_endpoint_url}/{command}`. The
 * result goes to the body's response_url, which must be on one of the partner's registered hosts or on
 * `responseUrlAllowedHosts` (config ocpi.responseUrlAllowedHosts).
 */
export function commandsModule(deps: { commands: CommandService; responseUrlAllowedHosts: readonly string[] }): OcpiModule {
  const router = express.Router();
  router.post('/:command', async (req: Request, res: Response) => {
    const command = String(req.params.command);
    if (!isCommandType(command)) {
      sendOcpi(res, deps.commands.answer('NOT_SUPPORTED', `command ${command} is not supported`).response);
      return;
    }
    // InvalidInput → 2001 naming the failing field; every command object has a response_url
    assertOcpi<{ response_url: string }>(BODY_OF[command], req.body);
    assertResponseUrl(req.ocpi.partner, req.body.response_url, deps.responseUrlAllowedHosts);
    const caller: CommandCaller = { partner: req.ocpi.partner, ownParty: req.ocpi.ownParty, fromParty: req.ocpi.fromParty };
    const answer = await HANDLE[command](deps.commands, caller, req.body as never);
    // commands §13.1 (UNLOCK_CONNECTOR Unknown Location): status_code 2003 with a REJECTED CommandResponse.
    sendOcpi(res, answer.response, answer.ocpiStatus === 2003 ? { statusCode: 2003, httpStatus: 404, message: 'unknown location' } : {});
  });
  return { id: 'commands', role: 'RECEIVER', router };
}
