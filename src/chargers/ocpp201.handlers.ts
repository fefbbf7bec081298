import { OcppError, rpcCodeFor } from '../ocpp/errors.ts';
import type { Ocpp201Handlers } from '../ocpp/router.ts';
import { checkInteger, INT4, parseTimestamp } from '../shared/ranges.ts';
import type { ChargerService } from './charger.service.ts';
import type { ConnectorLimits } from './connector-limits.service.ts';
import type { DeviceModelService } from './device-model.service.ts';
import type { ConnectorService } from './connector.service.ts';
import { connectorSpecsOfReport } from './ocpp201-connector-type.mapper.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { EventFaultService } from './event-faults.service.ts';
import { eventFaults } from './ocpp201-events.mapper.ts';
import type { LastSeenService } from './last-seen.service.ts';
import { bootFields, connectorStatus16 } from './ocpp201.mapper.ts';
import { connectorNumberOf, MAX_EVSE_ID } from './evse-address.ts';
import { firmwareStatusFields } from './firmware-status.service.ts';

/** OCPP 2.0.1 provisioning messages (functional block B and G), onto the same ChargerService as 1.6. */
export const chargerHandlers201 = (svc: ChargerService, connectors: ConnectorLimits, lastSeen: Pick<LastSeenService, 'heartbeat' | 'forget'>, models: { deviceModel: DeviceModelService; faults: EventFaultService; connectors: Pick<ConnectorService, 'reportSpecs'> }): Ocpp201Handlers => ({
  BootNotification: async ({ chargePointId, params }) => {
    const answer = await svc.boot(chargePointId, bootFields(params));
    // The boot reason (B01: PowerUp, Watchdog, FirmwareUpdate...) is kept in the charger's event log.
    await svc.recordEvent(chargePointId, 'BootNotification', params);
    lastSeen.forget(chargePointId);
    return answer;
  },
  Heartbeat: async ({ chargePointId }) => ({ currentTime: (await lastSeen.heartbeat(chargePointId)).toISOString() }),
  StatusNotification: async ({ chargePointId, params }) => {
    const connectorNumber = connectorNumberOf(params.evseId, params.connectorId);
    if (connectorNumber === undefined) throw new OcppError(rpcCodeFor('ocpp2.0.1', 'PropertyConstraintViolation'), `evseId, connectorId: must be from 1 to ${MAX_EVSE_ID} (evseId 0: the station)`);
    await connectors.check(chargePointId, connectorNumber, { allowWholeCharger: true });
    await svc.reportStatus(chargePointId, {
      connectorNumber,
      status: connectorStatus16(params.connectorStatus),
      // OCPP 2.0.1 G01: faults come through NotifyEvent, a StatusNotification has no error code.
      errorCode: 'NoError',
      timestamp: parseTimestamp(params.timestamp, 'timestamp'),
    });
    return {};
  },
  NotifyEvent: async ({ chargePointId, params }) => {
    // Checked before anything is stored: a leap second is read as :59.999, a time before 1900 refused (as 1.6),
    // and so is an EVSE id no connector can have.
    params.eventData.forEach((e, i) => parseTimestamp(e.timestamp, `eventData[${i}].timestamp`));
    // OCPP 2.0.1 N07/G05: problems and monitor alerts become the same faults (and alerts) as 1.6 error codes.
    const faults = eventFaults(params.eventData);
    for (const f of faults) checkInteger(f.connectorNumber, 'eventData.component.evse.id', { min: 0, max: INT4.max });
    await svc.recordEvent(chargePointId, 'NotifyEvent', params);
    await models.faults.record(chargePointId, faults);
    return {};
  },
  NotifyReport: async ({ chargePointId, params }) => {
    await models.deviceModel.record(chargePointId, params.reportData);
    // The connector types it reports become the connectors' OCPI standard and format, unless the operator set them.
    const specs = connectorSpecsOfReport(params.reportData ?? []);
    for (const n of specs.keys()) if (!(await isConnectorAllowed(connectors, chargePointId, n))) specs.delete(n);
    await models.connectors.reportSpecs(chargePointId, specs);
    return {};
  },
  // OCPP 2.0.1 O04: the station's display messages, after GetDisplayMessages.
  NotifyDisplayMessages: async ({ chargePointId, params }) => {
    await svc.recordEvent(chargePointId, 'NotifyDisplayMessages', params);
    return {};
  },
  // OCPP 2.0.1 N02: the station's monitors, after GetMonitoringReport.
  NotifyMonitoringReport: async ({ chargePointId, params }) => {
    await svc.recordEvent(chargePointId, 'NotifyMonitoringReport', params);
    return {};
  },
  FirmwareStatusNotification: async ({ chargePointId, params }) => {
    await svc.recordEvent(chargePointId, 'FirmwareStatusNotification', params, firmwareStatusFields(params));
    return {};
  },
  // OCPP 2.0.1 L03/L04: a local controller publishing firmware (after PublishFirmware) reports its progress and URIs.
  PublishFirmwareStatusNotification: async ({ chargePointId, params }) => {
    await svc.recordEvent(chargePointId, 'PublishFirmwareStatusNotification', params);
    return {};
  },
  DataTransfer: async ({ chargePointId, params }) => {
    await svc.recordEvent(chargePointId, 'DataTransfer', params);
    // OCPP 2.0.1 P01: we implement no vendor extension, so every vendorId is unknown to us.
    return { status: 'UnknownVendorId' };
  },
});

/** False for a connector the charger may not name (see ConnectorLimits): a report about it is not stored. */
async function isConnectorAllowed(limits: ConnectorLimits, chargePointId: string, connectorNumber: number): Promise<boolean> {
  try {
    await limits.check(chargePointId, connectorNumber, { allowWholeCharger: false });
    return true;
  } catch (err) {
    if (err instanceof InvalidInput) return false;
    throw err;
  }
}
