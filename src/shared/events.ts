import { EventEmitter } from 'node:events';

/** An alert as the live event stream shows it. */
export interface AlertEventPayload {
  alertId: number;
  kind: string;
  severity: string;
  message: string;
  chargePointId: string | null;
  connectorId: number | null;
  sessionId: number | null;
}

/** Domain events published after the change that causes them is committed. */
export interface DomainEventMap {
  'charger.connected': { chargePointId: string };
  'charger.disconnected': { chargePointId: string };
  'charger.offline': { chargePointId: string };
  'evse.status': { evseFk: number; locationId: string; evseUid: string; status: string };
  /** A connector's newest status report (OCPP 1.6 §4.9 StatusNotification), stored. */
  'connector.status': { chargePointId: string; connectorId: number; status: string; errorCode: string; info?: string | null; timestamp: Date };
  'alert.opened': AlertEventPayload;
  /** Closed on recovery (its condition ended). */
  'alert.closed': AlertEventPayload;
  'alert.acknowledged': AlertEventPayload;
  'session.started': { sessionId: number };
  'session.updated': { sessionId: number };
  'session.stopped': { sessionId: number };
  /** An eMSP set or cleared the charging profile of a session (OCPI chargingprofiles): an upper bound changed. */
  'chargingprofile.changed': { sessionId: number };
}

/** A typed in-process event bus; listeners must not throw (they are called synchronously). */
export class DomainEvents {
  private readonly emitter = new EventEmitter();

  emit<K extends keyof DomainEventMap>(event: K, payload: DomainEventMap[K]): void {
    this.emitter.emit(event, payload);
  }

  on<K extends keyof DomainEventMap>(event: K, listener: (payload: DomainEventMap[K]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
