// OCPP 2.0.1 reservations (issue 12, functional block H): OCPI RESERVE_NOW and the CPO's cancel reach a 2.0.1
// station as ReserveNow / CancelReservation; its ReservationStatusUpdate (Expired / Removed) ends the reservation.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectRaw, rawCall, type ChargerClient } from '../../helpers/charger.ts';
import { aLocation, anEvseUid, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aTestEmsp, anEmspToken, expectResultPost, type TestEmsp } from '../../fixtures/commands.ts';
import { aBootedCharger201, aStatusNotification201 } from '../../fixtures/ocpp201.ts';

describe('e2e OCPP 2.0.1 reservations', () => {
  let emsp: TestEmsp;
  let seq = 0;
  const t = useTestApp({ nock: true, overrides: { 'ocpp.callTimeoutSec': 5 } });

  before(async () => {
    t.app.pushWorker.start();
    emsp = await aTestEmsp(t);
  });

  /** A 2.0.1 station on an EVSE of a location, Available, that accepted an eMSP's RESERVE_NOW. */
  async function anAcceptedReservation(): Promise<{ id: string; client: ChargerClient; reservationId: number; received: any[]; uid: string; responseUrl: string }> {
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    const { id, client } = await aBootedCharger201(t, { locationId, evseUid });
    await client.call('StatusNotification', aStatusNotification201());
    const received: any[] = [];
    client.handle('ReserveNow', async ({ params }) => {
      received.push(['ReserveNow', params]);
      return { status: 'Accepted' };
    });
    client.handle('CancelReservation', async ({ params }) => {
      received.push(['CancelReservation', params]);
      return { status: 'Accepted' };
    });
    const responseUrl = emsp.responseUrl('reserve');
    const accepted = expectResultPost(responseUrl);
    const token = anEmspToken(emsp);
    seq += 1;
    const res = await emsp.call('POST', '/commands/RESERVE_NOW', { response_url: responseUrl, token, expiry_date: new Date(Date.now() + 3_600_000).toISOString(), reservation_id: `R201-${seq}`, location_id: locationId, evse_uid: evseUid });
    expect(res.body.data.result).to.equal('ACCEPTED');
    expect(await accepted.body()).to.deep.equal({ result: 'ACCEPTED' });
    const row = await t.db('reservations').where({ charge_point_id: id }).first();
    return { id, client, reservationId: row.id, received, uid: token.uid, responseUrl };
  }

  const statusOf = async (reservationId: number) => (await t.db('reservations').where({ id: reservationId }).first()).status;

  it('OCPP201 H01: should send an OCPI RESERVE_NOW to a 2.0.1 station as ReserveNow with a Central idToken on EVSE 1', async () => {
    const { client, reservationId, received, uid } = await anAcceptedReservation();
    await client.close();

    expect(received).to.have.length(1);
    const [action, params] = received[0];
    expect([action, params.id, params.idToken, params.evseId, typeof params.expiryDateTime]).to.deep.equal(['ReserveNow', reservationId, { idToken: uid, type: 'Central' }, 1, 'string']);
    expect(await statusOf(reservationId)).to.equal('Accepted');
  });

  it('OCPP201 H02: should cancel a reservation at a 2.0.1 station through the admin API', async () => {
    const { client, reservationId, received, responseUrl } = await anAcceptedReservation();
    const cancelled = expectResultPost(responseUrl);

    const res = await t.api('POST', `/api/v1/reservations/${reservationId}/cancel`);
    await client.close();

    expect([res.status, received[1]]).to.deep.equal([200, ['CancelReservation', { reservationId }]]);
    expect((await cancelled.body()).result).to.equal('CANCELED_RESERVATION');
    expect(await statusOf(reservationId)).to.equal('Cancelled');
  });

  it('OCPP201 H03: should end a reservation on ReservationStatusUpdate Expired / Removed, only once and only for its charger', async () => {
    // Arrange
    const a = await anAcceptedReservation();
    const b = await anAcceptedReservation();

    // Act
    const answers = [
      await a.client.call('ReservationStatusUpdate', { reservationId: a.reservationId, reservationUpdateStatus: 'Expired' }),
      await a.client.call('ReservationStatusUpdate', { reservationId: a.reservationId, reservationUpdateStatus: 'Removed' }),
      await a.client.call('ReservationStatusUpdate', { reservationId: b.reservationId, reservationUpdateStatus: 'Removed' }),
    ];
    const bBefore = await statusOf(b.reservationId);
    await b.client.call('ReservationStatusUpdate', { reservationId: b.reservationId, reservationUpdateStatus: 'Removed' });
    await a.client.close();
    await b.client.close();

    // Assert: the second update of a and a's update naming b changed nothing
    expect(answers).to.deep.equal([{}, {}, {}]);
    expect([await statusOf(a.reservationId), bBefore, await statusOf(b.reservationId)]).to.deep.equal(['Expired', 'Accepted', 'Cancelled']);
  });

  it('OCPP-J 2.0.1 §4.3: should answer a malformed ReservationStatusUpdate with a 2.0.1 CALLERROR and change nothing', async () => {
    const { id, client, reservationId } = await anAcceptedReservation();
    await client.close();
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });

    const replies = [
      await rawCall(sock, 'ReservationStatusUpdate', { reservationId, reservationUpdateStatus: 'Gone' }, 'm1'),
      await rawCall(sock, 'ReservationStatusUpdate', { reservationUpdateStatus: 'Expired' }, 'm2'),
    ];
    await sock.close();

    expect(replies.map((r) => r[2])).to.deep.equal(['PropertyConstraintViolation', 'OccurrenceConstraintViolation']);
    expect(await statusOf(reservationId)).to.equal('Accepted');
  });
});
