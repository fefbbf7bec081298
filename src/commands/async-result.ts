import type { Knex } from 'knex';
import { runDetached } from '../shared/background.ts';
import type { Logger } from '../shared/logger.ts';
import { enqueuePush } from '../partners/partner.service.ts';
import type { PartyRef } from '../partners/partner.types.ts';

/** Where an asynchronous OCPI result goes: the `response_url` the partner gave, on its behalf. */
export interface ResultTarget {
  partnerFk: number;
  /** The OCPI module the result belongs to ('commands' | 'chargingprofiles'). */
  module: string;
  url: string;
  /** Ordering key in the outbox: results with the same key are delivered in order. */
  objectKey: string;
  /** The party that sent the request (OCPI-to-* of the result). */
  toParty?: PartyRef;
  /** Our party that answered the request (OCPI-from-* of the result). */
  fromParty?: PartyRef;
}

/** One charger call whose outcome becomes an OCPI result POSTed to the partner. */
export interface AsyncJob<C, R> {
  what: string;
  target: ResultTarget;
  call(): Promise<C>;
  toResult(conf: C): R;
  onFailure(err: unknown): R;
  /** Records the outcome, in the same transaction that queues the result. */
  persist?(trx: Knex.Transaction, result: R, conf: C | undefined): Promise<void>;
}

/**
 * Runs charger calls in the background and POSTs each result to its `response_url` through the durable
 * outbox (OCPI 2.2.1 commands §13.1 / chargingprofiles flow: the answer comes asynchronously, once).
 */
export class AsyncResults {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly o: { db: Knex; logger: Logger }) {}

  dispatch<C, R>(job: AsyncJob<C, R>): void {
    this.track(job.what, () => this.run(job));
  }

  /** Runs other background charger work whose outcome gets queued, under the same `drain`. */
  track(what: string, run: () => Promise<void>): void {
    const work = run();
    this.running.add(work);
    runDetached(this.o.logger, what, () => work.finally(() => this.running.delete(work)));
  }

  /** Resolves once every dispatched job has queued its result (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async run<C, R>(job: AsyncJob<C, R>): Promise<void> {
    let conf: C | undefined;
    let result: R;
    try {
      conf = await job.call();
      result = job.toResult(conf);
    } catch (err) {
      this.o.logger.warn(`${job.what}: no usable answer from the charger`, { err: err instanceof Error ? err.message : String(err) });
      result = job.onFailure(err);
    }
    await this.o.db.transaction(async (trx) => {
      await job.persist?.(trx, result, conf);
      await queueResult(trx, job.target, result);
    });
  }
}

/**
 * Queues one asynchronous result for `target` in the durable outbox. Call it inside the transaction that
 * records the outcome: the result is sent exactly when the outcome is committed.
 */
export async function queueResult(trx: Knex.Transaction, target: ResultTarget, result: unknown): Promise<void> {
  await enqueuePush(trx, {
    partnerFk: target.partnerFk,
    module: target.module,
    role: 'SENDER',
    method: 'POST',
    path: '',
    url: target.url,
    body: result,
    objectKey: target.objectKey,
    toParty: target.toParty,
    fromParty: target.fromParty,
  });
}

/**
 * The outbox key of every result about one reservation (RESERVE_NOW, CANCEL_RESERVATION, a cancellation
 * by the CPO): they reach the eMSP in the order they happened, never CANCELED_RESERVATION before ACCEPTED.
 */
export const reservationResultKey = (reservationId: number): string => `reservation:${reservationId}`;
