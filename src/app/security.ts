import type { AppDeps } from './app.types.ts';
import type { ServiceCore } from './services.ts';
import type { ChargerService } from '../chargers/charger.service.ts';
import { runDetached } from '../shared/background.ts';
import { LogRequestService } from '../security/log-request.service.ts';
import type { SecurityEventService } from '../security/security-event.service.ts';
import { CertificateStatusService } from '../iso15118/certificate-status.service.ts';
import { ContractCertificateService } from '../iso15118/contract-certificate.service.ts';
import { CustomerInformationService } from '../customer-information/customer-information.service.ts';

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

const ISO15118_DEFAULTS = { timeoutMs: 10_000, ocspCacheSec: 14_400, ocspAllowedHosts: [], contractCertificateUrl: '', contractCertificateAuthorization: '' };

/** OCPP 2.0.1 blocks M (ISO 15118 certificates, asked of outside PKIs for the stations) and N09/N10 (customer information). */
export function buildIso15118(deps: AppDeps, core: ServiceCore) {
  const { db, clock, logger, config } = deps;
  const log = logger.child({ module: 'iso15118' });
  const c = config.iso15118 ?? ISO15118_DEFAULTS;
  return {
    certificateStatus: new CertificateStatusService({ clock, logger: log, timeoutMs: c.timeoutMs, cacheSec: c.ocspCacheSec, allowedHosts: c.ocspAllowedHosts.map((h) => h.toLowerCase()) }),
    contractCertificates: new ContractCertificateService({ logger: log, url: c.contractCertificateUrl, authorization: c.contractCertificateAuthorization, timeoutMs: c.timeoutMs }),
    customerInformation: new CustomerInformationService({ db, clock, logger: logger.child({ module: 'customer-information' }), commands: core.commands, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 }),
  };
}
