// Which connectors may be used: ChangeAvailability (OCPP 1.6 §5.2, a change asked during a transaction is
// Scheduled for its end) and reservations (ReserveNow §5.13, CancelReservation §5.1, dropped at expiry).
import { Timers } from '../timers.ts';

export interface Reservation {
  id: number;
  connectorId: number;
  idTag: string;
  parentIdTag?: string;
  expiresAt: number;
}

export type ReserveResult = 'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable';

export class ChargerAvailability {
  /** index 0 = the charger as a whole */
  private readonly operative: boolean[];
  private readonly scheduled = new Map<number, boolean>();
  private readonly reservations = new Map<number, Reservation>();
  private readonly timers = new Timers();

  constructor(
    private readonly connectors: number,
    private readonly changed: (connectorId: number) => void,
    private readonly expired: (r: Reservation) => void = () => undefined,
  ) {
    this.operative = new Array<boolean>(connectors + 1).fill(true);
  }

  /** A connector is usable when both it and the charger are operative. */
  isOperative(connectorId: number): boolean {
    return this.operative[0] && this.operative[connectorId] === true;
  }

  /** The charger's own availability (connector 0). */
  get chargerOperative(): boolean {
    return this.operative[0];
  }

  /**
   * OCPP 1.6 §5.2: connector 0 changes the whole charger. `busy` says which connectors run a transaction:
   * going Inoperative is then Scheduled for when it ends.
   */
  change(connectorId: number, operative: boolean, busy: (connectorId: number) => boolean): 'Accepted' | 'Rejected' | 'Scheduled' {
    if (connectorId < 0 || connectorId > this.connectors) return 'Rejected';
    const ids = connectorId === 0 ? [0, ...Array.from({ length: this.connectors }, (_, i) => i + 1)] : [connectorId];
    let scheduled = false;
    for (const id of ids) {
      if (!operative && id > 0 && busy(id)) {
        this.scheduled.set(id, false);
        scheduled = true;
        continue;
      }
      this.scheduled.delete(id);
      this.operative[id] = operative;
    }
    for (const id of ids) this.changed(id);
    return scheduled ? 'Scheduled' : 'Accepted';
  }

  /** Applies a change scheduled for the end of the connector's transaction. */
  transactionEnded(connectorId: number): void {
    const next = this.scheduled.get(connectorId);
    if (next === undefined) return;
    this.scheduled.delete(connectorId);
    this.operative[connectorId] = next;
  }

  reservationOn(connectorId: number): Reservation | undefined {
    for (const r of this.reservations.values()) if (r.connectorId === connectorId) return r;
    return undefined;
  }

  /**
   * OCPP 1.6 §5.13 ReserveNow, for a connector whose state `occupied` tells. A reservation with the id of one
   * held replaces it. Connector 0 is not supported (ReserveConnectorZeroSupported = false).
   */
  reserve(r: Reservation, occupied: boolean, now: number): ReserveResult {
    if (r.connectorId <= 0 || r.connectorId > this.connectors) return 'Rejected';
    if (!this.isOperative(r.connectorId)) return 'Unavailable';
    const held = this.reservationOn(r.connectorId);
    if (occupied || (held && held.id !== r.id)) return 'Occupied';
    this.cancel(r.id);
    this.reservations.set(r.id, r);
    this.timers.after(r.expiresAt - now, () => {
      if (this.reservations.get(r.id) !== r) return;
      this.cancel(r.id);
      this.expired(r);
    });
    this.changed(r.connectorId);
    return 'Accepted';
  }

  /** OCPP 1.6 §5.1 CancelReservation (also at expiry). */
  cancel(id: number): boolean {
    const r = this.reservations.get(id);
    if (!r) return false;
    this.reservations.delete(id);
    this.changed(r.connectorId);
    return true;
  }

  /** A transaction starts on the connector: the reservation of its id tag is used (OCPP 1.6 §5.13). */
  takeReservation(connectorId: number, idTag: string): Reservation | undefined {
    const r = this.reservationOn(connectorId);
    if (!r || r.idTag !== idTag) return undefined;
    this.reservations.delete(r.id);
    return r;
  }

  dispose(): void {
    this.timers.clear(true);
  }
}
