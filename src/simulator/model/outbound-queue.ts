// Pure: the order in which a charger sends its messages. One FIFO for everything, sent one call at a time
// (OCPP-J: one outstanding call per direction). When the connection drops, transaction messages stay queued
// to be replayed in order after the reconnect (OCPP 1.6 §4.10: they must not be lost); heartbeats and
// status notifications are dropped, since they would be stale (the charger reports its status afresh).

export interface OutboundItem<T = unknown> {
  action: string;
  /** a transaction message: kept while offline, retried on failure */
  transactional: boolean;
  /** failed attempts so far (timeouts, CALLERRORs); a lost connection is not an attempt */
  attempts: number;
  /** what the sender needs to build and answer it */
  data: T;
}

export class OutboundQueue<T = unknown> {
  private items: Array<OutboundItem<T>> = [];
  private start = 0;

  get length(): number {
    return this.items.length - this.start;
  }

  push(item: OutboundItem<T>): void {
    this.items.push(item);
  }

  /** The next item to send (stays queued until `shift`: a call lost with the connection is sent again). */
  head(): OutboundItem<T> | undefined {
    return this.items[this.start];
  }

  /** Removes the head once it has been answered (or given up on). */
  shift(): OutboundItem<T> | undefined {
    const item = this.items[this.start];
    if (item === undefined) return undefined;
    this.start++;
    // Compacts now and then, so that a long replay does not shift the whole array per message.
    if (this.start > 1024 && this.start * 2 > this.items.length) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
    return item;
  }

  /** The connection dropped: keeps the transaction messages, in order; returns the ones dropped. */
  dropVolatile(): Array<OutboundItem<T>> {
    const all = this.items.slice(this.start);
    this.items = all.filter((i) => i.transactional);
    this.start = 0;
    return all.filter((i) => !i.transactional);
  }

  /** Everything still queued, in order (a snapshot). */
  toArray(): Array<OutboundItem<T>> {
    return this.items.slice(this.start);
  }
}
