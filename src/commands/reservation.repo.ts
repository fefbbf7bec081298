import type { Db } from '../db/knex.ts';

type Row = Record<string, any>;

/** A reservation made by an eMSP through OCPI RESERVE_NOW; `id` is the OCPP reservationId. */
export interface OcpiReservation {
  id: number;
  partnerFk: number;
  ocpiReservationId: string;
  locationId: string;
  evseUid: string | null;
  chargePointId: string;
  connectorNumber: number;
  idTag: string;
  tokenFk: number | null;
  authorizationReference: string | null;
  expiresAt: Date;
  status: string;
  responseUrl: string | null;
}

const toReservation = (r: Row): OcpiReservation => ({
  id: r.id,
  partnerFk: r.partner_fk,
  ocpiReservationId: r.ocpi_reservation_id,
  locationId: r.location_id,
  evseUid: r.evse_uid,
  chargePointId: r.charge_point_id,
  connectorNumber: r.connector_number,
  idTag: r.id_tag,
  tokenFk: r.token_fk,
  authorizationReference: r.authorization_reference,
  expiresAt: r.expires_at,
  status: r.status,
  responseUrl: r.response_url,
});

export type ReservationInput = Omit<OcpiReservation, 'id' | 'status'>;

const columnsOf = (r: ReservationInput): Row => ({
  partner_fk: r.partnerFk,
  ocpi_reservation_id: r.ocpiReservationId,
  location_id: r.locationId,
  evse_uid: r.evseUid,
  charge_point_id: r.chargePointId,
  connector_number: r.connectorNumber,
  id_tag: r.idTag,
  token_fk: r.tokenFk,
  authorization_reference: r.authorizationReference,
  expires_at: r.expiresAt,
  response_url: r.responseUrl,
  status: 'Requested',
});

/**
 * OCPI 2.2.1 commands §13.3.4: a RESERVE_NOW with a reservation_id the eMSP already used at this location
 * replaces that reservation and keeps its OCPP reservationId (OCPP 1.6 §5.13: same id = replace).
 */
export async function upsertReservation(db: Db, r: ReservationInput): Promise<OcpiReservation> {
  const columns = columnsOf(r);
  const [row] = await db('reservations')
    .insert(columns)
    .onConflict(db.raw('(partner_fk, location_id, ocpi_reservation_id) where ocpi_reservation_id is not null'))
    .merge({ ...columns, updated_at: db.fn.now() })
    .returning('*');
  return toReservation(row);
}

/** The partner's reservation with this OCPI reservation_id (CancelReservation names no location): newest first. */
export async function findReservationOfPartner(db: Db, partnerFk: number, ocpiReservationId: string): Promise<OcpiReservation | undefined> {
  const row = await db('reservations').where({ partner_fk: partnerFk, ocpi_reservation_id: ocpiReservationId }).orderBy('id', 'desc').first();
  return row ? toReservation(row) : undefined;
}

/** Records the charger's answer (OCPP ReservationStatus, or Cancelled / Failed). */
export async function updateReservationStatus(db: Db, id: number, status: string): Promise<void> {
  await db('reservations').where({ id }).update({ status, updated_at: db.fn.now() });
}
