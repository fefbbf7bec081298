import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { CommandSender } from '../ocpp/commands.ts';
import type { DomainEvents } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import { runDetached } from '../shared/background.ts';
import { KeyCoalescer } from '../shared/key-coalescer.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import type { TokenService } from '../tokens/token.service.ts';
import * as repo from './adhoc.repo.ts';

/** The largest energy bound an operator may set (1 MWh: far above any one session). */
const MAX_ENERGY_WH = 1_000_000;
/** The largest amount bound (numeric(12, 2) holds it). */
const MAX_AMOUNT = 1_000_000;

function readEnergy(v: unknown, field: string): number | null {
  if (v === undefined || v === null) return null;
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > MAX_ENERGY_WH) throw new InvalidInput(`${field}: must be an integer from 1 to ${MAX_ENERGY_WH} (Wh)`);
  return v as number;
}

function readAmount(v: unknown, field: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !/^\d+(\.\d{1,2})?$/.test(String(v)) || v <= 0 || v > MAX_AMOUNT) throw new InvalidInput(`${field}: must be a positive amount with at most 2 decimals, up to ${MAX_AMOUNT}`);
  return v;
}

/** The lower of two optional bounds (null: none). */
const lower = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

/** The billing domain's price of a running session so far (CdrService). */
export interface RunningCost {
  costSoFar(sessionId: number): Promise<{ currency: string; inclVat: number } | undefined>;
}

/**
 * Ad hoc access (issue 9): a driver without an account starts a session at an EVSE of a location that
 * allows it, with a generated AD_HOC_USER token and RemoteStartTransaction; the session is stopped with
 * RemoteStopTransaction once its energy reaches the bound (the operator's, or a lower one asked for).
 */
/** How often, at most, the sessions updated by MeterValues are checked against their ad hoc bound: a charger reports every few seconds at most. */
const BOUND_CHECK_INTERVAL_MS = 250;

export class AdhocService {
  constructor(private readonly o: { db: Knex; logger: Logger; commands: CommandSender; tokens: TokenService; events: DomainEvents; costs: RunningCost; callTimeoutMs: number }) {}

  /** Watches every session's energy, and blocks an ad hoc token once its session stopped: registered once at composition. */
  watchSessions(): void {
    // One statement for all the sessions MeterValues batches updated (almost none of them is ad hoc), at most
    // every BOUND_CHECK_INTERVAL_MS under a steady flow of batches.
    const updated = new KeyCoalescer((ids: number[]) => this.stopAllAtBound(ids), (err) => this.o.logger.error('ad hoc bound check failed', { err: err instanceof Error ? err.message : err }), { minIntervalMs: BOUND_CHECK_INTERVAL_MS });
    this.o.events.on('session.updated', ({ sessionId }) => updated.add(sessionId));
    // An ad hoc token is good for one session: nobody who learnt its idTag may charge with it again.
    this.o.events.on('session.stopped', ({ sessionId }) => runDetached(this.o.logger, 'ad hoc token block', () => repo.blockAdhocTokenOfSession(this.o.db, sessionId)));
  }

  /** The operator's setting: ad hoc starts allowed at the location, and the bounds per session (one at least when allowed). */
  async configure(locationId: string, b: Record<string, unknown>): Promise<{ locationId: string; allowed: boolean; maxEnergyWh: number | null; maxAmount: number | null }> {
    if (typeof b.allowed !== 'boolean') throw new InvalidInput('allowed: must be true or false');
    const bounds = { maxEnergyWh: readEnergy(b.maxEnergyWh, 'maxEnergyWh'), maxAmount: readAmount(b.maxAmount, 'maxAmount') };
    if (b.allowed && bounds.maxEnergyWh === null && bounds.maxAmount === null) throw new InvalidInput('maxEnergyWh, maxAmount: at least one bound is required when allowed');
    if ((await repo.updateLocationAdhoc(this.o.db, locationId, { allowed: b.allowed, ...bounds })) === 0) throw new NotFound(`location ${locationId} not found`);
    return { locationId, allowed: b.allowed, ...bounds };
  }

