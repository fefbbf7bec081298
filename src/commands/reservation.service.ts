import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import { Conflict } from '../shared/errors.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import { queueResult, reservationResultKey } from './async-result.ts';
import type { CommandResult } from './command.types.ts';
import { englishText } from './ocpp16.mapper.ts';
import * as repo from './reservation.repo.ts';
import type { OcpiReservation, ReservationStatus } from './reservation.repo.ts';

export interface ReservationServiceOptions {
  db: Knex;
  clock: Clock;
  /** The same sender as the OCPI commands: this node's socket or the cluster bus. */
  sender: CommandSender;
  /** How long the charger may take to answer CancelReservation (seconds). */
  timeoutSec: number;
}

export interface ReservationQuery {
  limit: number;
  offset: number;
  status?: ReservationStatus;
  chargePointId?: string;
  partnerFk?: number;
}

// OCPI 2.2.1 commands §13.4.2 CommandResultType CANCELED_RESERVATION.
const CANCELED_BY_CPO: CommandResult = { result: 'CANCELED_RESERVATION', message: englishText('The Reservation has been canceled by the CPO') };

/** The CPO's view of the eMSPs' reservations (OCPI RESERVE_NOW): list, read, cancel. */
export class ReservationService {
  constructor(private readonly o: ReservationServiceOptions) {}

  async list(q: ReservationQuery): Promise<{ items: OcpiReservation[]; total: number }> {
    const filter = { status: q.status, chargePointId: q.chargePointId, partnerFk: q.partnerFk, at: this.o.clock.now() };
    const [items, total] = await Promise.all([repo.listReservations(this.o.db, { ...filter, limit: q.limit, offset: q.offset }), repo.countReservations(this.o.db, filter)]);
    return { items, total };
  }

  async get(id: number): Promise<OcpiReservation> {
    return repo.getReservation(this.o.db, id, this.o.clock.now());
  }

  /**
   * OCPP 2.0.1 H03 ReservationStatusUpdate: the station dropped reservation `id` at its expiry (Expired) or by
   * itself (Removed, e.g. its EVSE became inoperative: stored as Cancelled). Only a Requested or Accepted
   * reservation of that charger changes; false (nothing changed) otherwise.
   */
  async endedByCharger(chargePointId: string, id: number, status: 'Expired' | 'Removed'): Promise<boolean> {
    return repo.endReservationOfCharger(this.o.db, { id, chargePointId, to: status === 'Expired' ? 'Expired' : 'Cancelled' });
  }

  /**
   * Cancels an Accepted reservation at its charger (OCPP 1.6 §5.3 CancelReservation) and, once the
   * charger accepted, tells the eMSP with CANCELED_RESERVATION at the RESERVE_NOW's response_url.
   * Conflict when the reservation is not Accepted, the charger is offline or rejects the cancellation;
   * then nothing is changed.
   */
  async cancel(id: number): Promise<OcpiReservation> {
    const reservation = await this.get(id);
    // Requested: the charger's answer to ReserveNow is still due and would overwrite a cancellation.
    if (reservation.status !== 'Accepted') throw new Conflict(`reservation ${id} is ${reservation.status}: only an Accepted reservation can be cancelled`);
    const conf = await this.o.sender.send(reservation.chargePointId, 'CancelReservation', { reservationId: id }, this.o.timeoutSec * 1000);
    // OCPP 1.6 §7.6 CancelReservationStatus Rejected: the charger holds no reservation with this id.
    if (conf.status !== 'Accepted') throw new Conflict(`charger ${reservation.chargePointId} rejected the cancellation of reservation ${id} (CancelReservation ${conf.status})`);
    await this.o.db.transaction(async (trx) => {
      // A transaction that started with it meanwhile made it Used: that stays, and the eMSP is told nothing.
      if (!(await repo.updateReservationStatusFrom(trx, id, { from: 'Accepted', to: 'Cancelled' }))) {
        throw new Conflict(`reservation ${id} changed while the charger cancelled it`);
      }
      if (reservation.partnerFk === null || !reservation.responseUrl) return;
      await queueResult(trx, {
        partnerFk: reservation.partnerFk, module: 'commands', url: reservation.responseUrl, objectKey: reservationResultKey(id),
        toParty: reservation.emspParty ?? undefined, fromParty: reservation.ownParty ?? undefined,
      }, CANCELED_BY_CPO);
    });
    return this.get(id);
  }
}
