import type { AppDeps } from './app.types.ts';
import type { ServiceCore } from './services.ts';
import type { ChargerService } from '../chargers/charger.service.ts';
import { LogRequestService } from '../security/log-request.service.ts';

/** OCPP security (issue 13) services built after the charging core: GetLog requests and their uploads. */
export function buildSecurityLogs(deps: AppDeps, core: ServiceCore, chargers: ChargerService) {
  const { db, clock, logger, config } = deps;
  const logRequests = new LogRequestService({ db, clock, logger: logger.child({ module: 'security' }), commands: core.commands, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 });
  // OCPP 1.6 security LogStatusNotification: progress of the request its requestId names, in the event's transaction.
  chargers.onEvent('LogStatusNotification', (trx, id, payload) => logRequests.onLogStatus(trx, id, payload));
  return { logRequests };
}
