// Pure: which security events a charger reports are critical, and the alert each one raises.
import type { AlertSeverity, NewAlert } from '../alerts/alert.types.ts';

/**
 * OCPP 1.6 security whitepaper (edition 3) Appendix 1 "Security Events": the events marked critical
 * (the charger pushes them at once). Any other type, a vendor's own included, is not critical.
 */
export const CRITICAL_SECURITY_EVENTS: ReadonlySet<string> = new Set([
  'FirmwareUpdated',
  'SettingSystemTime',
  'StartupOfTheDevice',
  'ResetOrReboot',
  'SecurityLogWasCleared',
  'MemoryExhaustion',
  'TamperDetectionActivated',
]);

/** Whether an event type is critical per the whitepaper's list. */
export const isCriticalSecurityEvent = (type: string): boolean => CRITICAL_SECURITY_EVENTS.has(type);

export interface SecurityEvent {
  id: number;
  chargePointId: string;
  type: string;
  techInfo: string | null;
  isCritical: boolean;
  occurredAt: Date;
  receivedAt: Date;
}

/**
 * The SECURITY_EVENT alert of a stored event: critical for a critical event, warning otherwise. One alert
 * per event (its own subject), so a repeat of the same type is seen as well.
 */
export function securityEventAlert(e: Pick<SecurityEvent, 'id' | 'chargePointId' | 'type' | 'techInfo' | 'isCritical'>): NewAlert & { subject: string } {
  const severity: AlertSeverity = e.isCritical ? 'critical' : 'warning';
  return {
    kind: 'SECURITY_EVENT',
    severity,
    subject: `security-event:${e.id}`,
    chargePointId: e.chargePointId,
    message: `security event ${e.type}${e.techInfo ? ` (${e.techInfo})` : ''}`,
  };
}

/**
 * Firmware outcomes that say the file or its signing certificate is not to be trusted (OCPP 1.6 security
 * whitepaper §"Secure firmware update": SignedUpdateFirmware.conf InvalidCertificate/RevokedCertificate,
 * SignedFirmwareStatusNotification InvalidSignature/InstallVerificationFailed; 2.0.1 L01 alike).
 */
export const UNTRUSTED_FIRMWARE_STATUSES: ReadonlySet<string> = new Set(['InvalidCertificate', 'RevokedCertificate', 'InvalidSignature', 'InstallVerificationFailed']);

/** The critical FIRMWARE_SIGNATURE alert of an untrusted firmware outcome, one per charger and request; undefined for any other status. */
export function firmwareSignatureAlert(chargePointId: string, status: string, requestId: number | undefined): (NewAlert & { subject: string }) | undefined {
  if (!UNTRUSTED_FIRMWARE_STATUSES.has(status)) return undefined;
  return {
    kind: 'FIRMWARE_SIGNATURE',
    severity: 'critical',
    subject: `firmware:${chargePointId}:${requestId ?? '-'}`,
    chargePointId,
    message: `signed firmware ${status}${requestId !== undefined ? ` (request ${requestId})` : ''}`,
  };
}
