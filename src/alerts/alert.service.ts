import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import { Conflict } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { DomainEvents } from '../shared/events.ts';
import * as repo from './alert.repo.ts';
import type { Alert, AlertEvent, NewAlert } from './alert.types.ts';

/** Runs inside the transaction that opened, closed or acknowledged an alert (webhook deliveries are queued there). */
export type AlertHook = (trx: Knex.Transaction, event: AlertEvent) => Promise<void>;

/** The subject of an alert: given, or the session it is about. */
function subjectOf(a: NewAlert): string {
  if (a.subject) return a.subject;
  if (a.sessionId !== undefined && a.sessionId !== null) return `session:${a.sessionId}`;
  throw new Error(`alert ${a.kind} without a subject`);
}

/** Alerts for the operator: opened by rules and jobs, listed and acknowledged through the admin API. */
export class AlertService {
  private readonly hooks: AlertHook[] = [];

  constructor(private readonly o: { db: Knex; clock: Clock; logger: Logger; events?: DomainEvents }) {}

  onChange(hook: AlertHook): void {
    this.hooks.push(hook);
  }

  private async tell(trx: Knex.Transaction, type: AlertEvent['type'], alerts: Alert[]): Promise<void> {
    for (const alert of alerts) for (const hook of this.hooks) await hook(trx, { type, alert });
  }

  /** Opens an alert (logged as a warning); one open alert per kind and subject, a repeat changes nothing. */
  async raise(a: NewAlert): Promise<Alert | undefined> {
    const alert = await this.o.db.transaction(async (trx) => {
      const opened = await repo.insertAlertOnce(trx, { ...a, subject: subjectOf(a) }, this.o.clock.now());
      if (opened) await this.tell(trx, 'alert.opened', [opened]);
      return opened;
    });
    if (alert) this.o.logger.warn(`alert ${a.kind}: ${a.message}`, { alertId: alert.id, chargePointId: a.chargePointId, connectorId: a.connectorId, sessionId: a.sessionId });
    if (alert) this.publish('alert.opened', [alert]);
    return alert;
  }

  /** Closes the given open alerts (their condition ended); returns those it closed. */
  async close(ids: number[]): Promise<Alert[]> {
    const closed = await this.o.db.transaction(async (trx) => {
      const rows = await repo.closeAlerts(trx, ids, this.o.clock.now());
      await this.tell(trx, 'alert.closed', rows);
      return rows;
    });
    this.publish('alert.closed', closed);
    return closed;
  }

  /** Closes the open zombie alerts about sessions that ended (however they ended). */
  async closeOfEndedSessions(): Promise<number> {
    const closed = await this.o.db.transaction(async (trx) => {
      const rows = await repo.closeAlertsOfEndedSessions(trx, this.o.clock.now(), 'ZOMBIE_');
      await this.tell(trx, 'alert.closed', rows);
      return rows;
    });
    this.publish('alert.closed', closed);
    return closed.length;
  }

  /** POST /alerts/{id}/ack: the operator has seen it; the alert stays open until its condition ends. */
  async acknowledge(id: number, by: string, note: string | null): Promise<Alert> {
    const acked = await this.o.db.transaction(async (trx) => {
      const acked = await repo.updateAlertAck(trx, id, { by, note, at: this.o.clock.now() });
      if (!acked) {
        const alert = await repo.getAlert(trx, id);
        throw new Conflict(`alert ${id} was acknowledged already (at ${alert.acknowledgedAt!.toISOString()} by ${alert.acknowledgedBy})`);
      }
      await this.tell(trx, 'alert.acknowledged', [acked]);
      return acked;
    });
    this.publish('alert.acknowledged', [acked]);
    return acked;
  }

  /** The live event stream's alert events, after the commit (GET /events). */
  private publish(type: 'alert.opened' | 'alert.closed' | 'alert.acknowledged', alerts: Alert[]): void {
    for (const a of alerts) this.o.events?.emit(type, { alertId: a.id, kind: a.kind, severity: a.severity, message: a.message, chargePointId: a.chargePointId, connectorId: a.connectorId, sessionId: a.sessionId });
  }

  listOpenOfKind(kind: string): Promise<Alert[]> {
    return repo.listOpenAlertsOfKind(this.o.db, kind);
  }

  get(id: number): Promise<Alert> {
    return repo.getAlert(this.o.db, id);
  }

  list(filter: repo.AlertFilter): Promise<Alert[]> {
    return repo.listAlerts(this.o.db, filter);
  }
}
