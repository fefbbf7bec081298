// Cluster mode: two cpms nodes on one database; a command sent through node B reaches the charger whose
// socket node A holds, over Redis pub/sub. Needs the Redis server on 127.0.0.1:6379 (.ci/run starts it).
import { expect } from 'chai';
import { aRegisteredCharger } from '../../fixtures/chargers.ts';
import { aChargerOn, useTwoNodes } from '../../helpers/cluster.ts';

describe('cluster: commands over the Redis bus', function () {
  const c = useTwoNodes({ nodeB: { 'ocpp.callTimeoutSec': 2 } });

  const chargerOnNodeA = (answer: (params: unknown) => Promise<Record<string, unknown>>) =>
    aChargerOn(c.nodeA, (client) => client.handle('Reset', async ({ params }) => answer(params)));

  it('should deliver a command sent through another node to the charger and return its answer', async () => {
    // Arrange
    const seen: unknown[] = [];
    const { id, client } = await chargerOnNodeA(async (params) => {
      seen.push(params);
      return { status: 'Accepted' };
    });
    // Act
    const res = await c.nodeB.api('POST', `/api/v1/chargers/${id}/commands/Reset`, { type: 'Soft' });
    // Assert
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ action: 'Reset', response: { status: 'Accepted' } });
    expect(seen).to.deep.equal([{ type: 'Soft' }]);
    await client.close();
  });

  it('should carry a charger timeout on the holding node back as 504', async () => {
    const { id, client } = await chargerOnNodeA(() => new Promise(() => undefined));
    const res = await c.nodeB.api('POST', `/api/v1/chargers/${id}/commands/Reset?timeoutSec=1`, { type: 'Hard' });
    expect(res.status).to.equal(504);
    expect(res.body.error.message).to.match(/no answer within 1000 ms/);
    await client.close({ force: true });
  });

  it('should answer 409 for a registered charger that no node holds', async () => {
    const id = await aRegisteredCharger(c.nodeA.app.services);
    const res = await c.nodeB.api('POST', `/api/v1/chargers/${id}/commands/Reset`, { type: 'Soft' });
    expect(res.status).to.equal(409);
    expect(res.body.error.message).to.equal(`charger ${id} is not connected`);
  });

  it('should answer 409 when the node recorded as holding the charger is gone', async () => {
    const id = await aRegisteredCharger(c.nodeA.app.services);
    await c.testDb.db('charge_points').where({ id }).update({ is_connected: true, connected_node: `gone-${process.pid}` });
    const res = await c.nodeB.api('POST', `/api/v1/chargers/${id}/commands/Reset`, { type: 'Soft' });
    expect(res.status).to.equal(409);
    expect(res.body.error.message).to.equal(`charger ${id} is not connected (node gone-${process.pid} is gone)`);
  });
});
