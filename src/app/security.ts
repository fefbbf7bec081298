import type { AppDeps } from './app.types.ts';
import type { ServiceCore } from './services.ts';
import type { ChargerService } from '../chargers/charger.service.ts';
import { runDetached } from '../shared/background.ts';
import { LogRequestService } from '../security/log-request.service.ts';
import type { SecurityEventService } from '../security/security-event.service.ts';

/** OCPP security (issue 13) built after the charging core: GetLog requests and their uploads, firmware signature alerts. */
export function buildSecurityLogs(deps: AppDeps, core: ServiceCore, s: { chargers: ChargerService; securityEvents: SecurityEventService }) {
  const { db, clock, logger, config } = deps;
  const log = logger.child({ module: 'security' });
  const logRequests = new LogRequestService({ db, clock, logger: log, commands: core.commands, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 });
  // OCPP 1.6 security / 2.0.1 N01 LogStatusNotification: progress of the request its requestId names, in the event's transaction.
  s.chargers.onEvent('LogStatusNotification', (trx, id, payload) => logRequests.onLogStatus(trx, id, payload));
  // OCPP 2.0.1 L01: a station reports InvalidSignature & co. in FirmwareStatusNotification. The alert has its
  // own transaction: raised once the event's has let go of its connection (PGlite has one).
  s.chargers.onEvent('FirmwareStatusNotification', async (_trx, id, payload) => {
    const { status, requestId } = payload as { status: string; requestId?: number };
    runDetached(log, `firmware signature alert of ${id}`, () => s.securityEvents.onFirmwareStatus(id, status, requestId));
  });
  return { logRequests };
}
