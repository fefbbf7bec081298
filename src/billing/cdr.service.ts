import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, NotFound } from '../shared/errors.ts';
import { newUuid } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import type { Session } from '../sessions/session.types.ts';
import type { SessionService } from '../sessions/session.service.ts';
import type { TariffService } from '../tariffs/tariff.service.ts';
import { enqueuePush, findPartner } from '../partners/partner.service.ts';
import { findEndpoint } from '../partners/partner.types.ts';
import { buildCdr, buildCreditCdr, timesProblem, type CdrSources } from './cdr-builder.ts';
import { NotBillable } from './not-billable.ts';
import { toSignedData } from './signed-data.ts';
import * as cdrs from './cdr.repo.ts';
import * as src from './cdr-source.repo.ts';
import type { CdrRecord, OcpiCdr } from './cdr.types.ts';
import { closeRemark, replacementRemark } from '../sessions/stuck-rules.ts';

export interface CdrServiceOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  /** Currency of sessions without a tariff snapshot (priced at zero). */
  defaultCurrency: string;
  /** A longer session is not billed automatically (config billing.maxSessionDays). */
  maxSessionDays: number;
  sessions: Pick<SessionService, 'findForUpdate'>;
  tariffs: Pick<TariffService, 'snapshotForSession'>;
  newId?: () => string;
}

/** Why a CDR could not be built from what is stored; recorded on the session (cdr_error). */
class MissingSource extends Error {}

/** OCPI 2.2.1 sessions §9.4.2: an INVALID session's start was refused; it is never billed. */
const NEVER_BILLED = 'session INVALID: its start was refused, never billed';

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new MissingSource(what);
  return value;
}

/**
 * CDR generation and credit CDRs. A CDR is built and stored inside the transaction that stops the
 * session, and its POST to the eMSP owning the token is queued in the outbox in that same transaction:
 * committed together, so a CDR is never lost and never queued twice (one CDR per session, unique index).
 */
export class CdrService {
  constructor(private readonly o: CdrServiceOptions) {}

  /**
   * SessionService stop hook: runs inside the stop transaction. Builds, stores and queues the CDR, or
   * records on the session why there is none (cdr_status FAILED / NOT_BILLABLE with cdr_error): a stop is
   * never refused for billing (the charger would retry it forever), and no session ends unbilled silently.
   */
  async onSessionStopped(trx: Knex.Transaction, session: Session, ctx: { restated: boolean } = { restated: false }): Promise<CdrRecord | undefined> {
    if (!session.stopAt) return undefined;
    if (session.status === 'INVALID') {
      await src.updateSessionBilling(trx, session.id, { status: 'NOT_BILLABLE', error: NEVER_BILLED });
      return undefined;
    }
    const current = await cdrs.findCdrOfSession(trx, session.id);
    if (current && !ctx.restated) return undefined;
    const outcome = current ? await this.replace(trx, session, current) : await this.bill(trx, session);
    return 'record' in outcome ? outcome.record : undefined;
  }

  /**
   * Issue 15: the charger's own late StopTransaction restated a session cpms had closed and billed. Its CDR
   * is credited (OCPI 2.2.1 cdrs §10.2.1.1: a CDR is never changed; a credit CDR cancels it) unless the
   * operator credited it already, and a replacement CDR built from the restated session names the one it
   * replaces: the eMSP gets the credit, then the replacement (same ordering key), never both charges.
   */
  private async replace(trx: Knex.Transaction, session: Session, current: CdrRecord): Promise<{ record: CdrRecord } | { reason: string }> {
    if (!(await cdrs.findCreditOf(trx, current.partyFk, current.cdrId))) await this.insertCredit(trx, current, { remark: 'Credited: replaced after the charger\'s own late stop' });
    return this.bill(trx, session, { replaces: current });
  }

  /**
   * The CDR of a stopped session that has none (POST /sessions/{id}/cdr), once the operator fixed what
   * kept it from being billed: built, stored and queued to the eMSP as at a stop. Conflict when it runs or
   * already has one; NotBillable (with the reason, recorded on the session) when it still cannot be billed.
   */
  async billSession(sessionId: number): Promise<CdrRecord> {
    const outcome = await this.o.db.transaction(async (trx) => {
      const session = await this.o.sessions.findForUpdate(trx, sessionId);
      if (!session) throw new NotFound(`session ${sessionId} not found`);
      if (!session.stopAt) throw new Conflict(`session ${sessionId} is still running: its CDR is created when it stops`);
      if (session.status === 'INVALID') throw new NotBillable(`session ${sessionId}: ${NEVER_BILLED}`);
      const existing = await cdrs.findCdrOfSession(trx, sessionId);
      if (existing) throw new Conflict(`session ${sessionId} already has CDR ${existing.id} (${existing.cdrId}); correct it with a credit CDR`);
      return this.bill(trx, session);
    });
    // Thrown after the commit: the reason stays recorded on the session.
    if ('reason' in outcome) throw new NotBillable(`session ${sessionId} cannot be billed: ${outcome.reason}`);
    return outcome.record;
  }

