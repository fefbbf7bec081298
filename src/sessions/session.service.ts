import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../shared/clock.ts';
import type { DomainEvents } from '../shared/events.ts';
import { newUuid } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import type { AuthorizationResult, AuthorizeService } from '../tokens/authorize.service.ts';
import type { IdTagInfo, IdToken } from '../tokens/token.types.ts';
import { getDefaultParty } from '../parties/party.service.ts';
import { lockConnectorOf } from '../chargers/charger.service.ts';
import type { ConnectorLimits } from '../chargers/connector-limits.service.ts';
import { checkInteger, INT4, parseTimestamp, REGISTER_WH } from '../shared/ranges.ts';
import type { MeterValuesRequest, StartTransactionRequest, StopTransactionRequest } from '../ocpp/v16/types.ts';
import { GroupCommitWriter } from '../db/group-commit.ts';
import { batchSink } from '../db/transaction-sink.ts';
import { flattenMeterValues, storableMeterValues, type MeterValue, type Sample } from './meter-values.ts';
import { writeMeterValues, type MeterItem, type MeterResult } from './meter-batch.service.ts';
import { KnownTransactions } from './known-transactions.ts';
import * as repo from './session.repo.ts';
import type { CloseReason, Session } from './session.types.ts';
import { isNewerStop } from './stuck-rules.ts';

/** OCPP 1.6 MeterValues, or a 2.0.1 TransactionEvent's values in its shape (signed values with their signing). */
export type MeterValuesInput = Omit<MeterValuesRequest, 'meterValue'> & { meterValue: MeterValue[] };
/** OCPP 1.6 StopTransaction, or a 2.0.1 Ended TransactionEvent in its shape. */
export type StopInput = Omit<StopTransactionRequest, 'transactionData'> & { transactionData?: MeterValue[] };

export interface SessionServiceOptions {
  db: Knex;
  clock: Clock;
  events: DomainEvents;
  logger: Logger;
  authorize: AuthorizeService;
  /** Which connector ids a charger may name (refused before anything is stored). */
  connectors: Pick<ConnectorLimits, 'check'>;
  /** Group commit of MeterValues (config ingest); defaults: 5 ms window, 500 per transaction. */
  ingest?: { batchWindowMs: number; maxBatch: number; maxConcurrentBatches?: number };
}

/**
 * Hooks run inside the transaction that stops a session (CDR generation, partner pushes). `restated`: the
 * charger's own late StopTransaction replaced the stop of a session cpms had closed (its CDR is replaced).
 */
export type SessionStopHook = (trx: Knex.Transaction, session: Session, ctx: { restated: boolean }) => Promise<void>;

/** cpms closing an ACTIVE session itself: why, who (`operator:<email>` or `apikey:<id>`), the operator's words, and when it ended if known. */
export interface CloseRequest {
  reason: CloseReason;
  closedBy?: string;
  note?: string;
  /** When it ended, if cpms knows better than its last meter value (e.g. the connector's idle report). */
  stopAt?: Date;
}

/**
 * What the start transaction knows of a new session beyond its row, so that its hooks need not read it again:
 * its connector's EVSE, and the token it was authorized with (a hook that links another token, e.g. a remote
 * start's, changes `session.tokenFk`: compare before using `token`).
 */
export interface StartFacts {
  evseFk: number | null;
  token: IdToken | undefined;
}

/** Hooks run inside the transaction that records a new session (tariff snapshot, partner pushes). */
export type SessionStartHook = (trx: Knex.Transaction, session: Session, facts: StartFacts) => Promise<void>;

/** What a MeterValues batch changed for one known session. */
export interface SessionMeterValuesChange {
  sessionId: number;
  samples: Sample[];
  isEnergyUpdated: boolean;
  /** Energy updated, and the session's token is a roaming partner's at a location: the partner follows it. */
  isPartnerSession: boolean;
}

/**
 * Hooks run once per batch of meter values with every session it changed (partner pushes, load management): a
 * hook must not cost a statement per session (issue 8). `db` is the transaction that stores the batch when one
 * of its sessions is a partner's (isPartnerSession); a batch of known sessions that are not is one statement,
 * already committed when its hooks run, and `db` is then the database.
 */
