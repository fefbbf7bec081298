import type { RpcConnection } from './rpc.ts';

/** The charger sockets held by this node, by charge point identity. */
export class ConnectionRegistry {
  private readonly byId = new Map<string, RpcConnection>();

  get(chargePointId: string): RpcConnection | undefined {
    return this.byId.get(chargePointId);
  }

  /** Registers a new socket; an older socket of the same charger is dropped (the charger reconnected). */
  add(conn: RpcConnection): void {
    const previous = this.byId.get(conn.identity);
    this.byId.set(conn.identity, conn);
    if (previous && previous !== conn) previous.terminate();
  }

  /** Removes the socket if it is still the current one for its charger; returns whether it was. */
  remove(conn: RpcConnection): boolean {
    if (this.byId.get(conn.identity) !== conn) return false;
    this.byId.delete(conn.identity);
    return true;
  }

  /**
   * Drops the charger's socket held here, unless it is `keepConnectionId` (the charger's newest socket) or,
   * with `onlyWithoutCredential`, one opened with credentials: closed with `close`, or terminated.
   */
  drop(chargePointId: string, o: { keepConnectionId?: string; onlyWithoutCredential?: boolean; close?: { code: number; reason: string } }): boolean {
    const conn = this.byId.get(chargePointId);
    if (!conn || conn.connectionId === o.keepConnectionId || (o.onlyWithoutCredential && conn.hasCredential)) return false;
    if (o.close) conn.close(o.close.code, o.close.reason);
    else conn.terminate();
    return true;
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  all(): RpcConnection[] {
    return [...this.byId.values()];
  }

  /** Connected chargers by OCPP protocol (metrics). */
  countByProtocol(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const conn of this.byId.values()) counts[conn.protocol] = (counts[conn.protocol] ?? 0) + 1;
    return counts;
  }

  get size(): number {
    return this.byId.size;
  }

  closeAll(): void {
    for (const conn of this.byId.values()) conn.terminate();
    this.byId.clear();
  }
}
