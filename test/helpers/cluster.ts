// Two cpms nodes on one test database, commands routed between them over the Redis bus. The suite skips
// itself with a message when no Redis answers (.ci/run starts one).
import type { Context } from 'mocha';
import { createTestDb, type TestDb } from './db.ts';
import { startTestApp, type TestApp } from './app.ts';
import { connectCharger, type ChargerClient } from './charger.ts';
import { eventually } from './wait.ts';
import { isRedisUp, REDIS_URL } from './redis.ts';
import { aBootNotification, aRegisteredCharger, CHARGER_PASSWORD } from '../fixtures/chargers.ts';

export interface TwoNodes {
  testDb: TestDb;
  /** The node that holds the chargers' sockets in these tests. */
  nodeA: TestApp;
  /** The node commands are sent through. */
  nodeB: TestApp;
}

/** Starts node A and B before the suite (node-specific config in `overrides`), closes them after. */
export function useTwoNodes(overrides: { nodeA?: Record<string, unknown>; nodeB?: Record<string, unknown> } = {}): TwoNodes {
  const nodes = {} as TwoNodes;
  before(async function (this: Context) {
    if (!(await isRedisUp())) {
      console.warn(`    (skipped: no Redis at ${REDIS_URL}; .ci/run starts one)`);
      this.skip();
    }
    nodes.testDb = await createTestDb();
    const node = (name: string, o: Record<string, unknown> = {}) =>
      startTestApp(nodes.testDb, { overrides: { redisUrl: REDIS_URL, nodeId: `${name}-${process.pid}-${Date.now()}`, ...o } });
    nodes.nodeA = await node('a', overrides.nodeA);
    nodes.nodeB = await node('b', overrides.nodeB);
  });
  after(async () => {
    await nodes.nodeA?.close();
    await nodes.nodeB?.close();
    await nodes.testDb?.destroy();
  });
  return nodes;
}

/**
 * A registered charger connected and booted on `node`, once the database records that node as holding it;
 * `prepare` registers its handlers before it boots.
 */
export async function aChargerOn(node: TestApp, prepare: (client: ChargerClient) => void): Promise<{ id: string; client: ChargerClient }> {
  const id = await aRegisteredCharger(node.app.services);
  const client = await connectCharger(node, id, { password: CHARGER_PASSWORD });
  prepare(client);
  await client.call('BootNotification', aBootNotification());
  await eventually(async () => (await node.db('charge_points').where({ id }).first())?.connected_node === node.app.nodeId, `${id} recorded on ${node.app.nodeId}`);
  return { id, client };
}
