// Which (charger, transaction id) pairs name a recorded session, remembered by the ingest path (issue 8). Pure.
// A transaction id is its session's id (StartTransaction answers it), so the pair alone is the answer; with it
// is kept whether a roaming partner follows the session, which decides how its MeterValues are written.

const keyOf = (chargePointId: string, transactionId: number) => `${chargePointId}\u0000${transactionId}`;

/**
 * The (charger, transaction id) pairs found to name a session, so that a running transaction's MeterValues
 * skip the lookup; at most `max`, the oldest forgotten first. Only hits are kept: a transaction unknown now
 * may be recorded later (a StartTransaction replayed after its MeterValues). Sessions are never deleted, so
 * a hit stays true, and so does whether an eMSP follows it (its token's partner and its location are set when
 * it starts).
 */
export class KnownTransactions {
  /** Per pair: whether an eMSP follows the session. */
  private readonly pairs = new Map<string, boolean>();

  constructor(private readonly max = 100_000) {}

  has(chargePointId: string, transactionId: number): boolean {
    return this.pairs.has(keyOf(chargePointId, transactionId));
  }

  /** Whether a roaming partner follows the session; undefined when the pair is not known. */
  isShared(chargePointId: string, transactionId: number): boolean | undefined {
    return this.pairs.get(keyOf(chargePointId, transactionId));
  }

  add(chargePointId: string, transactionId: number, isShared: boolean): void {
    const key = keyOf(chargePointId, transactionId);
    if (this.pairs.has(key)) return;
    if (this.pairs.size >= this.max) this.pairs.delete(this.pairs.keys().next().value!);
    this.pairs.set(key, isShared);
  }
}
