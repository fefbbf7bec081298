// Live monitoring across nodes (issue 9): a client of GET /api/v1/events on node B gets the events of a
// charger whose socket node A holds, woken over the Redis bus (the safety-net poll is set far off here).
import { expect } from 'chai';
import { useTwoNodes, aChargerOn } from '../../helpers/cluster.ts';
import { openSse } from '../../helpers/sse.ts';
import { aStatusNotification } from '../../fixtures/chargers.ts';

describe('e2e cluster: live events of a charger on another node', () => {
  const nodes = useTwoNodes({ nodeA: { 'events.pollIntervalMs': 60_000 }, nodeB: { 'events.pollIntervalMs': 60_000 } });

  it('should stream on node B the status and disconnection of a charger connected to node A', async () => {
    // Arrange
    const { id, client } = await aChargerOn(nodes.nodeA, () => undefined);
    const sse = await openSse(`${nodes.nodeB.httpUrl}/api/v1/events?chargePointId=${id}`, { authorization: `Bearer ${nodes.nodeB.adminKey}` });
    try {
      // Act
      await client.call('StatusNotification', aStatusNotification({ status: 'Charging' }));
      await client.close();
      // Assert
      const status = await sse.next((e) => e.event === 'connector.status', 'the status via node A');
      expect(status.data).to.include({ chargePointId: id, status: 'Charging' });
      await sse.next((e) => e.event === 'charger.disconnected', 'the disconnection via node A');
    } finally {
      sse.close();
    }
  });

  it('should resume on node B after a Last-Event-ID given by node A', async () => {
    // Arrange
    const { id, client } = await aChargerOn(nodes.nodeA, () => undefined);
    const onA = await openSse(`${nodes.nodeA.httpUrl}/api/v1/events?chargePointId=${id}&types=connector.status`, { authorization: `Bearer ${nodes.nodeA.adminKey}` });
    await client.call('StatusNotification', aStatusNotification({ status: 'Preparing' }));
    await client.call('StatusNotification', aStatusNotification({ status: 'Charging' }));
    const preparing = await onA.next((e) => e.data.status === 'Preparing', 'Preparing on A');
    await onA.next((e) => e.data.status === 'Charging', 'Charging on A');
    onA.close();
    // Act
    const onB = await openSse(`${nodes.nodeB.httpUrl}/api/v1/events?chargePointId=${id}&types=connector.status`, { authorization: `Bearer ${nodes.nodeB.adminKey}`, 'last-event-id': preparing.id! });
    try {
      // Assert
      const charging = await onB.next((e) => e.data.status === 'Charging', 'the replayed Charging on B');
      expect(Number(charging.id)).to.be.greaterThan(Number(preparing.id));
      expect(onB.events.map((e) => e.data.status)).to.deep.equal(['Charging']);
    } finally {
      onB.close();
      await client.close();
    }
  });
});
