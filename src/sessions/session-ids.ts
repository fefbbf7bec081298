// Which session a running transaction's MeterValues belong to, remembered by the ingest path (issue 8). Pure.

const keyOf = (chargePointId: string, transactionId: number) => `${chargePointId}\u0000${transactionId}`;

/**
 * The session ids of (charger, transaction id) pairs already found, so that a running transaction's
 * MeterValues skip the lookup; at most `max`, the oldest forgotten first. Only hits are kept: a
 * transaction unknown now may be recorded later (a StartTransaction replayed after its MeterValues).
 */
export class SessionIds {
  private readonly ids = new Map<string, number>();

  constructor(private readonly max = 100_000) {}

  get(chargePointId: string, transactionId: number): number | undefined {
    return this.ids.get(keyOf(chargePointId, transactionId));
  }

  remember(chargePointId: string, transactionId: number, sessionId: number): void {
    const key = keyOf(chargePointId, transactionId);
    if (this.ids.has(key)) return;
    if (this.ids.size >= this.max) this.ids.delete(this.ids.keys().next().value!);
    this.ids.set(key, sessionId);
  }
}
