import type { Ocpp201Handlers } from '../ocpp/router.ts';
import type { CertificateStatusService } from './certificate-status.service.ts';
import type { ContractCertificateService } from './contract-certificate.service.ts';

/** OCPP 2.0.1 ISO 15118 certificate messages a station sends for its EVs (issue 12, block M). */
export const iso15118Handlers201 = (status: CertificateStatusService, contracts: ContractCertificateService): Ocpp201Handlers => ({
  // M06: OCSP status of a V2G certificate, asked by cpms for the station.
  GetCertificateStatus: ({ chargePointId, params }) => status.status(chargePointId, params.ocspRequestData),
  // M01/M02: the EV's contract certificate, from the contract certificate pool.
  Get15118EVCertificate: ({ chargePointId, params }) => contracts.forward(chargePointId, params),
});
