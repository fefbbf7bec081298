// Which (charger, transaction id) pairs name a recorded session, remembered by the ingest path (issue 8). Pure.
// A transaction id is its session's id (StartTransaction answers it), so the pair alone is the answer.

const keyOf = (chargePointId: string, transactionId: number) => `${chargePointId}\u0000${transactionId}`;

/**
 * The (charger, transaction id) pairs found to name a session, so that a running transaction's MeterValues
 * skip the lookup; at most `max`, the oldest forgotten first. Only hits are kept: a transaction unknown now
 * may be recorded later (a StartTransaction replayed after its MeterValues). Sessions are never deleted, so
 * a hit stays true.
 */
export class KnownTransactions {
  private readonly pairs = new Set<string>();

  constructor(private readonly max = 100_000) {}

  has(chargePointId: string, transactionId: number): boolean {
    return this.pairs.has(keyOf(chargePointId, transactionId));
  }

  add(chargePointId: string, transactionId: number): void {
    const key = keyOf(chargePointId, transactionId);
    if (this.pairs.has(key)) return;
    if (this.pairs.size >= this.max) this.pairs.delete(this.pairs.values().next().value!);
    this.pairs.add(key);
  }
}
