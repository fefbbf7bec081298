// Cluster mode: the CPO cancels a reservation through node B while node A holds the charger's socket;
// CancelReservation travels over the Redis command bus like every other command. Needs Redis on
// 127.0.0.1:6379 (.ci/run starts it).
import { expect } from 'chai';
import { aChargerOn, useTwoNodes } from '../../helpers/cluster.ts';

describe('cluster: reservation cancelled through another node', function () {
  const c = useTwoNodes();

  it('OCPP16 §5.3: should send CancelReservation to the charger on node A and store Cancelled', async () => {
    // Arrange: a charger on node A holding an Accepted reservation
    const seen: unknown[] = [];
    const { id, client } = await aChargerOn(c.nodeA, (cp) => cp.handle('CancelReservation', async ({ params }) => {
      seen.push(params);
      return { status: 'Accepted' };
    }));
    const [row] = await c.testDb.db('reservations')
      .insert({ charge_point_id: id, connector_number: 1, id_tag: 'TAGCLUSTER', expires_at: new Date(Date.now() + 3_600_000), status: 'Accepted' })
      .returning('id');
    // Act
    const res = await c.nodeB.api('POST', `/api/v1/reservations/${row.id}/cancel`);
    // Assert
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal('Cancelled');
    expect(seen).to.deep.equal([{ reservationId: row.id }]);
    await client.close();
  });
});
