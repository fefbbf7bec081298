// Cluster mode: two cpms nodes on one database; a command sent through node B reaches the charger whose
// socket node A holds, over Redis pub/sub. Needs the Redis server on 127.0.0.1:6379 (.ci/run starts it).
import { expect } from 'chai';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { aBootNotification, aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { eventually } from '../../helpers/wait.ts';
import { isRedisUp, REDIS_URL } from '../../helpers/redis.ts';

describe('cluster: commands over the Redis bus', function () {
  let testDb: TestDb;
  let nodeA: TestApp;
  let nodeB: TestApp;

  before(async function () {
    if (!(await isRedisUp())) {
      console.warn(`    (skipped: no Redis at ${REDIS_URL}; .ci/run starts one)`);
      this.skip();
    }
    testDb = await createTestDb();
    nodeA = await startTestApp(testDb, { overrides: { redisUrl: REDIS_URL, nodeId: `a-${process.pid}-${Date.now()}` } });
    nodeB = await startTestApp(testDb, { overrides: { redisUrl: REDIS_URL, nodeId: `b-${process.pid}-${Date.now()}`, 'ocpp.callTimeoutSec': 2 } });
  });

  after(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await testDb?.destroy();
  });

  async function chargerOnNodeA(answer: (params: unknown) => Promise<Record<string, unknown>>) {
    const id = await aRegisteredCharger(nodeA.app.services);
    const client = await connectCharger(nodeA, id, { password: CHARGER_PASSWORD });
    client.handle('Reset', async ({ params }) => answer(params));
    await client.call('BootNotification', aBootNotification());
    await eventually(async () => (await testDb.db('charge_points').where({ id }).first())?.connected_node === nodeA.app.nodeId, `${id} recorded on node A`);
    return { id, client };
  }

  it('should deliver a command sent through another node to the charger and return its answer', async () => {
    // Arrange
    const seen: unknown[] = [];
    const { id, client } = await chargerOnNodeA(async (params) => {
      seen.push(params);
      return { status: 'Accepted' };
    });
    // Act
    const res = await nodeB.api('POST', `/api/v1/chargers/${id}/commands/Reset`, { type: 'Soft' });
    // Assert
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ action: 'Reset', response: { status: 'Accepted' } });
    expect(seen).to.deep.equal([{ type: 'Soft' }]);
    await client.close();
  });

  it('should carry a charger timeout on the holding node back as 504', async () => {
    const { id, client } = await chargerOnNodeA(() => new Promise(() => undefined));
    const res = await nodeB.api('POST', `/api/v1/chargers/${id}/commands/Reset?timeoutSec=1`, { type: 'Hard' });
    expect(res.status).to.equal(504);
    expect(res.body.error.message).to.match(/no answer within 1000 ms/);
    await client.close({ force: true });
  });

  it('should answer 409 for a registered charger that no node holds', async () => {
    const id = await aRegisteredCharger(nodeA.app.services);
    const res = await nodeB.api('POST', `/api/v1/chargers/${id}/commands/Reset`, { type: 'Soft' });
    expect(res.status).to.equal(409);
    expect(res.body.error.message).to.equal(`charger ${id} is not connected`);
  });

  it('should answer 409 when the node recorded as holding the charger is gone', async () => {
    const id = await aRegisteredCharger(nodeA.app.services);
    await testDb.db('charge_points').where({ id }).update({ is_connected: true, connected_node: `gone-${process.pid}` });
    const res = await nodeB.api('POST', `/api/v1/chargers/${id}/commands/Reset`, { type: 'Soft' });
    expect(res.status).to.equal(409);
    expect(res.body.error.message).to.equal(`charger ${id} is not connected (node gone-${process.pid} is gone)`);
  });
});
