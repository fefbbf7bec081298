import type { Knex } from 'knex';
import { Conflict, NotFound } from '../shared/errors.ts';
import { findPartnerPushForUpdate, findSupersedingPush, outboxDepth, outboxSignal, requeuePush, type OutboxRow } from './outbox.repo.ts';
import { getPartner } from './partner.repo.ts';

/**
 * Operator action: puts a DEAD or CANCELLED outbox row of a registered partner back in the queue (due now,
 * attempts from 0). Rule for finished rows: they never hold back later rows of their object key, so a later
 * PUT or DELETE of the same object supersedes a dead one, and so does any later row already delivered;
 * re-sending it would put older state over newer, so that is refused (409) and the object should be
 * pushed afresh instead. A CDR POST has a key of its own (`cdr:<id>`): it is never superseded.
 */
export async function retryPush(db: Knex, partnerId: number, rowId: number): Promise<OutboxRow> {
  const row = await db.transaction(async (trx) => {
    const partner = await getPartner(trx, partnerId);
    const push = await findPartnerPushForUpdate(trx, partnerId, rowId);
    if (!push) throw new NotFound(`outbox row ${rowId} of partner ${partnerId} not found`);
    if (push.status !== 'DEAD' && push.status !== 'CANCELLED') throw new Conflict(`outbox row ${rowId} is ${push.status}: only a DEAD or CANCELLED row can be retried`);
    if (partner.status !== 'REGISTERED') throw new Conflict(`partner ${partnerId} is ${partner.status}, not registered: its pushes cannot be delivered`);
    const newer = await findSupersedingPush(trx, push);
    if (newer) throw new Conflict(`outbox row ${rowId} is superseded by outbox row ${newer.id} (${newer.status} ${newer.method}) of the same object ${push.objectKey}`);
    return requeuePush(trx, rowId);
  });
  outboxSignal.emit('enqueued');
  return row;
}

/** The outbox's depth for monitoring (issue 14 metrics): queued and dead rows by status, and the oldest pending row. */
export function outboxStats(db: Knex): ReturnType<typeof outboxDepth> {
  return outboxDepth(db);
}
