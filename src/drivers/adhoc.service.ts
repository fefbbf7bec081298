import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { CommandSender } from '../ocpp/commands.ts';
import type { DomainEvents } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import { runDetached } from '../shared/background.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import type { TokenService } from '../tokens/token.service.ts';
import * as repo from './adhoc.repo.ts';

/** The largest energy bound an operator may set (1 MWh: far above any one session). */
const MAX_ENERGY_WH = 1_000_000;

function readEnergy(v: unknown, field: string): number {
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > MAX_ENERGY_WH) throw new InvalidInput(`${field}: must be an integer from 1 to ${MAX_ENERGY_WH} (Wh)`);
  return v as number;
}

/**
 * Ad hoc access (issue 9): a driver without an account starts a session at an EVSE of a location that
 * allows it, with a generated AD_HOC_USER token and RemoteStartTransaction; the session is stopped with
 * RemoteStopTransaction once its energy reaches the bound (the operator's, or a lower one asked for).
 */
export class AdhocService {
  constructor(private readonly o: { db: Knex; logger: Logger; commands: CommandSender; tokens: TokenService; events: DomainEvents; callTimeoutMs: number }) {}

  /** Watches every session's energy, and blocks an ad hoc token once its session stopped: registered once at composition. */
  watchSessions(): void {
    this.o.events.on('session.updated', ({ sessionId }) => runDetached(this.o.logger, 'ad hoc bound check', () => this.stopAtBound(sessionId)));
    // An ad hoc token is good for one session: nobody who learnt its idTag may charge with it again.
    this.o.events.on('session.stopped', ({ sessionId }) => runDetached(this.o.logger, 'ad hoc token block', () => repo.blockAdhocTokenOfSession(this.o.db, sessionId)));
  }

  /** The operator's setting: ad hoc starts allowed at the location, and the energy bound per session (required when allowed). */
  async configure(locationId: string, b: Record<string, unknown>): Promise<{ locationId: string; allowed: boolean; maxEnergyWh: number | null }> {
    if (typeof b.allowed !== 'boolean') throw new InvalidInput('allowed: must be true or false');
    const maxEnergyWh = b.allowed || b.maxEnergyWh !== undefined ? readEnergy(b.maxEnergyWh, 'maxEnergyWh') : null;
    if ((await repo.updateLocationAdhoc(this.o.db, locationId, { allowed: b.allowed, maxEnergyWh })) === 0) throw new NotFound(`location ${locationId} not found`);
    return { locationId, allowed: b.allowed, maxEnergyWh };
  }

  /** Starts an ad hoc session at `evseUid`; refused (409) where the location does not allow it. */
  async start(b: Record<string, unknown>): Promise<repo.AdhocSession> {
    if (typeof b.evseUid !== 'string' || b.evseUid.length === 0 || b.evseUid.length > 36) throw new InvalidInput('evseUid: required string of 1-36 characters');
    const place = await repo.findAdhocPlace(this.o.db, b.evseUid);
    if (!place) throw new NotFound(`EVSE ${b.evseUid} not found`);
    // A public location only: restricted and private ones are for their groups' drivers.
    if (!place.adhocAllowed || place.adhocMaxEnergyWh === null || place.accessMode !== 'public') throw new Conflict(`ad hoc charging is not allowed at location ${place.locationId}`);
    if (!place.chargePointId || place.connectorId === null) throw new Conflict(`EVSE ${b.evseUid} has no charger connector to start on`);
    const asked = b.maxEnergyWh === undefined ? place.adhocMaxEnergyWh : readEnergy(b.maxEnergyWh, 'maxEnergyWh');
    // OCPP 1.6 IdToken is CiString20: "AH" + 18 random hex characters.
    const idTag = `AH${randomBytes(9).toString('hex').toUpperCase()}`;
    const token = await this.o.tokens.addLocal({ uid: idTag, type: 'AD_HOC_USER', whitelist: 'ALWAYS' });
    const row = await repo.insertAdhocSession(this.o.db, {
      tokenId: token.id, idTag, locationId: place.locationId, evseUid: b.evseUid, chargePointId: place.chargePointId, connectorId: place.connectorId, maxEnergyWh: Math.min(asked, place.adhocMaxEnergyWh), status: 'REQUESTED',
    });
    const answer = await this.o.commands.send(place.chargePointId, 'RemoteStartTransaction', { connectorId: place.connectorId, idTag }, this.o.callTimeoutMs);
    const started = await repo.updateAdhocStatus(this.o.db, row.id, answer.status === 'Accepted' ? 'ACCEPTED' : 'REJECTED');
    if (answer.status !== 'Accepted') await repo.blockAdhocToken(this.o.db, token.id);
    if (answer.status !== 'Accepted') throw new Conflict(`the charger rejected the start at EVSE ${b.evseUid}`);
    return started;
  }

  async get(id: number): Promise<repo.AdhocSession> {
    const row = await repo.findAdhocSession(this.o.db, id);
    if (!row) throw new NotFound(`ad hoc session ${id} not found`);
    return row;
  }

  /** Asks the charger to stop an ad hoc session that reached its energy bound (once, whoever sees it first). */
  async stopAtBound(sessionId: number): Promise<boolean> {
    const claimed = await repo.claimAdhocStopAtBound(this.o.db, sessionId);
    if (!claimed) return false;
    const answer = await this.o.commands.send(claimed.chargePointId, 'RemoteStopTransaction', { transactionId: sessionId }, this.o.callTimeoutMs);
    this.o.logger.info('ad hoc session stopped at its bound', { chargePointId: claimed.chargePointId, sessionId, maxEnergyWh: claimed.maxEnergyWh, answer: answer.status });
    return true;
  }
}
