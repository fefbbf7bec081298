import type { CommandSender, Ocpp16Command } from '../ocpp/commands.ts';
import type { Ocpp16Actions } from '../ocpp/v16/types.ts';
import { Conflict } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

/** What became of a command: the charger's answer, or Offline (not connected) / Failed (timeout, CALLERROR). */
export interface CommandOutcome<A extends Ocpp16Command> {
  status: string;
  response?: Ocpp16Actions[A]['conf'];
  error?: string;
}

/** Sends a command through the command sender (any node) and never throws: the outcome says what happened. */
export async function sendToCharger<A extends Ocpp16Command>(o: { commands: CommandSender; logger: Logger; timeoutMs: number }, chargePointId: string, action: A, payload: Ocpp16Actions[A]['req']): Promise<CommandOutcome<A>> {
  try {
    const response = await o.commands.send(chargePointId, action, payload, o.timeoutMs);
    const status = (response as { status?: string }).status ?? 'Accepted';
    return { status, response };
  } catch (err) {
    const error = (err as Error).message;
    o.logger.warn(`${action} not accepted`, { chargePointId, err: error });
    return { status: err instanceof Conflict ? 'Offline' : 'Failed', error };
  }
}