export type SessionMeterValuesHook = (db: Db, changes: readonly SessionMeterValuesChange[]) => Promise<void>;

/** What a start rule decides on: the StartTransaction, the token's authorization and the answer so far. */
export interface StartAttempt {
  chargePointId: string;
  connectorId: number;
  idTag: string;
  auth: AuthorizationResult;
  info: IdTagInfo;
}

/**
 * A rule about new sessions that must be decided in the transaction that inserts the session, so that
 * concurrent starts cannot both pass it (e.g. ConcurrentTx, which locks the token first). Returns the
 * answer, `attempt.info` or a refusal.
 */
export type SessionStartRule = (trx: Knex.Transaction, attempt: StartAttempt) => Promise<IdTagInfo>;

/** The answer given at the start; sessions recorded before it was kept answer as their status says. */
function answerOf(s: Session): { transactionId: number; idTagInfo: IdTagInfo } {
  return { transactionId: s.id, idTagInfo: s.startIdTagInfo ?? { status: s.status === 'INVALID' ? 'Invalid' : 'Accepted' } };
}

/** Transactions: start, meter values, stop. Independent of the OCPP version that reports them. */
export class SessionService {
  private readonly startRules: SessionStartRule[] = [];
  private readonly stopHooks: SessionStopHook[] = [];
  private readonly startHooks: SessionStartHook[] = [];
  private readonly meterValuesHooks: SessionMeterValuesHook[] = [];
  /** Connectors a committed MeterValues registered or found: not looked up again. */
  private readonly knownConnectors = new Set<string>();
  /** Transactions started or found by the ingest path here: their MeterValues skip the session lookup. */
  private readonly knownTransactions = new KnownTransactions();
  /** MeterValues of many chargers share one transaction; each is answered after its commit. */
  readonly meterWriter: GroupCommitWriter<MeterItem, MeterResult>;

  constructor(private readonly o: SessionServiceOptions) {
    const ctx = { hooks: this.meterValuesHooks, isKnownConnector: (cp: string, n: number) => this.knownConnectors.has(`${cp}\u0000${n}`), knownTransactions: this.knownTransactions };
    this.meterWriter = new GroupCommitWriter({
      sink: batchSink((items: readonly MeterItem[]) => writeMeterValues(o.db, items, ctx)),
      windowMs: o.ingest?.batchWindowMs ?? 5,
      maxBatch: o.ingest?.maxBatch ?? 500,
      maxInFlight: o.ingest?.maxConcurrentBatches ?? 1,
    });
  }

  onStop(hook: SessionStopHook): void {
    this.stopHooks.push(hook);
  }

  /** Runs `hook` for each new session, in registration order, inside the start transaction. */
  onStart(hook: SessionStartHook): void {
    this.startHooks.push(hook);
  }

  /** Runs `hook` inside each meter values transaction that stored samples of known sessions, with those sessions as updated. */
  onMeterValues(hook: SessionMeterValuesHook): void {
    this.meterValuesHooks.push(hook);
  }

  /**
   * Runs `rule` inside the transaction that inserts a new session, before the insert and in registration
   * order; each rule may turn the answer into a refusal (the session is then recorded INVALID).
   */
  addStartRule(rule: SessionStartRule): void {
    this.startRules.push(rule);
  }

