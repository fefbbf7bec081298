// RpcConnection over a stand-in socket: inbound calls the charger piles up beyond the queue limit or the
// rate limit are refused at once without running the handler; a shutdown lets the call being handled
// finish and be answered, and drops the ones still waiting.
import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import type { WebSocket } from 'ws';
import { RpcConnection, type RpcOptions } from '../../../src/ocpp/rpc.ts';
import { createOcppValidator } from '../../../src/ocpp/validate.ts';
import { createLogger } from '../../../src/shared/logger.ts';

/** Just what RpcConnection uses of a ws socket; `sent` holds the frames sent to the charger. */
class FakeSocket extends EventEmitter {
  readyState = 1; // OPEN
  readonly sent: unknown[] = [];
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.readyState = 3;
    this.emit('close', 1000, Buffer.from(''));
  }
  /** A frame from the charger. */
  receive(frame: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(frame)), false);
  }
}

const validator = createOcppValidator('ocpp1.6');
const logger = createLogger('error');
logger.silent = true;

/** A connection whose handler holds every call until `releaseAll()`. */
function aConnection(o: Partial<RpcOptions> = {}) {
  const ws = new FakeSocket();
  const handled: string[] = [];
  let releases: Array<() => void> = [];
  const conn = new RpcConnection(ws as unknown as WebSocket, {
    identity: 'CP-1',
    protocol: 'ocpp1.6',
    connectionId: 'c-1',
    hasCredential: true,
    validator,
    callTimeoutMs: 1000,
    maxQueuedInbound: 2,
    now: () => 0,
    logger,
    dispatch: async () => {
      handled.push('started');
      await new Promise<void>((resolve) => releases.push(resolve));
      return { currentTime: '2026-03-01T00:00:00.000Z' };
    },
    ...o,
  });
  const releaseAll = () => {
    for (const r of releases) r();
    releases = [];
  };
  return { ws, conn, handled, releaseAll };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('unit ocpp/rpc RpcConnection limits', () => {
  it('OCPP-J 1.6 §4.1.1: should refuse calls beyond the one being handled plus maxQueuedInbound with GenericError, without handling them', async () => {
    const { ws, handled, releaseAll } = aConnection();

    for (let i = 1; i <= 5; i += 1) ws.receive([2, `m${i}`, 'Heartbeat', {}]);
    const refusedAtOnce = [...ws.sent];
    for (let i = 0; i < 3; i += 1) {
      await settle();
      releaseAll();
    }
    await settle();

    expect(refusedAtOnce.map((f: any) => [f[0], f[1], f[2]])).to.deep.equal([[4, 'm4', 'GenericError'], [4, 'm5', 'GenericError']]);
    expect((refusedAtOnce[0] as any)[3]).to.equal('too many calls in progress: at most 3 at a time (OCPP-J allows one outstanding CALL)');
    expect(ws.sent.slice(2).map((f: any) => [f[0], f[1]])).to.deep.equal([[3, 'm1'], [3, 'm2'], [3, 'm3']]);
    expect(handled).to.have.length(3);
  });

  it('should refuse calls beyond the rate limit with a GenericError naming the limit, without handling them', async () => {
    let now = 0;
    const { ws, handled, releaseAll } = aConnection({ maxQueuedInbound: 10, rateLimit: { perSec: 1, burst: 2 }, now: () => now });

    for (let i = 1; i <= 3; i += 1) ws.receive([2, `m${i}`, 'Heartbeat', {}]);
    now += 1000;
    ws.receive([2, 'm4', 'Heartbeat', {}]);
    for (let i = 0; i < 4; i += 1) {
      await settle();
      releaseAll();
    }
    await settle();

    const errors = ws.sent.filter((f: any) => f[0] === 4) as any[];
    expect(errors.map((f) => [f[1], f[2], f[3]])).to.deep.equal([['m3', 'GenericError', 'rate limit exceeded: at most 1 calls per second (bursts of 2)']]);
    expect(handled).to.have.length(3);
  });

  it('should, on stopTakingCalls, answer the call being handled, drop the waiting ones unanswered and ignore new ones', async () => {
    const { ws, conn, handled, releaseAll } = aConnection();
    ws.receive([2, 'm1', 'Heartbeat', {}]);
    ws.receive([2, 'm2', 'Heartbeat', {}]);
    await settle();

    const drained = conn.stopTakingCalls();
    ws.receive([2, 'm3', 'Heartbeat', {}]);
    releaseAll();
    await drained;

    expect(ws.sent.map((f: any) => [f[0], f[1]])).to.deep.equal([[3, 'm1']]);
    expect(handled).to.have.length(1);
  });
});
