import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { DomainEvents } from '../shared/events.ts';
import * as repo from './charger.repo.ts';
import * as connectionRepo from './connection.repo.ts';
import type { ChargerService } from './charger.service.ts';

export interface ChargerConnectionOptions {
  db: Knex;
  clock: Clock;
  events: DomainEvents;
  nodeId: string;
  chargers: ChargerService;
}

/**
 * Which node holds each charger's socket (charge_points.is_connected, connected_node, connection_id).
 * Every socket has its own connection id; a disconnection changes the row only while the row still names
 * that socket (compare-and-clear), so a late close of an old socket never undoes a newer connection.
 */
export class ChargerConnectionService {
  constructor(private readonly o: ChargerConnectionOptions) {}

  /** Records the socket `connectionId` as the charger's connection, on this node. */
  async onConnected(chargePointId: string, protocol: string, connectionId: string): Promise<void> {
    const now = this.o.clock.now();
    const node = this.o.nodeId;
    const changes = await this.o.db.transaction(async (trx) => {
      await repo.updateChargePoint(trx, chargePointId, { is_connected: true, is_online: true, protocol, connected_node: node, connection_id: connectionId, connected_at: now, last_seen_at: now });
      await repo.clearFaults(trx, chargePointId, 0, 'OFFLINE', now);
      await repo.insertEvent(trx, chargePointId, 'Connected', { protocol, node, connectionId }, now);
      return this.o.chargers.refreshEvsesOf(trx, chargePointId);
    });
    this.o.events.emit('charger.connected', { chargePointId });
    this.o.chargers.emitEvseChanges(changes);
  }

  /**
   * Records that the socket `connectionId` closed; compare-and-clear: nothing changes when the row names
   * another socket (the charger already reconnected, maybe on another node). Returns whether it changed.
   */
  async onDisconnected(chargePointId: string, code: number, connectionId: string): Promise<boolean> {
    const released = await this.releaseConnections([{ chargePointId, connectionId }], { code });
    return released.length > 0;
  }

  /**
   * Records the disconnection of every listed socket of this node still recorded as its charger's
   * connection (one update, one insert of Disconnected events); returns the chargers released.
   */
  async releaseConnections(sockets: Array<{ chargePointId: string; connectionId: string }>, payload: Record<string, unknown>): Promise<string[]> {
    if (sockets.length === 0) return [];
    const now = this.o.clock.now();
    const node = this.o.nodeId;
    const released = await this.o.db.transaction(async (trx) => {
      const ids = await connectionRepo.releaseConnections(trx, node, sockets.map((s) => [s.chargePointId, s.connectionId]), now);
      const byId = new Map(sockets.map((s) => [s.chargePointId, s.connectionId]));
      await repo.insertEvents(trx, ids.map((id) => ({ chargePointId: id, type: 'Disconnected', payload: { ...payload, node, connectionId: byId.get(id) } })), now);
      return ids;
    });
    for (const chargePointId of released) this.o.events.emit('charger.disconnected', { chargePointId });
    return released;
  }

  /** A handshake claimed the connection but its socket never opened: undo the claim (no event). */
  async releaseClaim(chargePointId: string, connectionId: string): Promise<void> {
    await connectionRepo.releaseConnections(this.o.db, this.o.nodeId, [[chargePointId, connectionId]], this.o.clock.now());
  }

  /**
   * Start-up after a crash: chargers still recorded as connected to this node (or to any node, when this
   * one runs alone) hold no socket anywhere; mark them disconnected until they reconnect. Returns their ids.
   */
  async releaseStaleConnections(opts: { allNodes: boolean }): Promise<string[]> {
    const now = this.o.clock.now();
    const released = await this.o.db.transaction(async (trx) => {
      const stale = await connectionRepo.listConnectedChargePoints(trx, opts.allNodes ? undefined : this.o.nodeId);
      for (const cp of stale) {
        await repo.updateChargePoint(trx, cp.id, { is_connected: false, connected_node: null, connection_id: null, disconnected_at: now });
        await repo.insertEvent(trx, cp.id, 'Disconnected', { reason: 'node restarted', node: cp.connectedNode }, now);
      }
      return stale.map((cp) => cp.id);
    });
    for (const chargePointId of released) this.o.events.emit('charger.disconnected', { chargePointId });
    return released;
  }
}
