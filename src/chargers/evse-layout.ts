// The EVSEs a charger's connectors are on (evse-plan.ts decides which): attaching the charger to a location,
// a connector seen for the first time, the operator putting a connector on an EVSE. Runs inside the caller's
// transaction; the caller's hooks recompute statuses and tell the eMSPs (Location PUT, EVSE REMOVED).
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { Conflict, InvalidInput } from '../shared/errors.ts';
import { claimEvse, findEvse, markEvseRemoved } from '../locations/location.service.ts';
import * as repo from './charger.repo.ts';
import type { Connector } from './charger.types.ts';
import { derivedEvseUid, planAttach } from './evse-plan.ts';
import { evseConnectorOneOf, isSharedEvseConnector } from './evse-address.ts';

export interface EvseLayoutHooks {
  /** Recomputes the EVSE's status from its connectors (no status push: the Location PUT that follows has it). */
  recompute(trx: Knex.Transaction, evseFk: number): Promise<void>;
  /** The EVSE's make-up changed: its location goes to the eMSPs again. Called once per location. */
  changed(trx: Knex.Transaction, evseFk: number): Promise<void>;
  /** The EVSE lost its last connector and is now REMOVED (locations §8.1: EVSEs are never deleted). */
  removed(trx: Knex.Transaction, evseFk: number): Promise<void>;
}

interface Move {
  connectorFk: number;
  from: number | null;
  to: number | null;
}

/** EVSE `uid` at the location for the charger, or undefined when the uid is taken elsewhere (a derived uid only). */
async function claimDerived(db: Db, a: { locationId: string; uid: string; chargePointId: string }): Promise<number | undefined> {
  try {
    return (await claimEvse(db, { locationId: a.locationId, evseUid: a.uid, chargePointId: a.chargePointId, field: 'evse' })).id;
  } catch (err) {
    // Refused before any write: the connector stays off any EVSE until the operator maps it.
    if (err instanceof InvalidInput || err instanceof Conflict) return undefined;
    throw err;
  }
}

/** The EVSE a connector seen for the first time goes on: the primary one for connector 1, else `<primary uid>-<n>`. */
async function defaultEvseFk(db: Db, chargePointId: string, connectorNumber: number): Promise<number | undefined> {
  const primary = await repo.findPrimaryEvse(db, chargePointId);
  if (!primary) return undefined;
  const group = await evseGroupOf(db, chargePointId, connectorNumber);
  if (group !== connectorNumber) {
    const first = await repo.findConnector(db, chargePointId, group);
    if (first?.evseFk) return first.evseFk;
  }
  const uid = group === 1 ? primary.uid : derivedEvseUid(primary.uid, group);
  return claimDerived(db, { locationId: primary.locationId, uid, chargePointId });
}

/**
 * The connector whose EVSE `connectorNumber` shares by default: a 2.0.1 EVSE's connector k >= 2 its connector 1
 * (evse-address.ts; OCPI 2.2.1 models a 2.0.1 EVSE as one EVSE with several connectors), else itself.
 */
export async function evseGroupOf(db: Db, chargePointId: string, connectorNumber: number): Promise<number> {
  if (!isSharedEvseConnector(connectorNumber)) return connectorNumber;
  return (await repo.findChargePoint(db, chargePointId))?.protocol === 'ocpp2.0.1' ? evseConnectorOneOf(connectorNumber) : connectorNumber;
}

/**
 * The charger's connector `connectorNumber`, registered on its first report (OCPP 1.6 chargers reveal their
 * connectors through StatusNotification, StartTransaction and MeterValues) on its own EVSE.
 */
export async function ensureConnectorOf(db: Db, chargePointId: string, connectorNumber: number): Promise<Connector> {
  const existing = await repo.findConnector(db, chargePointId, connectorNumber);
  if (existing) return existing;
  return repo.ensureConnector(db, chargePointId, connectorNumber, await defaultEvseFk(db, chargePointId, connectorNumber));
}

/**
 * Applies the moves, then: an EVSE left without connectors becomes REMOVED (`hooks.removed` when it lost
 * them here; silently for `candidates` that never had any), the others are recomputed, and each location
 * touched (plus those of `alsoChanged`) is announced once.
 */