  /**
   * OCPP 1.6 §4.8 StartTransaction: always records the transaction (the charger may already be charging)
   * and answers with its id. A repeated identical request (offline replay, even concurrent ones) gets the
   * first answer again, without a new authorization: a token blocked meanwhile keeps its running session.
   */
  async start(chargePointId: string, p: StartTransactionRequest): Promise<{ transactionId: number; idTagInfo: IdTagInfo }> {
    const key = await this.startKeyOf(chargePointId, p);
    const replayed = await repo.findSameStart(this.o.db, key);
    if (replayed) return answerOf(replayed);
    const ctx = { chargePointId, connectorId: p.connectorId };
    const auth = await this.o.authorize.authorizeStart(p.idTag, ctx);
    const { session, isNew, closed } = await this.o.db.transaction(async (trx) => {
      let info = auth.info;
      for (const rule of this.startRules) info = await rule(trx, { ...ctx, idTag: p.idTag, auth, info });
      const { row, evseFk } = await this.newSession(trx, key, { auth, info, reservationId: p.reservationId });
      const created = await repo.insertSessionOnce(trx, row);
      // A concurrent identical start committed first: its answer is the answer.
      if (!created) return { session: (await repo.findSameStart(trx, key))!, isNew: false, closed: [] };
      for (const hook of this.startHooks) await hook(trx, created, { evseFk, token: auth.token });
      return { session: created, isNew: true, closed: await this.supersede(trx, created) };
    });
    // The start registered its connector and recorded its session: its MeterValues look neither up. Whether an
    // eMSP follows the session (SHARED of meter-batch.repo.ts) is known here for a new session only; a replayed
    // start's session is looked up by its first MeterValues.
    this.knownConnectors.add(`${chargePointId}\u0000${p.connectorId}`);
    if (isNew) this.knownTransactions.add(chargePointId, session.id, session.locationId !== null && session.tokenFk !== null && auth.token?.id === session.tokenFk && auth.token.partnerFk !== null);
    if (isNew) this.o.events.emit('session.started', { sessionId: session.id });
    for (const c of closed) this.o.events.emit('session.stopped', { sessionId: c.id });
    return answerOf(session);
  }

  /**
   * One transaction per connector (issue 15): a charger runs one transaction at a time on a connector, so
   * of its ACTIVE sessions and the one just recorded only the latest start can still run; the others are
   * closed as SUPERSEDED. Race-safe: the start transaction holds the connector's row lock (newSession).
   */
  private async supersede(trx: Knex.Transaction, created: Session): Promise<Session[]> {
    const active = await repo.listActiveSessionsOnConnectorForUpdate(trx, created.chargePointId, created.connectorNumber);
    const isLater = (a: Session, b: Session) => a.startAt.getTime() > b.startAt.getTime() || (a.startAt.getTime() === b.startAt.getTime() && a.id > b.id);
    const latest = active.reduce((best, s) => (isLater(s, best) ? s : best), created);
    const closed: Session[] = [];
    for (const s of active) {
      if (s.id === latest.id) continue;
      closed.push(await this.closeLocked(trx, s, { reason: 'SUPERSEDED', note: `superseded by transaction ${latest.id}` }));
      this.o.logger.warn('session superseded by a newer transaction on its connector', { chargePointId: s.chargePointId, connectorId: s.connectorNumber, sessionId: s.id, by: latest.id });
    }
    return closed;
  }

  /** The start key of a StartTransaction, after the range checks of its fields. */
  private async startKeyOf(chargePointId: string, p: StartTransactionRequest): Promise<repo.StartKey> {
    const startAt = parseTimestamp(p.timestamp, 'timestamp');
    checkInteger(p.meterStart, 'meterStart', REGISTER_WH);
    if (p.reservationId !== undefined) checkInteger(p.reservationId, 'reservationId', INT4);
    // OCPP 1.6 §4.8: a transaction runs on a real connector (0 is the charge point itself).
    await this.o.connectors.check(chargePointId, p.connectorId, { allowWholeCharger: false });
    return { chargePointId, connectorNumber: p.connectorId, idTag: p.idTag, meterStartWh: p.meterStart, startAt };
  }

