import type { Ocpp16Handlers } from '../ocpp/router.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import type { ChargerService } from './charger.service.ts';
import type { ConnectorLimits } from './connector-limits.service.ts';
import type { LastSeenService } from './last-seen.service.ts';

/** OCPP 1.6 charger lifecycle messages. */
export const chargerHandlers = (svc: ChargerService, connectors: ConnectorLimits, lastSeen: Pick<LastSeenService, 'heartbeat' | 'forget'>): Ocpp16Handlers => ({
  BootNotification: async ({ chargePointId, params }) => {
    const answer = await svc.boot(chargePointId, params);
    // The registration status may have changed (OCPP 1.6 §4.2.1): the next message reads it again.
    lastSeen.forget(chargePointId);
    return answer;
  },
  Heartbeat: async ({ chargePointId }) => ({ currentTime: (await lastSeen.heartbeat(chargePointId)).toISOString() }),
  StatusNotification: async ({ chargePointId, params }) => {
    // OCPP 1.6 §4.9: connectorId 0 = the charge point itself, then 1..the charger's connectors.
    await connectors.check(chargePointId, params.connectorId, { allowWholeCharger: true });
    await svc.reportStatus(chargePointId, {
      connectorNumber: params.connectorId,
      status: params.status,
      errorCode: params.errorCode,
      info: params.info,
      vendorId: params.vendorId,
      vendorErrorCode: params.vendorErrorCode,
      // OCPP 1.6 §7.39: timestamp is optional; the service dates a report without one by its clock.
      timestamp: params.timestamp ? parseTimestamp(params.timestamp, 'timestamp') : undefined,
    });
    return {};
  },
  DataTransfer: async ({ chargePointId, params }) => {
    await svc.recordEvent(chargePointId, 'DataTransfer', params);
    // OCPP 1.6 §4.3: we implement no vendor extension, so every vendorId is unknown to us.
    return { status: 'UnknownVendorId' };
  },
  DiagnosticsStatusNotification: async ({ chargePointId, params }) => {
    await svc.recordEvent(chargePointId, 'DiagnosticsStatusNotification', params, { diagnostics_status: params.status });
    return {};
  },
  FirmwareStatusNotification: async ({ chargePointId, params }) => {
    await svc.recordEvent(chargePointId, 'FirmwareStatusNotification', params, { firmware_status: params.status });
    return {};
  },
});
