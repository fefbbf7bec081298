import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { DomainEvents } from '../shared/events.ts';
import * as repo from './charger.repo.ts';
import * as connectionRepo from './connection.repo.ts';
import type { ChargerService } from './charger.service.ts';
import { GroupCommitWriter } from '../db/group-commit.ts';
import { transactionSink } from '../db/transaction-sink.ts';
import * as batchRepo from './connection-batch.repo.ts';
import { NotFound } from '../shared/errors.ts';

export interface ChargerConnectionOptions {
  db: Knex;
  clock: Clock;
  events: DomainEvents;
  nodeId: string;
  chargers: ChargerService;
  /** Group commit of connection records (config ingest); defaults: 5 ms window, 500 per transaction. */
  ingest?: { batchWindowMs: number; maxBatch: number; maxConcurrentBatches?: number };
}

type EvseChanges = Awaited<ReturnType<ChargerService['refreshEvsesOf']>>;

/**
 * Which node holds each charger's socket (charge_points.is_connected, connected_node, connection_id).
 * Every socket has its own connection id; a disconnection changes the row only while the row still names
 * that socket (compare-and-clear), so a late close of an old socket never undoes a newer connection.
 */
export class ChargerConnectionService {
  /**
   * Connection records of many sockets share one transaction (issue 8: in a reconnect storm each was a
   * transaction of its own, thousands of them queued for the pool ahead of the chargers' boots).
   */
  readonly connectWriter: GroupCommitWriter<batchRepo.ConnectedSocket, EvseChanges | undefined>;

  constructor(private readonly o: ChargerConnectionOptions) {
    this.connectWriter = new GroupCommitWriter({
      sink: transactionSink(o.db, (trx, items: readonly batchRepo.ConnectedSocket[]) => this.writeConnected(trx, items)),
      windowMs: o.ingest?.batchWindowMs ?? 5,
      maxBatch: o.ingest?.maxBatch ?? 500,
      maxInFlight: o.ingest?.maxConcurrentBatches ?? 1,
    });
  }

  /** Records the socket `connectionId` as the charger's connection, on this node (after the commit). */
  async onConnected(chargePointId: string, protocol: string, connectionId: string): Promise<void> {
    const changes = await this.connectWriter.submit({ id: chargePointId, protocol, connectionId, at: this.o.clock.now() });
    if (!changes) throw new NotFound(`charger ${chargePointId} not found`);
    this.o.events.emit('charger.connected', { chargePointId });
    this.o.chargers.emitEvseChanges(changes);
  }

  /**
   * A batch of connection records in seven statements whatever its size: three for the connections, four
   * for the EVSEs of the chargers (plus their status hooks); a socket of an unknown charger gets undefined.
   */
  private async writeConnected(trx: Knex.Transaction, items: readonly batchRepo.ConnectedSocket[]): Promise<Array<EvseChanges | undefined>> {
    const node = this.o.nodeId;
    // A charger whose socket opened twice within the batch: its last socket is the one recorded.
    const last = [...new Map(items.map((s) => [s.id, s])).values()];
    const recorded = await batchRepo.updateConnectedChargers(trx, node, last);
    const sockets = last.filter((s) => recorded.has(s.id));
    await batchRepo.clearOfflineFaults(trx, sockets);
    await batchRepo.insertConnectedEvents(trx, node, sockets);
    const changes = await this.o.chargers.refreshEvsesOfChargers(trx, [...recorded].sort());
    return items.map((s) => (recorded.has(s.id) ? (changes.get(s.id) ?? []) : undefined));
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
