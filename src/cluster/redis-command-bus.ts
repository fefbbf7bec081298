import { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { Conflict, Timeout } from '../shared/errors.ts';
import { newUuid } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import { runDetached } from '../shared/background.ts';
import type { CommandSender, Ocpp16Command } from '../ocpp/commands.ts';
import type { Ocpp16Actions } from '../ocpp/v16/types.ts';
import type { ConnectionRegistry } from '../ocpp/connections.ts';
import { findConnectedNode } from '../chargers/charger.service.ts';
import { fromWire, toWire, type WireError } from './wire-errors.ts';

interface CommandRequest {
  id: string;
  replyTo: string;
  chargePointId: string;
  action: Ocpp16Command;
  payload: unknown;
  timeoutMs?: number;
}

interface CommandReply {
  id: string;
  result?: unknown;
  error?: WireError;
}

/** What every node hears about charger sockets (published on CONNECTIONS_CHANNEL). */
export type ConnectionNotice =
  /** The charger opened `connectionId` on `node`: any other node drops the older socket it still holds. */
  | { kind: 'connected'; chargePointId: string; connectionId: string }
  /** The charger was given credentials: sockets it opened without them must reconnect. */
  | { kind: 'drop-without-credential'; chargePointId: string };

const nodeChannel = (nodeId: string): string => `cpms:node:${nodeId}`;
const replyChannel = (nodeId: string): string => `cpms:reply:${nodeId}`;
const CONNECTIONS_CHANNEL = 'cpms:connections';
/** Live monitoring: "an event was stored" (its id), so every node's fan-out reads the events table at once. */
const EVENTS_CHANNEL = 'cpms:events';

export interface RedisCommandBusOptions {
  redisUrl: string;
  nodeId: string;
  db: Knex;
  connections: ConnectionRegistry;
  local: CommandSender;
  defaultTimeoutMs: number;
  logger: Logger;
  /** Close code and reason for a socket that must reconnect with its new credentials. */
  reconnectWithCredential: { code: number; reason: string };
}

/**
 * Cluster command routing over Redis pub/sub. A command for a charger whose socket this node holds is
 * sent locally; otherwise it is published to the node recorded in `charge_points.connected_node`,
 * which sends it and publishes the charger's answer (or error) back on this node's reply channel.
 * Connection notices go to every node: a charger that reconnected elsewhere loses its old socket here.
 */
export class RedisCommandBus implements CommandSender {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly eventListeners = new Set<(id: number) => void>();
  private readonly waiting = new Map<string, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();

  constructor(private readonly o: RedisCommandBusOptions) {
    this.pub = new Redis(o.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    this.sub = new Redis(o.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    for (const client of [this.pub, this.sub]) client.on('error', (err: Error) => o.logger.warn('redis error', { err: err.message }));
  }

  async start(): Promise<void> {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    this.sub.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    await this.sub.subscribe(nodeChannel(this.o.nodeId), replyChannel(this.o.nodeId), CONNECTIONS_CHANNEL, EVENTS_CHANNEL);
  }

  /** Tells every other node that this one stored live event `id` (see EventHub). */
  async publishEventStored(id: number): Promise<void> {
    await this.pub.publish(EVENTS_CHANNEL, JSON.stringify({ id, node: this.o.nodeId }));
  }

  /** Calls `listener` when another node stored a live event. */
  onEventStored(listener: (id: number) => void): void {
    this.eventListeners.add(listener);
  }

  /** Tells every other node about a charger socket (see ConnectionNotice). */
  async announce(notice: ConnectionNotice): Promise<void> {
    await this.pub.publish(CONNECTIONS_CHANNEL, JSON.stringify({ ...notice, node: this.o.nodeId }));
  }

  private onNotice(notice: ConnectionNotice & { node: string }): void {
    if (notice.node === this.o.nodeId) return;
    const { connections } = this.o;
    const dropped =
      notice.kind === 'connected'
        ? connections.drop(notice.chargePointId, { keepConnectionId: notice.connectionId })
        : connections.drop(notice.chargePointId, { onlyWithoutCredential: true, close: this.o.reconnectWithCredential });
    if (dropped) this.o.logger.info('dropped a charger socket on notice from another node', { chargePointId: notice.chargePointId, kind: notice.kind, node: notice.node });
  }

  async stop(): Promise<void> {
    for (const [id, w] of this.waiting) {
      clearTimeout(w.timer);
      w.reject(new Timeout(`command ${id}: node shutting down`));
    }
    this.waiting.clear();
    this.sub.disconnect();
    this.pub.disconnect();
  }

  async send<A extends Ocpp16Command>(chargePointId: string, action: A, payload: Ocpp16Actions[A]['req'], timeoutMs?: number): Promise<Ocpp16Actions[A]['conf']> {
    if (this.o.connections.get(chargePointId)?.isOpen) return this.o.local.send(chargePointId, action, payload, timeoutMs);
    const node = await findConnectedNode(this.o.db, chargePointId);
    if (!node || node === this.o.nodeId) throw new Conflict(`charger ${chargePointId} is not connected`);
    const request: CommandRequest = { id: newUuid(), replyTo: replyChannel(this.o.nodeId), chargePointId, action, payload, timeoutMs };
    // The remote node applies the charger timeout; we wait a little longer for its reply to travel back.
    const waitMs = (timeoutMs ?? this.o.defaultTimeoutMs) + 2000;
    const answer = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(request.id);
        reject(new Timeout(`${action} to ${chargePointId} via node ${node}: no answer within ${waitMs} ms`));
      }, waitMs);
      this.waiting.set(request.id, { resolve, reject, timer });
    });
    const receivers = await this.pub.publish(nodeChannel(node), JSON.stringify(request));
    if (receivers === 0) {
      this.settle({ id: request.id, error: { kind: 'Conflict', message: `charger ${chargePointId} is not connected (node ${node} is gone)` } });
    }
    return answer as Promise<Ocpp16Actions[A]['conf']>;
  }

  private onMessage(channel: string, message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch (err) {
      this.o.logger.warn('malformed bus message', { channel, err: (err as Error).message });
      return;
    }
    if (channel === replyChannel(this.o.nodeId)) this.settle(parsed as CommandReply);
    else if (channel === CONNECTIONS_CHANNEL) this.onNotice(parsed as ConnectionNotice & { node: string });
    else if (channel === EVENTS_CHANNEL) this.onEventNotice(parsed as { id: number; node: string });
    else runDetached(this.o.logger, 'remote command', () => this.execute(parsed as CommandRequest));
  }

  private onEventNotice(notice: { id: number; node: string }): void {
    if (notice.node === this.o.nodeId) return;
    for (const listener of this.eventListeners) listener(notice.id);
  }

  private settle(reply: CommandReply): void {
    const w = this.waiting.get(reply.id);
    if (!w) return;
    clearTimeout(w.timer);
    this.waiting.delete(reply.id);
    if (reply.error) w.reject(fromWire(reply.error));
    else w.resolve(reply.result);
  }

  private async execute(req: CommandRequest): Promise<void> {
    let reply: CommandReply;
    try {
      reply = { id: req.id, result: await this.o.local.send(req.chargePointId, req.action, req.payload as never, req.timeoutMs) };
    } catch (err) {
      reply = { id: req.id, error: toWire(err) };
    }
    await this.pub.publish(req.replyTo, JSON.stringify(reply));
  }
}
