// Cluster mode: the CPO cancels a reservation through node B while node A holds the charger's socket;
// CancelReservation travels over the Redis command bus like every other command. Needs Redis on
// 127.0.0.1:6379 (.ci/run starts it).
import { expect } from 'chai';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { aBootNotification, aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { eventually } from '../../helpers/wait.ts';
import { isRedisUp, REDIS_URL } from '../../helpers/redis.ts';

describe('cluster: reservation cancelled through another node', function () {
  let testDb: TestDb;
  let nodeA: TestApp;
  let nodeB: TestApp;

  before(async function () {
    if (!(await isRedisUp())) {
      console.warn(`    (skipped: no Redis at ${REDIS_URL}; .ci/run starts one)`);
      this.skip();
    }
    testDb = await createTestDb();
    nodeA = await startTestApp(testDb, { overrides: { redisUrl: REDIS_URL, nodeId: `ra-${process.pid}-${Date.now()}` } });
    nodeB = await startTestApp(testDb, { overrides: { redisUrl: REDIS_URL, nodeId: `rb-${process.pid}-${Date.now()}` } });
  });

  after(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await testDb?.destroy();
  });

  it('OCPP16 §5.3: should send CancelReservation to the charger on node A and store Cancelled', async () => {
    // Arrange: a charger on node A holding an Accepted reservation
    const id = await aRegisteredCharger(nodeA.app.services);
    const client = await connectCharger(nodeA, id, { password: CHARGER_PASSWORD });
    const seen: unknown[] = [];
    client.handle('CancelReservation', async ({ params }) => {
      seen.push(params);
      return { status: 'Accepted' };
    });
    await client.call('BootNotification', aBootNotification());
    await eventually(async () => (await testDb.db('charge_points').where({ id }).first())?.connected_node === nodeA.app.nodeId, `${id} recorded on node A`);
    const [row] = await testDb.db('reservations')
      .insert({ charge_point_id: id, connector_number: 1, id_tag: 'TAGCLUSTER', expires_at: new Date(Date.now() + 3_600_000), status: 'Accepted' })
      .returning('id');
    // Act
    const res = await nodeB.api('POST', `/api/v1/reservations/${row.id}/cancel`);
    // Assert
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal('Cancelled');
    expect(seen).to.deep.equal([{ reservationId: row.id }]);
    await client.close();
  });
});