async function applyMoves(trx: Knex.Transaction, hooks: EvseLayoutHooks, moves: Move[], o: { candidates?: number[]; alsoChanged?: number[] } = {}): Promise<void> {
  for (const m of moves) await repo.updateConnectorEvse(trx, m.connectorFk, m.to);
  const losers = new Set(moves.flatMap((m) => (m.from === null ? [] : [m.from])));
  const gainers = new Set(moves.flatMap((m) => (m.to === null ? [] : [m.to])));
  const live: number[] = [];
  for (const fk of new Set([...losers, ...gainers, ...(o.candidates ?? [])])) {
    if (gainers.has(fk) || (await repo.listConnectorsOfEvse(trx, fk)).length > 0) {
      live.push(fk);
      continue;
    }
    await markEvseRemoved(trx, fk);
    if (losers.has(fk)) await hooks.removed(trx, fk);
  }
  for (const fk of live) await hooks.recompute(trx, fk);
  const byLocation = new Map<string, number>();
  for (const fk of [...(o.alsoChanged ?? []), ...losers, ...gainers]) {
    const evse = await findEvse(trx, fk);
    if (evse && !byLocation.has(evse.locationId)) byLocation.set(evse.locationId, fk);
  }
  for (const fk of byLocation.values()) await hooks.changed(trx, fk);
}

/**
 * Attaches the charger to EVSE `evseUid` of the location (created when new): connector 1 goes there, its
 * other connectors to their own EVSEs (evse-plan.ts planAttach); EVSEs left empty are REMOVED.
 */
export async function placeChargerAt(trx: Knex.Transaction, hooks: EvseLayoutHooks, a: { chargePointId: string; locationId: string; evseUid: string }): Promise<void> {
  const before = await repo.getChargePoint(trx, a.chargePointId);
  const primary = await claimEvse(trx, { locationId: a.locationId, evseUid: a.evseUid, chargePointId: a.chargePointId, field: 'evse' });
  await repo.updateChargePoint(trx, a.chargePointId, { location_id: a.locationId, primary_evse_fk: primary.id });
  const placed = await repo.listPlacedConnectors(trx, a.chargePointId);
  const groups = new Map<number, number>();
  for (const c of placed) groups.set(c.connectorNumber, await evseGroupOf(trx, a.chargePointId, c.connectorNumber));
  const plan = planAttach(placed.map((c) => ({ ...c, evseGroup: groups.get(c.connectorNumber) })), { locationId: a.locationId, evseUid: a.evseUid, previousPrimaryFk: before.primaryEvseFk });
  const moves: Move[] = [];
  for (const c of placed) {
    const uid = plan.get(c.connectorNumber)!;
    if (c.evse?.uid === uid) continue;
    const to = uid === a.evseUid ? primary.id : await claimDerived(trx, { locationId: a.locationId, uid, chargePointId: a.chargePointId });
    moves.push({ connectorFk: c.id, from: c.evse?.id ?? null, to: to ?? null });
  }
  const previous = before.primaryEvseFk !== null && before.primaryEvseFk !== primary.id ? [before.primaryEvseFk] : [];
  await applyMoves(trx, hooks, moves, { candidates: previous, alsoChanged: [primary.id] });
}

/**
 * Puts the charger's connector on EVSE `evseUid` of the charger's location (the operator's mapping: e.g. two
 * cables of one outlet on one EVSE), creating the connector when it was not seen yet. Returns the connector
 * and whether its location was announced (false: it was already there).
 */
export async function placeConnector(trx: Knex.Transaction, hooks: EvseLayoutHooks, a: { chargePointId: string; connectorNumber: number; evseUid: string }): Promise<{ connector: Connector; isAnnounced: boolean }> {
  const cp = await repo.getChargePoint(trx, a.chargePointId);
  if (!cp.locationId) throw new Conflict(`evseUid: charger ${cp.id} is not attached to a location`);
  const evse = await claimEvse(trx, { locationId: cp.locationId, evseUid: a.evseUid, chargePointId: cp.id, field: 'evseUid' });
  const existing = await repo.findConnector(trx, cp.id, a.connectorNumber);
  const connector = existing ?? (await repo.ensureConnector(trx, cp.id, a.connectorNumber, evse.id));
  if (existing && existing.evseFk === evse.id) return { connector, isAnnounced: false };
  await applyMoves(trx, hooks, [{ connectorFk: connector.id, from: existing?.evseFk ?? null, to: evse.id }]);
  return { connector: { ...connector, evseFk: evse.id }, isAnnounced: true };
}
