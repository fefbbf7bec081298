import { EventEmitter } from 'node:events';

/** Domain events published after the change that causes them is committed. */
export interface DomainEventMap {
  'charger.connected': { chargePointId: string };
  'charger.disconnected': { chargePointId: string };
  'charger.offline': { chargePointId: string };
  'evse.status': { evseFk: number; locationId: string; evseUid: string; status: string };
  /** A connector's newest status report (OCPP 1.6 §4.9 StatusNotification), stored. */
  'connector.status': { chargePointId: string; connectorId: number; status: string; errorCode: string; info?: string | null; timestamp: Date };
  'alert.opened': { alertId: number; kind: string; severity: string; message: string; chargePointId: string | null; connectorId: number | null; sessionId: number | null };
  'session.started': { sessionId: number };
  'session.updated': { sessionId: number };
  'session.stopped': { sessionId: number };
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