  private async newSession(trx: Knex.Transaction, key: repo.StartKey, a: { auth: AuthorizationResult; info: IdTagInfo; reservationId?: number }): Promise<{ row: repo.NewSession; evseFk: number | null }> {
    const party = await getDefaultParty(trx);
    // Starts on one connector are serialized: each sees the sessions the previous one left ACTIVE.
    const { connector, evse } = await lockConnectorOf(trx, key.chargePointId, key.connectorNumber);
    const row: repo.NewSession = {
      ...key,
      uid: newUuid(),
      partyFk: party.id,
      connectorFk: connector.id,
      locationId: evse?.locationId ?? null,
      evseUid: evse?.uid ?? null,
      tokenFk: a.auth.token?.id ?? null,
      authMethod: a.auth.authMethod,
      // OCPI 2.2.1 tokens §12.3.1: the eMSP's reference goes on the Session and CDR
      authorizationReference: a.auth.authorizationReference ?? null,
      reservationId: a.reservationId ?? null,
      status: a.info.status === 'Accepted' ? 'ACTIVE' : 'INVALID',
      startIdTagInfo: a.info,
    };
    return { row, evseFk: connector.evseFk };
  }

  /**
   * OCPP 1.6 §7.2 ConcurrentTx: whether the token is charging elsewhere. For a StartTransaction (a
   * connector given) any other connector counts; for an Authorize only another charger, since at its own
   * charger the driver may be presenting the card to stop. Read through `db` when given (a transaction).
   */
  async hasActiveSessionElsewhere(tokenFk: number, ctx: { chargePointId: string; connectorId?: number }, db: Db = this.o.db): Promise<boolean> {
    return repo.hasActiveSessionOfTokenElsewhere(db, tokenFk, { chargePointId: ctx.chargePointId, connectorNumber: ctx.connectorId });
  }

  /** The session, locked until the end of `trx` (billing it again must not race a stop or another request). */
  async findForUpdate(trx: Knex.Transaction, id: number): Promise<Session | undefined> {
    return repo.findSessionForUpdate(trx, id);
  }

  /**
   * OCPP 1.6 §4.7 MeterValues: stores every sample once (a repeated one is skipped); the energy register
   * drives the session's kWh.
   */
  async recordMeterValues(chargePointId: string, p: MeterValuesInput): Promise<void> {
    // OCPP 1.6 §4.7: connectorId 0 = the charge point's main meter.
    await this.o.connectors.check(chargePointId, p.connectorId, { allowWholeCharger: true });
    // An unknown but storable transactionId is recorded without a session, as before.
    if (p.transactionId !== undefined) checkInteger(p.transactionId, 'transactionId', INT4);
    const samples = flattenMeterValues(p.meterValue);
    // Answered only once committed (group commit, issue 8): a charger's CALLRESULT means its data is durable.
    const result = await this.meterWriter.submit({ chargePointId, connectorNumber: p.connectorId, transactionId: p.transactionId, samples });
    this.knownConnectors.add(`${chargePointId}\u0000${p.connectorId}`);
    if (result.isUnknownTransaction) this.o.logger.warn('meter values for an unknown transaction', { chargePointId, transactionId: p.transactionId });
    if (result.updatedSessionId !== undefined) this.o.events.emit('session.updated', { sessionId: result.updatedSessionId });
  }

  /**
   * OCPP 1.6 §4.10 StopTransaction: closes the session with the final register and reason and stores
   * transactionData. A repeated stop (offline replay) changes nothing; an unknown transaction is logged
   * and acknowledged, as the charger cannot do anything else with it.
   */
  async stop(chargePointId: string, p: StopInput): Promise<{ idTagInfo?: IdTagInfo }> {
    checkInteger(p.transactionId, 'transactionId', INT4);
    checkInteger(p.meterStop, 'meterStop', REGISTER_WH);
    const stopAt = parseTimestamp(p.timestamp, 'timestamp');
    // An unstorable sample (e.g. a signed blob with a NUL) is left out rather than the stop refused: the charger would resend it for ever.
    const { meterValues: storable, dropped } = storableMeterValues(p.transactionData ?? []);
    if (dropped > 0) this.o.logger.warn('StopTransaction transactionData: sampled values that cannot be stored left out', { chargePointId, transactionId: p.transactionId, dropped });
    const transactionData = flattenMeterValues(storable, 'transactionData');
    const idTagInfo = p.idTag ? (await this.o.authorize.authorize(p.idTag)).info : undefined;
    const stopped = await this.o.db.transaction(async (trx) => {
      // Locked: a close by cpms (supersede, jobs, operator) and this stop are applied one after the other.
      const session = await repo.findSessionOfChargePointForUpdate(trx, chargePointId, p.transactionId);
      if (!session) {
        this.o.logger.warn('StopTransaction for an unknown transaction', { chargePointId, transactionId: p.transactionId });
        return undefined;
      }
      const restated = session.stopAt !== null;
      // A repeated stop changes nothing; the charger's late stop of a session cpms closed counts if it is newer.
      if (restated && !this.isLateNewerStop(session, { stopAt, meterStopWh: p.meterStop })) return undefined;
      await repo.insertSamples(trx, { chargePointId, connectorNumber: session.connectorNumber, sessionFk: session.id }, transactionData);
      const fields = { meterStopWh: p.meterStop, stopAt, reason: p.reason ?? 'Local', stopIdTag: p.idTag ?? null, transactionData: p.transactionData && storable };
      return this.finishStop(trx, session.id, { ...fields, status: session.status === 'INVALID' ? 'INVALID' : 'COMPLETED' }, { restated });
    });
    if (stopped) this.o.events.emit('session.stopped', { sessionId: stopped.id });
    return idTagInfo ? { idTagInfo } : {};
  }

