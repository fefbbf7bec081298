// A charger that reconnects to another node while its old socket is still open (a flaky network, a load
// balancer moving it): the late close of the old socket must not undo the new connection. Each socket has
// its own connection id on the charger's row, and a disconnection clears the row only while it names that
// socket. Run on the PostgreSQL server for the real race (DATABASE_URL, .ci/run); needs Redis.
import { once } from 'node:events';
import { expect } from 'chai';
import { aChargerOn, useTwoNodes } from '../../helpers/cluster.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('cluster: a charger reconnecting on another node', function () {
  const c = useTwoNodes();

  it('should keep the charger recorded on node B when its old socket on node A closes late, and route a command sent through A to it on B (not 409)', async () => {
    // Arrange: connected on A; reconnects on B while A's socket is still open
    const { id, client: onA } = await aChargerOn(c.nodeA, () => undefined);
    const aClosed = once(onA, 'close');
    const onB = await connectCharger(c.nodeB, id, { password: CHARGER_PASSWORD });
    onB.handle('Reset', async () => ({ status: 'Accepted' }));
    await eventually(async () => (await c.testDb.db('charge_points').where({ id }).first())?.connected_node === c.nodeB.app.nodeId, `${id} recorded on B`);

    // Act: A's old socket closes (node A drops it on B's notice, or the charger does)
    await onA.close({ force: true });
    await aClosed;
    await eventually(async () => c.nodeA.app.connections.get(id) === undefined, 'node A to forget the old socket');
    const res = await c.nodeA.api('POST', `/api/v1/chargers/${id}/commands/Reset`, { type: 'Soft' });

    // Assert
    const row = await c.testDb.db('charge_points').where({ id }).first();
    expect([row.is_connected, row.connected_node]).to.deep.equal([true, c.nodeB.app.nodeId]);
    expect([res.status, res.body]).to.deep.equal([200, { action: 'Reset', response: { status: 'Accepted' } }]);
    await onB.close();
  });

  it('should make node A drop its old socket of the charger once node B holds the new one (cluster bus notice)', async () => {
    const { id, client: onA } = await aChargerOn(c.nodeA, () => undefined);
    const aClosed = once(onA, 'close');

    const onB = await connectCharger(c.nodeB, id, { password: CHARGER_PASSWORD });
    await aClosed;
    await eventually(async () => c.nodeA.app.connections.get(id) === undefined, 'node A to forget the old socket');
    await eventually(async () => (await c.testDb.db('charge_points').where({ id }).first())?.connected_node === c.nodeB.app.nodeId, `${id} recorded on B`);

    const row = await c.testDb.db('charge_points').where({ id }).first();
    expect([row.is_connected, row.connected_node]).to.deep.equal([true, c.nodeB.app.nodeId]);
    const events = await c.testDb.db('charge_point_events').where({ charge_point_id: id }).orderBy('id');
    expect(events.map((e) => [e.type, e.payload.node])).to.deep.equal([
      ['Connected', c.nodeA.app.nodeId],
      ['Connected', c.nodeB.app.nodeId],
    ]);
    await onB.close();
  });
});