  /**
   * What an ACTIVE session has cost so far: its CDR priced as if it stopped at its last meter value, not
   * stored (e.g. for the ad hoc bound). Undefined when the session is not ACTIVE or cannot be priced yet.
   */
  async costSoFar(sessionId: number): Promise<{ currency: string; exclVat: number; inclVat: number } | undefined> {
    return this.o.db.transaction(async (trx) => {
      const session = await this.o.sessions.findForUpdate(trx, sessionId);
      if (!session || session.status !== 'ACTIVE') return undefined;
      const asIfStopped = { ...session, stopAt: session.lastMeterAt ?? session.startAt, meterStopWh: session.meterStartWh + session.energyWh };
      const built = await this.build(trx, asIfStopped, undefined);
      if ('reason' in built) return undefined;
      const { total_cost: cost, currency } = built.body;
      return { currency, exclVat: cost.excl_vat, inclVat: cost.incl_vat ?? cost.excl_vat };
    });
  }

  /** The total of a stopped session's CDR (incl. VAT), or undefined when it has none (not billable). */
  async finalCost(sessionId: number): Promise<{ currency: string; inclVat: number } | undefined> {
    const cdr = await cdrs.findCdrOfSession(this.o.db, sessionId);
    return cdr ? { currency: cdr.currency, inclVat: Number(cdr.totalCostInclVat) } : undefined;
  }

  /** Builds, stores and queues the CDR of a stopped session, or records on it why it cannot be built. */
  private async bill(trx: Knex.Transaction, stopped: Session, o: { replaces?: CdrRecord } = {}): Promise<{ record: CdrRecord } | { reason: string }> {
    const log = this.o.logger.child({ chargePointId: stopped.chargePointId, sessionId: stopped.uid });
    const session = await this.placed(trx, stopped);
    const remark = o.replaces ? replacementRemark(o.replaces.cdrId, session.closeReason) : session.closeReason ? closeRemark(session.closeReason) : undefined;
    const built = await this.build(trx, session, remark);
    if ('reason' in built) {
      await src.updateSessionBilling(trx, session.id, { status: 'FAILED', error: built.reason });
      log.error('no CDR for session', { reason: built.reason });
      return built;
    }
    const { body, partnerFk } = built;
    // OCPI 2.2.1 cdrs §10.4.7/§10.4.8: a value too long for the CDR is left out, never a CDR the eMSP must refuse.
    if (built.signedOmitted.length) log.warn('CDR signed_data: signed meter values left out', { omitted: built.signedOmitted });
    const record = await cdrs.insertCdr(trx, { partyFk: session.partyFk, sessionFk: session.id, partnerFk, body, createdAt: built.now, replacesCdrFk: o.replaces?.id ?? null });
    await src.updateSessionCost(trx, session.id, { currency: body.currency, exclVat: record.totalCostExclVat, inclVat: record.totalCostInclVat });
    await src.updateSessionBilling(trx, session.id, { status: 'CREATED', error: null });
    // A replacement follows its original's credit: same ordering key.
    await this.push(trx, record, o.replaces?.cdrId ?? body.id);
    log.info('CDR created', { cdrId: body.id, totalCost: record.totalCostInclVat, currency: body.currency, partnerFk, replaces: o.replaces?.cdrId });
    return { record };
  }

  /**
   * A session started before its charger was attached to a location has none; once its connector has an
   * EVSE it gets that location and EVSE, and the tariff that was in force there at its start.
   */
  private async placed(trx: Knex.Transaction, session: Session): Promise<Session> {
    if (session.locationId || session.connectorFk === null) return session;
    const site = await src.findSiteOfConnector(trx, session.connectorFk);
    if (!site) return session;
    await src.updateSessionSite(trx, session.id, site);
    const placed = { ...session, ...site };
    await this.o.tariffs.snapshotForSession(trx, placed);
    return placed;
  }

  /** The CDR body, or why it cannot be built; only pure code may fail here (the transaction stays usable). */
  private async build(trx: Knex.Transaction, session: Session, remark: string | undefined): Promise<{ body: OcpiCdr; partnerFk: number | null; now: Date; signedOmitted: string[] } | { reason: string }> {
    let loaded: { sources: CdrSources; partnerFk: number | null };
    try {
      loaded = await this.loadSources(trx, session, remark);
    } catch (err) {
      if (!(err instanceof MissingSource)) throw err; // a database error aborts the stop: the charger retries
      return { reason: `no ${err.message}` };
    }
    const problem = timesProblem(session.startAt, session.stopAt!, this.o.maxSessionDays);
    if (problem) return { reason: problem };
    try {
      const signedOmitted = toSignedData(loaded.sources.samples).omitted;
      return { body: buildCdr(loaded.sources), partnerFk: loaded.partnerFk, now: loaded.sources.now, signedOmitted };
    } catch (err) {
      return { reason: `cannot price it: ${(err as Error).message}` };
    }
  }

