import type { Ocpp201Handlers } from '../ocpp/router.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import type { ChargerService } from '../chargers/charger.service.ts';
import type { SecurityEventService } from './security-event.service.ts';
import type { CertificateService } from './certificate.service.ts';

/** OCPP 2.0.1 security messages a station sends (issue 13), onto the same services as the 1.6 ones. */
export const securityHandlers201 = (events: SecurityEventService, chargers: Pick<ChargerService, 'recordEvent'>, certificates: CertificateService): Ocpp201Handlers => ({
  // A04: stored and alerted like the 1.6 whitepaper's (the critical list is the same).
  SecurityEventNotification: async ({ chargePointId, params }) => {
    await events.record(chargePointId, { type: params.type, techInfo: params.techInfo, occurredAt: parseTimestamp(params.timestamp, 'timestamp') });
    return {};
  },
  // A02/A03: the station's own certificate; cpms has no V2G (ISO 15118) PKI to sign with.
  SignCertificate: async ({ chargePointId, params }) => {
    if (params.certificateType === 'V2GCertificate') return { status: 'Rejected', statusInfo: { reasonCode: 'NotSupported', additionalInfo: 'no V2G certificate authority' } };
    return certificates.onSignCertificate(chargePointId, params.csr);
  },
  // N01: the upload's progress, recorded like the 1.6 one (the log request's hook reads requestId).
  LogStatusNotification: async ({ chargePointId, params }) => {
    await chargers.recordEvent(chargePointId, 'LogStatusNotification', params, { diagnostics_status: params.status });
    return {};
  },
});
