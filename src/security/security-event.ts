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
