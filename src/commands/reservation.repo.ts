import { dbNow } from '../db/clock.ts';
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import type { PartyRef } from '../partners/partner.types.ts';

type Row = Record<string, any>;

/**
 * Stored status: 'Requested' until the charger answers ReserveNow, then its ReservationStatus (OCPP 1.6
 * §7.38: Accepted, Faulted, Occupied, Rejected, Unavailable) or 'Failed' (no answer); later 'Cancelled' or
 * 'Used'. 'Expired' is never stored: it is derived at read time (see STATUS_AT).
 */
export const RESERVATION_STATUSES = ['Requested', 'Accepted', 'Cancelled', 'Used', 'Expired', 'Failed', 'Faulted', 'Occupied', 'Rejected', 'Unavailable'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** A reservation made by an eMSP through OCPI RESERVE_NOW; `id` is the OCPP reservationId. */
export interface OcpiReservation {
  id: number;
  partnerFk: number | null;
  ocpiReservationId: string;
  locationId: string;
  evseUid: string | null;
  chargePointId: string;
  connectorNumber: number;
  idTag: string;
  tokenFk: number | null;
  authorizationReference: string | null;
  expiresAt: Date;
  /** As of the time the row was read at (Expired once expires_at has passed), or as stored. */
  status: ReservationStatus;
  responseUrl: string | null;
  /** Our party the eMSP addressed (OCPI-from-* of the results we send). */
  ownParty: PartyRef | null;
  /** The eMSP party behind a hub (OCPI-to-* of the results); null = the partner's own party. */
  emspParty: PartyRef | null;
  createdAt: Date;
  updatedAt: Date;
}

const partyRef = (countryCode: string | null | undefined, partyId: string | null | undefined): PartyRef | null =>
  countryCode && partyId ? { countryCode, partyId } : null;

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
  expiresAt: new Date(r.expires_at),
  status: r.status_at ?? r.status,
  responseUrl: r.response_url,
  ownParty: partyRef(r.own_country_code, r.own_party_id),
  emspParty: r.emsp_party ? partyRef(r.emsp_party.country_code, r.emsp_party.party_id) : null,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export type ReservationInput = Omit<OcpiReservation, 'id' | 'status' | 'ownParty' | 'createdAt' | 'updatedAt'> & { partyFk: number };

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
  party_fk: r.partyFk,
  emsp_party: r.emspParty ? JSON.stringify({ country_code: r.emspParty.countryCode, party_id: r.emspParty.partyId }) : null,
  status: 'Requested',
});

/**
 * OCPI 2.2.1 commands §13.3.4: a RESERVE_NOW with a reservation_id the eMSP already used at this location
 * replaces that reservation and keeps its OCPP reservationId (OCPP 1.6 §5.13: same id = replace).
 */
export async function upsertReservation(db: Db, r: ReservationInput): Promise<OcpiReservation> {
  const columns = columnsOf(r);
  const [row] = await db('reservations')
    .insert({ ...columns, created_at: dbNow(db), updated_at: dbNow(db) })
    .onConflict(db.raw('(partner_fk, location_id, ocpi_reservation_id) where ocpi_reservation_id is not null'))
    .merge({ ...columns, updated_at: dbNow(db) })
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
  await db('reservations').where({ id }).update({ status, updated_at: dbNow(db) });
}

// OCPP 1.6 §5.13: the charger drops a reservation at its expiryDate by itself and tells nobody, so a
// reservation still Requested or Accepted once expires_at has passed is Expired (and was never used: a
// transaction using it would have made it Used). Derived at read time against the caller's clock.
const STATUS_AT = "case when reservations.status in ('Requested', 'Accepted') and reservations.expires_at <= ? then 'Expired' else reservations.status end";

export interface ReservationFilter {
  status?: ReservationStatus;
  chargePointId?: string;
  partnerFk?: number;
  /** The time the status is derived at. */
  at: Date;
}

function filtered(db: Db, f: ReservationFilter): Knex.QueryBuilder {
  const q = db('reservations');
  if (f.status) q.whereRaw(`${STATUS_AT} = ?`, [f.at, f.status]);
  if (f.chargePointId) q.where('reservations.charge_point_id', f.chargePointId);
  if (f.partnerFk !== undefined) q.where('reservations.partner_fk', f.partnerFk);
  return q;
}

const withStatusAt = (db: Db, q: Knex.QueryBuilder, at: Date): Knex.QueryBuilder =>
  q.leftJoin('parties', 'parties.id', 'reservations.party_fk')
    .select('reservations.*', 'parties.country_code as own_country_code', 'parties.party_id as own_party_id', db.raw(`${STATUS_AT} as status_at`, [at]));

/** Reservations, newest first, with their status as of `f.at`. */
export async function listReservations(db: Db, f: ReservationFilter & { limit: number; offset: number }): Promise<OcpiReservation[]> {
  const rows = await withStatusAt(db, filtered(db, f), f.at).orderBy('reservations.id', 'desc').limit(f.limit).offset(f.offset);
  return rows.map(toReservation);
}

export async function countReservations(db: Db, f: ReservationFilter): Promise<number> {
  const [row] = await filtered(db, f).count({ n: '*' });
  return Number(row.n);
}

/** One reservation with its status as of `at`; NotFound when there is none. */
export async function getReservation(db: Db, id: number, at: Date): Promise<OcpiReservation> {
  const row = await withStatusAt(db, db('reservations').where('reservations.id', id), at).first();
  if (!row) throw new NotFound(`reservation ${id} not found`);
  return toReservation(row);
}

/** Moves the reservation from status `from` to `to`; false when it no longer had `from` (a concurrent change). */
export async function updateReservationStatusFrom(db: Db, id: number, change: { from: string; to: string }): Promise<boolean> {
  const n = await db('reservations').where({ id, status: change.from }).update({ status: change.to, updated_at: dbNow(db) });
  return n > 0;
}

/**
 * OCPP 1.6 §4.8 / §5.13: a transaction started with reservationId `id` at this charger ends the
 * reservation. Only an Accepted one that had not expired when the transaction started becomes Used; returns
 * it, or undefined when nothing matched.
 */
export async function markReservationUsed(db: Db, u: { id: number; chargePointId: string; startAt: Date }): Promise<OcpiReservation | undefined> {
  const [row] = await db('reservations')
    .where({ id: u.id, charge_point_id: u.chargePointId, status: 'Accepted' })
    .andWhere('expires_at', '>', u.startAt)
    .update({ status: 'Used', updated_at: dbNow(db) })
    .returning('*');
  return row ? toReservation(row) : undefined;
}

/**
 * The charger ended its reservation `id` (OCPP 2.0.1 H03 ReservationStatusUpdate): a Requested or Accepted
 * one of this charger becomes `to`; false when there was none (unknown, another charger's, already ended).
 */
export async function endReservationOfCharger(db: Db, e: { id: number; chargePointId: string; to: 'Expired' | 'Cancelled' }): Promise<boolean> {
  const n = await db('reservations').where({ id: e.id, charge_point_id: e.chargePointId }).whereIn('status', ['Requested', 'Accepted']).update({ status: e.to, updated_at: dbNow(db) });
  return n > 0;
}
