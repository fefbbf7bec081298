// Pushes of sessions to the eMSP that owns the session's token, and only to it (OCPI 2.2.1 sessions
// §9.1.1 push model), queued in the outbox inside the session service's transactions.
import type { Knex } from 'knex';
import { inTransaction } from '../db/in-transaction.ts';
import { enqueuePush, findPartner } from '../partners/partner.service.ts';
import { findEndpoint } from '../partners/partner.types.ts';
import type { SessionService } from './session.service.ts';
import { buildChargingPeriods, sessionStartCursor, sessionStopCursor, toEnergyReadings, toOcpiSession, toSessionPatch } from './ocpi.mapper.ts';
import { findSessionContext, listRegisterSamples, updatePeriodsCursor, type SessionContext } from './ocpi.repo.ts';

export interface SessionPushOptions {
  /** Currency of a session that has none (no tariff known). */
  defaultCurrency: string;
  /** Shortest charging period; also the PATCH throttle while a session runs. */
  minPeriodMs?: number;
}

/** The session's token owner when it is a registered eMSP with a sessions RECEIVER; local tokens have none. */
async function receiverOf(trx: Knex.Transaction, sessionId: number): Promise<{ ctx: SessionContext; partnerFk: number } | undefined> {
  const ctx = await findSessionContext(trx, sessionId);
  if (!ctx || ctx.partnerFk === null) return undefined;
  const partner = await findPartner(trx, ctx.partnerFk);
  if (!partner || partner.status !== 'REGISTERED' || !findEndpoint(partner, 'sessions', 'RECEIVER')) return undefined;
  return { ctx, partnerFk: partner.id };
}

async function enqueue(trx: Knex.Transaction, target: { ctx: SessionContext; partnerFk: number }, method: 'PUT' | 'PATCH', body: unknown): Promise<void> {
  const { ctx } = target;
  const seg = encodeURIComponent;
  await enqueuePush(trx, {
    partnerFk: target.partnerFk,
    module: 'sessions',
    role: 'RECEIVER',
    method,
    // sessions §9.2.2: {sessions_endpoint_url}/{country_code}/{party_id}/{session_id}, the CPO's party
    path: `/${seg(ctx.party.countryCode)}/${seg(ctx.party.partyId)}/${seg(ctx.session.uid)}`,
    body,
    objectKey: `session:${ctx.session.uid}`,
    toParty: { countryCode: ctx.token.countryCode, partyId: ctx.token.partyId },
    fromParty: ctx.party,
  });
}

/** PUT of the new Session (sessions §9.2.2.2). */
export async function pushSessionStart(trx: Knex.Transaction, sessionId: number, o: SessionPushOptions): Promise<void> {
  const target = await receiverOf(trx, sessionId);
  if (!target) return;
  const { ctx } = target;
  const session = toOcpiSession({ ...ctx, readings: [], defaultCurrency: o.defaultCurrency }, { minPeriodMs: o.minPeriodMs });
  await enqueue(trx, target, 'PUT', session);
}

/**
 * PATCH with kwh, status, cost and the charging periods closed since the last PATCH (sessions §9.2.2.3:
 * a PATCH appends periods). While the session runs, nothing is sent until a period closes, which
 * throttles PATCHes to one per `minPeriodMs` of meter time; at the stop the last period is always sent.
 */
export async function pushSessionUpdate(trx: Knex.Transaction, sessionId: number, o: SessionPushOptions): Promise<void> {
  const target = await receiverOf(trx, sessionId);
  if (!target) return;
  const { session, periodsUntil } = target.ctx;
  const samples = (await listRegisterSamples(trx, [session.id])).get(session.id) ?? [];
  const stop = sessionStopCursor(session);
  const built = buildChargingPeriods(periodsUntil ?? sessionStartCursor(session), toEnergyReadings(samples), { stop, minPeriodMs: o.minPeriodMs });
  if (!stop && built.periods.length === 0) return;
  await enqueue(trx, target, 'PATCH', toSessionPatch(session, built.periods));
  if (built.periods.length > 0) await updatePeriodsCursor(trx, session.id, built.cursor);
}

/** Wires the pushes to the session hooks, which run inside the start / meter values / stop transactions. */
export function registerSessionPushes(sessions: SessionService, o: SessionPushOptions): void {
  // A session without a token, or with the operator's own token, has no eMSP to follow it.
  sessions.onStart(async (trx, session, { token }) => {
    const isOwn = session.tokenFk === null || (token?.id === session.tokenFk && token.partnerFk === null);
    if (!isOwn) await pushSessionStart(trx, session.id, o);
  });
  // The batch's energy update tells which sessions an eMSP follows (most tokens are the operator's own). Such a
  // batch is written in a transaction, and the push is queued in it; should a batch written as one statement
  // name one after all (its session was known not to be followed), its push gets a transaction of its own.
  sessions.onMeterValues(async (db, changes) => {
    for (const c of changes) if (c.isPartnerSession) await inTransaction(db, (trx) => pushSessionUpdate(trx, c.sessionId, o));
  });
  sessions.onStop((trx, session) => pushSessionUpdate(trx, session.id, o));
}
