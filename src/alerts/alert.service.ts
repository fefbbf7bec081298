import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { DomainEvents } from '../shared/events.ts';
import * as repo from './alert.repo.ts';
import type { Alert, NewAlert } from './alert.types.ts';

/** Alerts for the operator: opened by rules and jobs, listed by the admin API (GET /alerts). */
export class AlertService {
  constructor(private readonly o: { db: Knex; clock: Clock; logger: Logger; events?: DomainEvents }) {}

  /** Opens an alert (logged as a warning); one open alert per session and kind, a repeat changes nothing. */
  async raise(a: NewAlert): Promise<Alert | undefined> {
    const alert = await repo.insertAlertOnce(this.o.db, a, this.o.clock.now());
    if (alert) this.o.logger.warn(`alert ${a.kind}: ${a.message}`, { alertId: alert.id, chargePointId: a.chargePointId, connectorId: a.connectorId, sessionId: a.sessionId });
    if (alert) this.o.events?.emit('alert.opened', { alertId: alert.id, kind: alert.kind, severity: alert.severity, message: alert.message, chargePointId: alert.chargePointId, connectorId: alert.connectorId, sessionId: alert.sessionId });
    return alert;
  }

  /** Closes the open alerts about sessions that ended (however they ended). */
  closeOfEndedSessions(): Promise<number> {
    return repo.closeAlertsOfEndedSessions(this.o.db, this.o.clock.now());
  }

  list(filter: repo.AlertFilter): Promise<Alert[]> {
    return repo.listAlerts(this.o.db, filter);
  }
}