  private async loadSources(trx: Db, session: Session, remark: string | undefined): Promise<{ sources: CdrSources; partnerFk: number | null }> {
    const party = required(await src.findPartyRef(trx, session.partyFk), 'party of the session');
    const location = required(session.locationId ? await src.findLocationSource(trx, session.locationId) : undefined, `location: charger ${session.chargePointId} is not attached to one (attach it, then ask for the CDR)`);
    const evse = required(session.evseUid ? await src.findEvseSource(trx, session.evseUid) : undefined, `EVSE ${session.evseUid ?? ''}`.trim());
    const connector = required(session.connectorFk ? await src.findConnectorSource(trx, session.connectorFk) : undefined, `connector ${session.connectorNumber} of charger ${session.chargePointId}`);
    const token = session.tokenFk ? await src.findTokenSource(trx, session.tokenFk) : undefined;
    const stopAt = session.stopAt!;
    const sources: CdrSources = {
      id: (this.o.newId ?? newUuid)(),
      party,
      session: { uid: session.uid, startAt: session.startAt, stopAt, authMethod: session.authMethod, authorizationReference: session.authorizationReference, meterStartWh: session.meterStartWh, meterStopWh: session.meterStopWh ?? session.meterStartWh + session.energyWh },
      samples: await src.listSessionSamples(trx, session.id),
      statuses: await src.listConnectorStatuses(trx, { chargePointId: session.chargePointId, connectorNumber: session.connectorNumber, from: session.startAt, until: stopAt }),
      tariff: await src.findTariffSnapshot(trx, session.id),
      // a session without a tariff is free in its party's currency (issue 9: many jurisdictions)
      defaultCurrency: party.currency ?? this.o.defaultCurrency,
      location,
      evse,
      connector,
      // An idTag without a token row (accepted by the operator's own rules) is the operator's own token.
      token: token
        ? { country_code: token.countryCode, party_id: token.partyId, uid: token.uid, type: token.type, contract_id: token.contractId }
        : { country_code: party.countryCode, party_id: party.partyId, uid: session.idTag, type: 'RFID', contract_id: session.idTag },
      meterId: await src.findMeterId(trx, session.chargePointId),
      // Issue 15: a session cpms closed itself says so and why (OCPI Session has no such field; the CDR does).
      remark,
      now: this.o.clock.now(),
    };
    return { sources, partnerFk: token?.partnerFk ?? null };
  }

  /**
   * OCPI 2.2.1 cdrs §10.1.3 push model: POST to the cdrs RECEIVER of the eMSP that owns the token, and to
   * no other partner. The ordering key is the original CDR's, so a credit CDR is delivered after it.
   * An eMSP without a cdrs RECEIVER pulls them from our SENDER instead.
   */
  private async push(trx: Db, record: CdrRecord, orderingId: string): Promise<void> {
    if (record.partnerFk === null) return;
    const partner = await findPartner(trx, record.partnerFk);
    if (!partner || partner.status !== 'REGISTERED' || !findEndpoint(partner, 'cdrs', 'RECEIVER')) return;
    const body = record.body;
    await enqueuePush(trx, {
      partnerFk: partner.id,
      module: 'cdrs',
      role: 'RECEIVER',
      method: 'POST',
      path: '',
      body,
      objectKey: `cdr:${orderingId}`,
      toParty: { countryCode: body.cdr_token.country_code, partyId: body.cdr_token.party_id },
      fromParty: { countryCode: body.country_code, partyId: body.party_id },
    });
  }

  /** OCPI 2.2.1 cdrs §10.2.1.1: issues (and pushes) the credit CDR of CDR `id`; at most one per CDR. */
  async credit(id: number, opts: { remark?: string } = {}): Promise<CdrRecord> {
    return this.o.db.transaction(async (trx) => {
      const original = await cdrs.getCdr(trx, id);
      if (original.credit) throw new Conflict(`cdr ${id} is a credit CDR and cannot be credited`);
      if (await cdrs.findCreditOf(trx, original.partyFk, original.cdrId)) throw new Conflict(`cdr ${id} has already been credited`);
      return this.insertCredit(trx, original, opts);
    });
  }

  /** Stores and queues the credit CDR of `original` (ordered after it: same ordering key). */
  private async insertCredit(trx: Knex.Transaction, original: CdrRecord, opts: { remark?: string }): Promise<CdrRecord> {
    const now = this.o.clock.now();
    const body = buildCreditCdr(original.body, { now, remark: opts.remark });
    const record = await cdrs.insertCdr(trx, { partyFk: original.partyFk, sessionFk: original.sessionFk, partnerFk: original.partnerFk, body, createdAt: now });
    await this.push(trx, record, original.cdrId);
    this.o.logger.info('credit CDR created', { cdrId: body.id, creditReferenceId: original.cdrId });
    return record;
  }

  get(id: number): Promise<CdrRecord> {
    return cdrs.getCdr(this.o.db, id);
  }

  list(filter: cdrs.CdrFilter & { offset: number; limit: number }): Promise<{ items: CdrRecord[]; total: number }> {
    return cdrs.listCdrs(this.o.db, filter);
  }
}