  /**
   * Issue 15: a StopTransaction for a session cpms closed itself is acknowledged, and applied only when it
   * carries newer data than the close (later time or higher register); otherwise it is ignored.
   */
  private isLateNewerStop(session: Session, stop: { stopAt: Date; meterStopWh: number }): boolean {
    if (session.closeReason === null || session.status !== 'COMPLETED') return false;
    const closed = { stopAt: session.stopAt!, meterStopWh: session.meterStopWh ?? session.meterStartWh + session.energyWh };
    const isNewer = isNewerStop(closed, stop);
    this.o.logger.info(isNewer ? 'late StopTransaction with newer data: the session is restated' : 'late StopTransaction ignored: no newer data', { sessionId: session.id, closeReason: session.closeReason });
    return isNewer;
  }

  /** Stores the stop and runs the stop hooks (CDR, pushes) in `trx`; returns the session as stopped. */
  private async finishStop(trx: Knex.Transaction, sessionId: number, fields: repo.StopFields, ctx: { restated: boolean }): Promise<Session> {
    await repo.updateSessionStop(trx, sessionId, fields);
    const final = await repo.getSession(trx, sessionId);
    for (const hook of this.stopHooks) await hook(trx, final, ctx);
    return final;
  }

  /**
   * Closes an ACTIVE session by cpms (issue 15): stopped through the ordinary stop path, so its CDR is built
   * and pushed once, at its last meter value (or `req.stopAt` when later) with OCPP reason `Other` and the
   * close reason recorded. Undefined when the session is unknown or no longer ACTIVE (nothing changes).
   */
  async close(sessionId: number, req: CloseRequest): Promise<Session | undefined> {
    const closed = await this.o.db.transaction(async (trx) => {
      const session = await repo.findSessionForUpdate(trx, sessionId);
      if (!session || session.status !== 'ACTIVE' || session.stopAt) return undefined;
      return this.closeLocked(trx, session, req);
    });
    if (closed) this.o.events.emit('session.stopped', { sessionId: closed.id });
    return closed;
  }

  /** Closes `session` (ACTIVE, locked by the caller's `trx`). */
  private async closeLocked(trx: Knex.Transaction, session: Session, req: CloseRequest): Promise<Session> {
    const lastKnown = session.lastMeterAt && session.lastMeterAt > session.startAt ? session.lastMeterAt : session.startAt;
    const stopAt = req.stopAt && req.stopAt > lastKnown ? req.stopAt : lastKnown;
    const close = { reason: req.reason, closedBy: req.closedBy ?? null, note: req.note ?? null };
    const fields = { meterStopWh: session.meterStartWh + session.energyWh, stopAt, reason: 'Other', stopIdTag: null, transactionData: undefined, status: 'COMPLETED' as const, close };
    return this.finishStop(trx, session.id, fields, { restated: false });
  }
}
