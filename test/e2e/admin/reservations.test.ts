// Admin API for the eMSPs' reservations (OCPI 2.2.1 RESERVE_NOW): the CPO lists them, reads one and
// cancels it at the charger (OCPP 1.6 §5.3 CancelReservation); the eMSP then gets CANCELED_RESERVATION
// (commands §13.4.2) at the RESERVE_NOW's response_url through the outbox. A StartTransaction with the
// reservationId uses the reservation up (OCPP 1.6 §4.8, §5.13); one past expires_at is Expired.
import { expect } from 'chai';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aStartTransaction } from '../../fixtures/chargers.ts';
import { aScriptedCharger, aTestEmsp, anEmspToken, answer, callError, expectResultPost, receivedCalls, type ScriptedCharger, type TestEmsp } from '../../fixtures/commands.ts';

describe('e2e admin reservations', () => {
  let emsp: TestEmsp;
  let cp: ScriptedCharger;
  let seq = 0;
  // Registered first: the charger is closed before useTestApp's after closes the app.
  after(async () => {
    await cp?.client.close({ force: true });
  });
  const t = useTestApp({ nock: true, overrides: { 'ocpp.callTimeoutSec': 5 } });

  before(async () => {
    t.app.pushWorker.start();
    emsp = await aTestEmsp(t);
    cp = await aScriptedCharger(t);
  });
  afterEach(() => {
    cp.script = {};
  });

  /** An eMSP reservation at `charger` that the charger accepted (its ACCEPTED result delivered). */
  async function anAcceptedReservation(charger: ScriptedCharger = cp, o: Record<string, unknown> = {}) {
    charger.script.ReserveNow = answer({ status: 'Accepted' });
    const responseUrl = emsp.responseUrl('reserve');
    const accepted = expectResultPost(responseUrl);
    const token = anEmspToken(emsp);
    seq += 1;
    const body = {
      response_url: responseUrl, token, expiry_date: new Date(Date.now() + 3_600_000).toISOString(), reservation_id: `ADMIN-RES-${seq}`,
      location_id: charger.locationId, evse_uid: charger.evseUid, ...o,
    };
    const res = await emsp.call('POST', '/commands/RESERVE_NOW', body);
    expect(res.body.data.result).to.equal('ACCEPTED');
    expect(await accepted.body()).to.deep.equal({ result: 'ACCEPTED' });
    const row = await t.db('reservations').where({ partner_fk: emsp.partnerId, ocpi_reservation_id: body.reservation_id }).first();
    return { id: row.id as number, responseUrl, token };
  }

  const queuedResultsAt = async (url: string) => Number((await t.db('ocpi_outbox').where({ url }).count({ n: '*' }))[0].n);

  describe('GET /reservations', () => {
    it('should list the reservations of a charger with their status, filtered by status and partner, with the total', async () => {
      // Arrange
      const a = await anAcceptedReservation();
      const b = await anAcceptedReservation();
      // Act
      const all = await t.api('GET', `/api/v1/reservations?chargePointId=${cp.id}&partner=${emsp.partnerId}&status=Accepted&limit=1`);
      const next = await t.api('GET', `/api/v1/reservations?chargePointId=${cp.id}&partner=${emsp.partnerId}&status=Accepted&limit=1&offset=1`);
      // Assert: newest first, one per page
      expect(all.status).to.equal(200);
      expect(all.body.data.map((r: any) => r.id)).to.deep.equal([b.id]);
      expect(next.body.data.map((r: any) => r.id)).to.deep.equal([a.id]);
      expect(all.body.total).to.be.at.least(2);
      expect(all.body.data[0]).to.deep.include({ chargePointId: cp.id, connectorNumber: 1, partnerFk: emsp.partnerId, status: 'Accepted', idTag: b.token.uid, responseUrl: b.responseUrl });
    });

    it('should answer 400 for an unknown status and for a partner that is not an id', async () => {
      const badStatus = await t.api('GET', '/api/v1/reservations?status=Gone');
      const badPartner = await t.api('GET', '/api/v1/reservations?partner=abc');

      expect([badStatus.status, badPartner.status]).to.deep.equal([400, 400]);
      expect(badStatus.body.error.message).to.match(/^status: must be one of Requested, Accepted/);
    });
  });

  describe('GET /reservations/{id}', () => {
    it('should answer the reservation', async () => {
      const r = await anAcceptedReservation();

      const res = await t.api('GET', `/api/v1/reservations/${r.id}`);

      expect(res.status).to.equal(200);
      expect(res.body).to.deep.include({ id: r.id, status: 'Accepted', locationId: cp.locationId, evseUid: cp.evseUid });
    });

    it('should answer 404 for an unknown id and 400 for an id that is not one', async () => {
      const unknown = await t.api('GET', '/api/v1/reservations/2000000000');
      const bad = await t.api('GET', '/api/v1/reservations/x1');

      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.message).to.equal('reservation 2000000000 not found');
      expect(bad.status).to.equal(400);
    });

    it('OCPP16 §5.13: should show an Accepted reservation whose expires_at has passed as Expired, and refuse to cancel it', async () => {
      // Arrange: the reservation's time runs out (the charger drops it by itself)
      const r = await anAcceptedReservation();
      await t.db('reservations').where({ id: r.id }).update({ expires_at: new Date(Date.now() - 60_000) });
      // Act
      const res = await t.api('GET', `/api/v1/reservations/${r.id}`);
      const listed = await t.api('GET', `/api/v1/reservations?chargePointId=${cp.id}&status=Expired`);
      const cancel = await t.api('POST', `/api/v1/reservations/${r.id}/cancel`);
      // Assert
      expect(res.body.status).to.equal('Expired');
      expect(listed.body.data.map((x: any) => x.id)).to.include(r.id);
      expect(cancel.status).to.equal(409);
      expect(cancel.body.error.message).to.equal(`reservation ${r.id} is Expired: only an Accepted reservation can be cancelled`);
      expect(cp.received.filter((c) => c.action === 'CancelReservation' && c.params.reservationId === r.id)).to.deep.equal([]);
    });
  });

  describe('POST /reservations/{id}/cancel', () => {
    it('OCPP16 §5.3: should cancel at the charger, store Cancelled and post CANCELED_RESERVATION to the RESERVE_NOW response_url', async () => {
      // Arrange
      const r = await anAcceptedReservation();
      cp.script.CancelReservation = answer({ status: 'Accepted' });
      const post = expectResultPost(r.responseUrl);
      // Act
      const res = await t.api('POST', `/api/v1/reservations/${r.id}/cancel`);
      // Assert
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.include({ id: r.id, status: 'Cancelled' });
      expect((await receivedCalls(cp, 'CancelReservation')).at(-1)).to.deep.equal({ reservationId: r.id });
      const result = await post.body();
      expect(validateOcpi('CommandResult', result, { strict: true })).to.deep.equal({ ok: true });
      expect(result).to.deep.equal({ result: 'CANCELED_RESERVATION', message: [{ language: 'en', text: 'The Reservation has been canceled by the CPO' }] });
      expect(post.scope.isDone()).to.equal(true);
    });

    it('should answer 409 and change nothing when the charger rejects the cancellation', async () => {
      // Arrange
      const r = await anAcceptedReservation();
      cp.script.CancelReservation = answer({ status: 'Rejected' });
      // Act
      const res = await t.api('POST', `/api/v1/reservations/${r.id}/cancel`);
      // Assert
      expect(res.status).to.equal(409);
      expect(res.body.error.message).to.equal(`charger ${cp.id} rejected the cancellation of reservation ${r.id} (CancelReservation Rejected)`);
      expect((await t.api('GET', `/api/v1/reservations/${r.id}`)).body.status).to.equal('Accepted');
      expect(await queuedResultsAt(r.responseUrl)).to.equal(1); // the RESERVE_NOW's ACCEPTED only
    });

    it('should answer 502 with the CALLERROR and change nothing when the charger does not support CancelReservation', async () => {
      const r = await anAcceptedReservation();
      cp.script.CancelReservation = callError('NotSupported');

      const res = await t.api('POST', `/api/v1/reservations/${r.id}/cancel`);

      expect(res.status).to.equal(502);
      expect(res.body.error.ocppErrorCode).to.equal('NotSupported');
      expect((await t.api('GET', `/api/v1/reservations/${r.id}`)).body.status).to.equal('Accepted');
    });

    it('should answer 409 for a reservation already cancelled, without calling the charger', async () => {
      // Arrange
      const r = await anAcceptedReservation();
      cp.script.CancelReservation = answer({ status: 'Accepted' });
      const post = expectResultPost(r.responseUrl);
      await t.api('POST', `/api/v1/reservations/${r.id}/cancel`);
      await post.body();
      // Act
      const again = await t.api('POST', `/api/v1/reservations/${r.id}/cancel`);
      // Assert
      expect(again.status).to.equal(409);
      expect(again.body.error.message).to.equal(`reservation ${r.id} is Cancelled: only an Accepted reservation can be cancelled`);
      expect(cp.received.filter((c) => c.action === 'CancelReservation' && c.params.reservationId === r.id)).to.have.length(1);
      expect(await queuedResultsAt(r.responseUrl)).to.equal(2);
    });

    it('should answer 404 for an unknown reservation', async () => {
      const res = await t.api('POST', '/api/v1/reservations/2000000000/cancel');
      expect(res.status).to.equal(404);
    });

    it('should answer 409 when the charger is offline, and leave the reservation Accepted', async () => {
      // Arrange: a second charger holds a reservation, then goes away
      const gone = await aScriptedCharger(t);
      const r = await anAcceptedReservation(gone);
      await gone.client.close({ force: true });
      await eventually(async () => (await t.db('charge_points').where({ id: gone.id }).first()).is_connected === false, `${gone.id} disconnected`);
      // Act
      const res = await t.api('POST', `/api/v1/reservations/${r.id}/cancel`);
      // Assert
      expect(res.status).to.equal(409);
      expect(res.body.error.message).to.equal(`charger ${gone.id} is not connected`);
      expect((await t.api('GET', `/api/v1/reservations/${r.id}`)).body.status).to.equal('Accepted');
    });
  });

  describe('StartTransaction with a reservationId', () => {
    it('OCPP16 §4.8: should make the reservation Used and give the session its reservationId, token and authorization_reference', async () => {
      // Arrange
      const r = await anAcceptedReservation(cp, { authorization_reference: 'RES-AUTH-1' });
      // Act
      const started = (await cp.client.call('StartTransaction', aStartTransaction(r.token.uid, { connectorId: 1, reservationId: r.id }))) as any;
      // Assert
      const res = await t.api('GET', `/api/v1/reservations/${r.id}`);
      expect(res.body.status).to.equal('Used');
      const session = await t.db('sessions').where({ id: started.transactionId }).first();
      const token = await t.db('id_tokens').where({ uid: r.token.uid, party_id: emsp.partyId }).first();
      expect({ reservation: session.reservation_id, token: session.token_fk, ref: session.authorization_reference }).to.deep.equal({ reservation: r.id, token: token.id, ref: 'RES-AUTH-1' });
      const cancel = await t.api('POST', `/api/v1/reservations/${r.id}/cancel`);
      expect(cancel.status).to.equal(409);
      await cp.client.call('StopTransaction', { transactionId: started.transactionId, meterStop: 2000, timestamp: new Date().toISOString(), reason: 'Local' });
    });

    it('should not use a reservation of another charger, nor one that had expired when the transaction started', async () => {
      // Arrange
      const other = await aScriptedCharger(t);
      const elsewhere = await anAcceptedReservation(other);
      const late = await anAcceptedReservation();
      const expiresAt = (await t.api('GET', `/api/v1/reservations/${late.id}`)).body.expiresAt as string;
      const afterExpiry = new Date(new Date(expiresAt).getTime() + 60_000).toISOString();
      // Act
      const a = (await cp.client.call('StartTransaction', aStartTransaction(elsewhere.token.uid, { connectorId: 1, reservationId: elsewhere.id }))) as any;
      const b = (await cp.client.call('StartTransaction', aStartTransaction(late.token.uid, { connectorId: 1, reservationId: late.id, timestamp: afterExpiry }))) as any;
      // Assert
      expect((await t.api('GET', `/api/v1/reservations/${elsewhere.id}`)).body.status).to.equal('Accepted');
      expect((await t.db('reservations').where({ id: late.id }).first()).status).to.equal('Accepted');
      for (const id of [a.transactionId, b.transactionId]) await cp.client.call('StopTransaction', { transactionId: id, meterStop: 2000, timestamp: afterExpiry, reason: 'Local' });
      await other.client.close({ force: true });
    });
  });
});
