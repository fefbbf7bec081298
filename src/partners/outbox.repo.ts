import { dbNow } from '../db/clock.ts';
import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { InterfaceRole, PartyRef } from './partner.types.ts';

const TABLE = 'ocpi_outbox';

export type PushMethod = 'PUT' | 'PATCH' | 'POST' | 'DELETE';
/**
 * PENDING/SENDING rows are queued. DELIVERED, DEAD (can never be delivered, or gave up after
 * ocpi.push.maxAttempts) and CANCELLED (partner unregistered) are final until an operator retries one.
 */
export type OutboxStatus = 'PENDING' | 'SENDING' | 'DELIVERED' | 'DEAD' | 'CANCELLED';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['PENDING', 'SENDING', 'DELIVERED', 'DEAD', 'CANCELLED'];

/** SQL condition of a queued row; the partial indexes of ocpi_outbox use the same one. */
const QUEUED = "status in ('PENDING', 'SENDING')";

/**
 * The ClientInfo that makes outbox row `o` unsendable: the hub the row goes to (its partner) reports the
 * row's party (to_party) as not CONNECTED. OCPI 2.2.1 hubclientinfo §15.1: no requests can be sent to an
 * OFFLINE, PLANNED or SUSPENDED party. A row without to_party, or for a party the hub never reported, is
 * sendable. One row at most (hub_client_info is unique per hub and party, and that unique index serves
 * the lookup).
 */
const UNREACHABLE_CLIENT_INFO = `select h.status from hub_client_info h
  where h.partner_fk = o.partner_fk and h.country_code = upper(o.to_party->>'country_code')
    and h.party_id = upper(o.to_party->>'party_id') and h.status <> 'CONNECTED'`;

/** Appended to "party DE/ABC is OFFLINE at the hub" in last_error of a row cancelled for that reason. */
const UNREACHABLE_REASON = ': not sent (hubclientinfo §15.1: no pushes are queued for it; it gets back in sync with GET once CONNECTED)';

export interface PushRequest {
  partnerFk: number;
  module: string;
  /** The partner's interface role the push goes to (RECEIVER). */
  role: InterfaceRole;
  method: PushMethod;
  /** Appended to the partner's module URL, e.g. '/NL/CPM/LOC1'. */
  path: string;
  /** An absolute URL the partner gave instead (a command's `response_url`); `path` is then ignored. */
  url?: string;
  body?: unknown;
  /** Ordering key: deliveries with the same key go strictly in enqueue order, e.g. 'location:LOC1'. */
  objectKey: string;
  /** OCPI-to-* party; default: the partner's party. */
  toParty?: PartyRef;
  /** OCPI-from-* party (our party that owns the object); default: our default party. */
  fromParty?: PartyRef;
}

