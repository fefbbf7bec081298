import type { Db } from '../db/knex.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import type { Logger } from '../shared/logger.ts';
import { listRunningTransactionsOfConnected } from './ocpp201-transaction.repo.ts';

/** The billing domain's price of a running session so far (CdrService, as the driver app shows it). */
export interface RunningCost {
  costSoFar(sessionId: number): Promise<{ currency: string; inclVat: number } | undefined>;
}

/**
 * OCPP 2.0.1 I02 CostUpdated: the running total of each 2.0.1 transaction, incl. VAT (I02: "including taxes"),
 * from the tariff engine, sent on the job's interval; the final total goes in the Ended event's answer
 * (TransactionEventService). A session that cannot be priced yet (no tariff) is skipped.
 */
export class CostUpdatedService {
  constructor(private readonly o: { db: Db; commands: CommandSender; costs: RunningCost; logger: Logger; callTimeoutMs: number }) {}

  async sendRunningTotals(): Promise<{ sent: number; failed: number; unpriced: number }> {
    const counts = { sent: 0, failed: 0, unpriced: 0 };
    for (const tx of await listRunningTransactionsOfConnected(this.o.db)) {
      const cost = await this.o.costs.costSoFar(tx.sessionFk);
      if (!cost) {
        counts.unpriced++;
        continue;
      }
      try {
        // A 2.0.1 action sent as it is (ocpp/v201/commands.ts); the 1.6-typed sender does not name it.
        await this.o.commands.send(tx.chargePointId, 'CostUpdated' as never, { totalCost: cost.inclVat, transactionId: tx.transactionId } as never, this.o.callTimeoutMs);
        counts.sent++;
      } catch (err) {
        // A station without cost display answers NotImplemented; one that went away is sent to at the next run.
        counts.failed++;
        this.o.logger.warn('CostUpdated failed', { chargePointId: tx.chargePointId, sessionId: tx.sessionFk, err: (err as Error).message });
      }
    }
    return counts;
  }
}
