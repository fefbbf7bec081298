/**
 * OCPP 2.0.1 Part 2 (message list): the requests a Charging Station sends to the CSMS (DataTransfer goes both
 * ways). The CSMS recognizes these: one it does not handle yet is answered NotSupported ("recognized but not
 * supported", OCPP-J 2.0.1 §4.3), any other action NotImplemented ("not known by receiver").
 */
export const STATION_TO_CSMS_ACTIONS: ReadonlySet<string> = new Set([
  'Authorize', 'BootNotification', 'ClearedChargingLimit', 'DataTransfer', 'FirmwareStatusNotification', 'Get15118EVCertificate',
  'GetCertificateStatus', 'Heartbeat', 'LogStatusNotification', 'MeterValues', 'NotifyChargingLimit', 'NotifyCustomerInformation',
  'NotifyDisplayMessages', 'NotifyEVChargingNeeds', 'NotifyEVChargingSchedule', 'NotifyEvent', 'NotifyMonitoringReport', 'NotifyReport',
  'PublishFirmwareStatusNotification', 'ReportChargingProfiles', 'ReservationStatusUpdate', 'SecurityEventNotification', 'SignCertificate',
  'StatusNotification', 'TransactionEvent',
]);