export interface OutboxRow extends Omit<PushRequest, 'body'> {
  id: number;
  body: unknown;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** Emits 'enqueued' after a push is committed, so that a worker on this node delivers it at once. */
export const outboxSignal = new EventEmitter();

const toParty = (v: any): PartyRef | undefined => (v ? { countryCode: v.country_code, partyId: v.party_id } : undefined);
const fromRef = (p?: PartyRef): string | null => (p ? JSON.stringify({ country_code: p.countryCode, party_id: p.partyId }) : null);

function toRow(r: Record<string, any>): OutboxRow {
  return {
    id: Number(r.id), partnerFk: r.partner_fk, module: r.module, role: r.role, method: r.method, path: r.path, body: r.body ?? undefined,
    url: r.url ?? undefined, objectKey: r.object_key, toParty: toParty(r.to_party), fromParty: toParty(r.from_party), status: r.status, attempts: r.attempts,
    nextAttemptAt: new Date(r.next_attempt_at), lastError: r.last_error ?? null, deliveredAt: r.delivered_at ? new Date(r.delivered_at) : null,
    createdAt: new Date(r.created_at),
  };
}

/**
 * Queues a push to a partner. Call it INSIDE the transaction of the change that causes it: the push
 * exists exactly when the change is committed. Returns the outbox id.
 */
export async function enqueuePush(trx: Db, push: PushRequest): Promise<number> {
  const [row] = await trx(TABLE)
    .insert({
      partner_fk: push.partnerFk, module: push.module, role: push.role, method: push.method, path: push.path,
      body: push.body === undefined ? null : JSON.stringify(push.body), url: push.url ?? null, object_key: push.objectKey,
      to_party: fromRef(push.toParty), from_party: fromRef(push.fromParty),
      created_at: dbNow(trx), next_attempt_at: dbNow(trx),
    })
    .returning('id');
  const committed = (trx as Knex.Transaction).executionPromise;
  if (committed) committed.then(() => outboxSignal.emit('enqueued'), () => undefined); // rolled back: nothing to send
  else outboxSignal.emit('enqueued');
  return Number(row.id);
}

/**
 * Cancels the due rows whose party is not CONNECTED at their hub (UNREACHABLE_CLIENT_INFO), no attempt
 * counted, and returns them. OCPI 2.2.1 hubclientinfo §15.1: OFFLINE "Do not queue Push messages. When the
 * other party comes back online, it is their responsibility to do a GET to get back in sync"; SUSPENDED
 * and PLANNED: no requests either. Due: PENDING, or SENDING whose lease ran out (its node is gone); a row
 * in flight keeps its lease and its outcome. A cancelled row does not hold back the later rows of its key.
 */
async function cancelUnreachablePushes(trx: Db, now: Date): Promise<OutboxRow[]> {
  const { rows } = await trx.raw(
    `update ocpi_outbox u set status = 'CANCELLED',
            last_error = 'party ' || upper(u.to_party->>'country_code') || '/' || upper(u.to_party->>'party_id') || ' is ' || c.party_status || ' at the hub' || ?
       from (select o.id, ci.status as party_status from ocpi_outbox o cross join lateral (${UNREACHABLE_CLIENT_INFO}) ci
              where o.${QUEUED} and o.next_attempt_at <= ?
              for update of o skip locked) c
      where u.id = c.id
      returning u.*`,
    [UNREACHABLE_REASON, now],
  );
  return rows.map(toRow);
}

/**
 * Claims up to `limit` due rows for delivery and leases them until `leaseUntil`: each is the oldest
 * queued row of its (partner, object key), its partner is registered, and no other node holds it
 * (FOR UPDATE SKIP LOCKED). A node that dies mid-delivery leaves a lease that expires, and the row is
 * sent again (same body: a receiver dedupes a re-POSTed CDR by its id). In the same transaction, the due
 * rows to a party that its hub reports not CONNECTED are cancelled first (cancelUnreachablePushes), and
 * handed to `onCancelled` after the commit.
 */
export async function claimDuePushes(
  db: Knex,
  opts: { now: Date; leaseUntil: Date; limit: number; onCancelled?: (rows: OutboxRow[]) => void },
): Promise<OutboxRow[]> {
  // Due: next_attempt_at at or before now. Both come from the same clock (enqueuePush writes the clock's
  // time, not the database's now()), so a row queued in this very millisecond is due too.
  const { cancelled, claimed } = await db.transaction(async (trx) => {
    const cancelled = await cancelUnreachablePushes(trx, opts.now);
    // A DEAD or CANCELLED row does not hold back the later rows of its key (see retryPush for the rule).
    // The check of the party again: a hub's report committed since the cancelling never lets a row out.
    // Oldest due first, in the order of ocpi_outbox_due (next_attempt_at, id): the scan stops after
    // `limit` rows instead of walking the table by id past every queued row that is not due (backing off).
    const { rows } = await trx.raw(
      `select o.id from ocpi_outbox o join ocpi_partners p on p.id = o.partner_fk
        where o.${QUEUED} and o.next_attempt_at <= ? and p.status = 'REGISTERED'
          and not exists (select 1 from ocpi_outbox e where e.partner_fk = o.partner_fk and e.object_key = o.object_key
                           and e.id < o.id and e.${QUEUED})
          and not exists (${UNREACHABLE_CLIENT_INFO})
        order by o.next_attempt_at, o.id limit ? for update of o skip locked`,
      [opts.now, opts.limit],
    );
    if (rows.length === 0) return { cancelled, claimed: [] };
    const leased = await trx(TABLE)
      .whereIn('id', rows.map((r: { id: string }) => r.id))
      .update({ status: 'SENDING', attempts: trx.raw('attempts + 1'), next_attempt_at: opts.leaseUntil })
      .returning('*');
    return { cancelled, claimed: leased.map(toRow).sort((a, b) => a.id - b.id) };
  });
  if (cancelled.length > 0) opts.onCancelled?.(cancelled);
  return claimed;
}

/** Records an acknowledged row; also one cancelled while in flight: the partner did get it. */
export async function markPushDelivered(db: Db, id: number, at: Date): Promise<void> {
  await db(TABLE).where({ id }).whereIn('status', ['SENDING', 'CANCELLED']).update({ status: 'DELIVERED', delivered_at: at, last_error: null });
}

/** Puts a failed row back in the queue, due again at `nextAttemptAt`. */
export async function markPushFailed(db: Db, id: number, opts: { nextAttemptAt: Date; error: string }): Promise<void> {
  await db(TABLE).where({ id, status: 'SENDING' }).update({ status: 'PENDING', next_attempt_at: opts.nextAttemptAt, last_error: opts.error.slice(0, 2000) });
}

/** Gives up on a claimed row: it is never tried again unless an operator retries it. */
export async function markPushDead(db: Db, id: number, error: string): Promise<void> {
  await db(TABLE).where({ id, status: 'SENDING' }).update({ status: 'DEAD', last_error: error.slice(0, 2000) });
}

/** Cancels every queued row of a partner (in the transaction that unregisters it); returns how many. */
export async function cancelPartnerPushes(db: Db, partnerFk: number, reason: string): Promise<number> {
  return db(TABLE).where({ partner_fk: partnerFk }).whereRaw(QUEUED).update({ status: 'CANCELLED', last_error: reason.slice(0, 2000) });
}

/** A row of one partner, locked for update (retryPush runs in a transaction). */
export async function findPartnerPushForUpdate(db: Db, partnerFk: number, id: number): Promise<OutboxRow | undefined> {
  const row = await db(TABLE).where({ id, partner_fk: partnerFk }).forUpdate().first();
  return row ? toRow(row) : undefined;
}

/**
 * The first later row of the same (partner, object key) that makes re-sending `row` wrong: a PUT or DELETE
 * (it replaces the whole object) or any row already delivered (the partner has a newer change).
 */
export async function findSupersedingPush(db: Db, row: Pick<OutboxRow, 'id' | 'partnerFk' | 'objectKey'>): Promise<Pick<OutboxRow, 'id' | 'method' | 'status'> | undefined> {
  const found = await db(TABLE)
    .where({ partner_fk: row.partnerFk, object_key: row.objectKey }).andWhere('id', '>', row.id)
    .andWhere((q) => q.whereIn('method', ['PUT', 'DELETE']).orWhere('status', 'DELIVERED'))
    .orderBy('id').first('id', 'method', 'status');
  return found ? { id: Number(found.id), method: found.method, status: found.status } : undefined;
}

/** Puts a DEAD or CANCELLED row back in the queue, due now, with a fresh attempt budget. */
export async function requeuePush(db: Db, id: number): Promise<OutboxRow> {
  const [row] = await db(TABLE).where({ id }).whereIn('status', ['DEAD', 'CANCELLED'])
    .update({ status: 'PENDING', attempts: 0, next_attempt_at: dbNow(db) }).returning('*');
  return toRow(row);
}

export async function findPush(db: Db, id: number): Promise<OutboxRow | undefined> {
  const row = await db(TABLE).where({ id }).first();
  return row ? toRow(row) : undefined;
}

/** Rows of one partner, newest first (admin and tests). */
export async function listPushes(db: Db, opts: { partnerFk?: number; status?: OutboxStatus; limit?: number } = {}): Promise<OutboxRow[]> {
  const q = db(TABLE).orderBy('id', 'desc').limit(opts.limit ?? 100);
  if (opts.partnerFk !== undefined) q.where({ partner_fk: opts.partnerFk });
  if (opts.status) q.where({ status: opts.status });
  return (await q).map(toRow);
}

/** Rows waiting or in flight (PENDING, SENDING) and given up (DEAD) by status, and the oldest PENDING row's creation. */
export async function outboxDepth(db: Db): Promise<{ byStatus: Record<string, number>; oldestPendingAt: Date | null }> {
  const rows: { status: string; count: string | number; oldest: Date | string | null }[] = await db('ocpi_outbox')
    .select('status')
    .count({ count: '*' })
    .min({ oldest: 'created_at' })
    .whereIn('status', ['PENDING', 'SENDING', 'DEAD'])
    .groupBy('status');
  const byStatus: Record<string, number> = { PENDING: 0, SENDING: 0, DEAD: 0 };
  let oldestPendingAt: Date | null = null;
  for (const r of rows) {
    byStatus[r.status] = Number(r.count);
    if (r.status === 'PENDING' && r.oldest) oldestPendingAt = new Date(r.oldest);
  }
  return { byStatus, oldestPendingAt };
}
