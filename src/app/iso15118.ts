import type { AppDeps } from './app.types.ts';
import type { ServiceCore } from './services.ts';
import { CertificateStatusService } from '../iso15118/certificate-status.service.ts';
import { ContractCertificateService } from '../iso15118/contract-certificate.service.ts';
import { CustomerInformationService } from '../customer-information/customer-information.service.ts';

const ISO15118_DEFAULTS = { timeoutMs: 10_000, ocspCacheSec: 14_400, ocspAllowedHosts: [], contractCertificateUrl: '', contractCertificateAuthorization: '' };

/** OCPP 2.0.1 block M (issue 12): ISO 15118 certificates, asked of outside PKIs for the stations. */
export function buildIso15118(deps: AppDeps) {
  const c = deps.config.iso15118 ?? ISO15118_DEFAULTS;
  const log = deps.logger.child({ module: 'iso15118' });
  return {
    certificateStatus: new CertificateStatusService({ clock: deps.clock, logger: log, timeoutMs: c.timeoutMs, cacheSec: c.ocspCacheSec, allowedHosts: c.ocspAllowedHosts.map((h) => h.toLowerCase()) }),
    contractCertificates: new ContractCertificateService({ logger: log, url: c.contractCertificateUrl, authorization: c.contractCertificateAuthorization, timeoutMs: c.timeoutMs }),
  };
}

/** OCPP 2.0.1 N09/N10 (issue 12): customer information requests and the stations' reports. */
export function buildCustomerInformation(deps: AppDeps, core: ServiceCore) {
  const { db, clock, logger, config } = deps;
  return { customerInformation: new CustomerInformationService({ db, clock, logger: logger.child({ module: 'customer-information' }), commands: core.commands, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 }) };
}
