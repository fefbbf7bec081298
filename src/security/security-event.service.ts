import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { AlertService } from '../alerts/alert.service.ts';
import * as repo from './security-event.repo.ts';
import { firmwareSignatureAlert, isCriticalSecurityEvent, securityEventAlert, type SecurityEvent } from './security-event.ts';

export interface SecurityEventOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  alerts: Pick<AlertService, 'raise'>;
  /** Raise an alert for non-critical events too (critical ones always raise one). */
  alertNonCritical: boolean;
}

/** Security events chargers report (OCPP 1.6 security whitepaper SecurityEventNotification; 2.0.1 A04). */
export class SecurityEventService {
  constructor(private readonly o: SecurityEventOptions) {}

  async record(chargePointId: string, e: { type: string; techInfo?: string; occurredAt: Date }): Promise<SecurityEvent> {
    const event = await repo.insertSecurityEvent(this.o.db, {
      chargePointId,
      type: e.type,
      techInfo: e.techInfo ?? null,
      isCritical: isCriticalSecurityEvent(e.type),
      occurredAt: e.occurredAt,
      receivedAt: this.o.clock.now(),
    });
    this.o.logger.warn('security event reported', { chargePointId, type: e.type, techInfo: e.techInfo, isCritical: event.isCritical });
    if (event.isCritical || this.o.alertNonCritical) await this.o.alerts.raise(securityEventAlert(event));
    return event;
  }

  /** A signed firmware status (SignedFirmwareStatusNotification, 2.0.1 FirmwareStatusNotification): an untrusted file or certificate raises a critical alert. */
  async onFirmwareStatus(chargePointId: string, status: string, requestId?: number): Promise<void> {
    const alert = firmwareSignatureAlert(chargePointId, status, requestId);
    if (alert) await this.o.alerts.raise(alert);
  }

  list(filter: repo.SecurityEventFilter): Promise<SecurityEvent[]> {
    return repo.listSecurityEvents(this.o.db, filter);
  }
}
