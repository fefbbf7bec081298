import type { Ocpp16Handlers } from '../ocpp/router.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import type { ChargerService } from '../chargers/charger.service.ts';
import { firmwareStatusFields } from '../chargers/firmware-status.service.ts';
import type { SecurityEventService } from './security-event.service.ts';
import type { CertificateService } from './certificate.service.ts';

/** OCPP 1.6 security whitepaper (edition 3) messages a charger sends. */
export const securityHandlers = (events: SecurityEventService, chargers: Pick<ChargerService, 'recordEvent'>, certificates: CertificateService): Ocpp16Handlers => ({
  SignCertificate: ({ chargePointId, params }) => certificates.onSignCertificate(chargePointId, params.csr),
  SecurityEventNotification: async ({ chargePointId, params }) => {
    await events.record(chargePointId, { type: params.type, techInfo: params.techInfo, occurredAt: parseTimestamp(params.timestamp, 'timestamp') });
    return {};
  },
  // Stored like FirmwareStatusNotification: the charger's event and its latest firmware status.
  SignedFirmwareStatusNotification: async ({ chargePointId, params }) => {
    await chargers.recordEvent(chargePointId, 'SignedFirmwareStatusNotification', params, firmwareStatusFields(params));
    await events.onFirmwareStatus(chargePointId, params.status, params.requestId);
    return {};
  },
  // GetLog's upload progress (security or diagnostics log), kept like DiagnosticsStatusNotification.
  LogStatusNotification: async ({ chargePointId, params }) => {
    await chargers.recordEvent(chargePointId, 'LogStatusNotification', params, { diagnostics_status: params.status });
    return {};
  },
});