  /** Starts an ad hoc session at `evseUid`; refused (409) where the location does not allow it. */
  async start(b: Record<string, unknown>): Promise<repo.AdhocSession> {
    if (typeof b.evseUid !== 'string' || b.evseUid.length === 0 || b.evseUid.length > 36) throw new InvalidInput('evseUid: required string of 1-36 characters');
    // Bad input is refused before any lookup: a wrong bound is 400 wherever it is asked.
    const asked = { maxEnergyWh: readEnergy(b.maxEnergyWh, 'maxEnergyWh'), maxAmount: readAmount(b.maxAmount, 'maxAmount') };
    const place = await repo.findAdhocPlace(this.o.db, b.evseUid);
    if (!place) throw new NotFound(`EVSE ${b.evseUid} not found`);
    // A public location only: restricted and private ones are for their groups' drivers.
    if (!place.adhocAllowed || (place.adhocMaxEnergyWh === null && place.adhocMaxAmount === null) || place.accessMode !== 'public') throw new Conflict(`ad hoc charging is not allowed at location ${place.locationId}`);
    if (!place.chargePointId || place.connectorId === null) throw new Conflict(`EVSE ${b.evseUid} has no charger connector to start on`);
    const bounds = { maxEnergyWh: lower(place.adhocMaxEnergyWh, asked.maxEnergyWh), maxAmount: lower(place.adhocMaxAmount, asked.maxAmount) };
    // OCPP 1.6 IdToken is CiString20: "AH" + 18 random hex characters.
    const idTag = `AH${randomBytes(9).toString('hex').toUpperCase()}`;
    const token = await this.o.tokens.addLocal({ uid: idTag, type: 'AD_HOC_USER', whitelist: 'ALWAYS' });
    const row = await repo.insertAdhocSession(this.o.db, {
      tokenId: token.id, idTag, locationId: place.locationId, evseUid: b.evseUid, chargePointId: place.chargePointId, connectorId: place.connectorId, ...bounds, status: 'REQUESTED',
    });
    const status = await this.remoteStart(place.chargePointId, { connectorId: place.connectorId, idTag });
    const started = await repo.updateAdhocStatus(this.o.db, row.id, status === 'Accepted' ? 'ACCEPTED' : 'REJECTED');
    if (status !== 'Accepted') await repo.blockAdhocToken(this.o.db, token.id);
    if (status === 'Rejected') throw new Conflict(`the charger rejected the start at EVSE ${b.evseUid}`);
    if (status !== 'Accepted') throw status;
    return started;
  }

  /** The charger's answer, or the error of a call that got none (not connected, timeout, CALLERROR). */
  private async remoteStart(chargePointId: string, payload: { connectorId: number; idTag: string }): Promise<'Accepted' | 'Rejected' | Error> {
    try {
      return (await this.o.commands.send(chargePointId, 'RemoteStartTransaction', payload, this.o.callTimeoutMs)).status;
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  async get(id: number): Promise<repo.AdhocSession> {
    const row = await repo.findAdhocSession(this.o.db, id);
    if (!row) throw new NotFound(`ad hoc session ${id} not found`);
    return row;
  }

  /**
   * Asks the charger to stop an ad hoc session that reached a bound: its energy, or its cost so far incl.
   * VAT (priced as its CDR would be). Once, whoever sees it first; true for the one that sent the stop.
   */
  async stopAtBound(sessionId: number): Promise<boolean> {
    const found = await repo.findAdhocOfActiveSession(this.o.db, sessionId);
    return found ? this.stopIfAtBound(sessionId, found) : false;
  }

  private async stopAllAtBound(sessionIds: number[]): Promise<void> {
    for (const found of await repo.listAdhocOfActiveSessions(this.o.db, sessionIds)) {
      runDetached(this.o.logger, 'ad hoc bound check', () => this.stopIfAtBound(found.sessionId, found));
    }
  }

  private async stopIfAtBound(sessionId: number, { adhoc, energyWh }: { adhoc: repo.AdhocSession; energyWh: number }): Promise<boolean> {
    const isEnergyReached = adhoc.maxEnergyWh !== null && energyWh >= adhoc.maxEnergyWh;
    const cost = !isEnergyReached && adhoc.maxAmount !== null ? await this.o.costs.costSoFar(sessionId) : undefined;
    if (!isEnergyReached && !(cost && cost.inclVat >= adhoc.maxAmount!)) return false;
    if (!(await repo.claimAdhocStop(this.o.db, adhoc.id, sessionId))) return false;
    const answer = await this.o.commands.send(adhoc.chargePointId, 'RemoteStopTransaction', { transactionId: sessionId }, this.o.callTimeoutMs);
    this.o.logger.info('ad hoc session stopped at its bound', { chargePointId: adhoc.chargePointId, sessionId, energyWh, cost: cost?.inclVat, answer: answer.status });
    return true;
  }
}
