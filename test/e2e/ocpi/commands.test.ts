// OCPI 2.2.1 commands RECEIVER (mod_commands §13.2.1): an eMSP (fetch) POSTs commands, a charger
// (ocpp-rpc, strict) answers the OCPP 1.6 calls, and the CommandResult reaches the eMSP's response_url
// (nock) through the outbox.
import { expect } from 'chai';
import nock from 'nock';
import { validateOcpi, validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { eventually } from '../../helpers/wait.ts';
import { aStartTransaction } from '../../fixtures/chargers.ts';
import { aScriptedCharger, anEmspToken, answer, callError, expectResultPost, neverAnswer, receivedCalls, type TestEmsp } from '../../fixtures/commands.ts';
import { useTwoEmspsAndScriptedCharger } from '../../fixtures/two-emsps-scripted-charger.ts';

const TIMEOUT_SEC = 2;

describe('e2e ocpi commands receiver', () => {
  const { t, emsp, other, cp, aRunningSession } = useTwoEmspsAndScriptedCharger({ timeoutSec: TIMEOUT_SEC, emspModules: ['commands', 'sessions'] });

  /** POSTs a command as `who`; checks the CommandResponse envelope. */
  async function command(name: string, body: unknown, who: TestEmsp = emsp) {
    const res = await who.call('POST', `/commands/${name}`, body);
    if (res.body.status_code === 1000 || res.body.status_code === 2003) expect(validateOcpiEnvelope(res.body, 'CommandResponse', { strict: true })).to.deep.equal({ ok: true });
    return res;
  }

  /** The CommandResult POSTed to `url`, validated against the schema. */
  async function resultAt(post: ReturnType<typeof expectResultPost>) {
    const body = await post.body();
    expect(validateOcpi('CommandResult', body, { strict: true })).to.deep.equal({ ok: true });
    expect(post.scope.isDone()).to.equal(true);
    return body;
  }

  const startBody = (url: string, o: Record<string, unknown> = {}) => ({ response_url: url, token: anEmspToken(emsp), location_id: cp.locationId, evse_uid: cp.evseUid, connector_id: '1', ...o });

  describe('START_SESSION', () => {
    it('§13.3.5: should answer ACCEPTED with the timeout, send RemoteStartTransaction and post ACCEPTED', async () => {
      // Arrange
      cp.script.RemoteStartTransaction = answer({ status: 'Accepted' });
      const url = emsp.responseUrl('start');
      const post = expectResultPost(url);
      const body = startBody(url);
      // Act
      const res = await command('START_SESSION', body);
      // Assert
      expect(res.status).to.equal(200);
      expect(res.body.data).to.deep.equal({ result: 'ACCEPTED', timeout: TIMEOUT_SEC });
      const [call] = await receivedCalls(cp, 'RemoteStartTransaction');
      expect(call).to.deep.equal({ idTag: body.token.uid, connectorId: 1 });
      expect(await resultAt(post)).to.deep.equal({ result: 'ACCEPTED' });
      const token = await t.db('id_tokens').where({ uid: body.token.uid }).first();
      expect(token.partner_fk).to.equal(emsp.partnerId);
    });

    it('§13.3.5: should link the session the charger then starts to the token and authorization_reference', async () => {
      // Arrange
      cp.script.RemoteStartTransaction = answer({ status: 'Accepted' });
      const url = emsp.responseUrl('start');
      const post = expectResultPost(url);
      const body = startBody(url, { authorization_reference: 'AUTH-REF-42' });
      let pushed: any;
      const sessionPush = nock(emsp.origin).put(/\/ocpi\/2\.2\.1\/sessions\/.+/, (b) => ((pushed = b), true)).reply(200, { status_code: 1000, timestamp: new Date().toISOString() });
      // Act
      await command('START_SESSION', body);
      await resultAt(post);
      const started = (await cp.client.call('StartTransaction', aStartTransaction(body.token.uid, { connectorId: 1 }))) as any;
      // Assert
      expect(started.idTagInfo.status).to.equal('Accepted');
      const session = await t.db('sessions').where({ id: started.transactionId }).first();
      const token = await t.db('id_tokens').where({ uid: body.token.uid, party_id: emsp.partyId }).first();
      expect({ ref: session.authorization_reference, method: session.auth_method, token: session.token_fk }).to.deep.equal({ ref: 'AUTH-REF-42', method: 'COMMAND', token: token.id });
      await eventually(async () => sessionPush.isDone(), 'the session PUT to the eMSP', 10_000);
      expect({ ref: pushed.authorization_reference, method: pushed.auth_method, uid: pushed.cdr_token?.uid }).to.deep.equal({ ref: 'AUTH-REF-42', method: 'COMMAND', uid: body.token.uid });
      await cp.client.call('StopTransaction', { transactionId: started.transactionId, meterStop: 2000, timestamp: new Date().toISOString(), reason: 'Remote' });
    });

    it('§13.3.5: should accept the charger\'s Authorize and StartTransaction of a NEVER-whitelisted token without a real-time request', async () => {
      // Arrange: the eMSP has no tokens endpoint, so a real-time request could only fail (and be refused)
      cp.script.RemoteStartTransaction = answer({ status: 'Accepted' });
      const url = emsp.responseUrl('start');
      const post = expectResultPost(url);
      const body = startBody(url, { token: anEmspToken(emsp, { whitelist: 'NEVER' }), authorization_reference: 'AUTH-NEVER' });
      await command('START_SESSION', body);
      await resultAt(post);
      // Act
      const authorized = (await cp.client.call('Authorize', { idTag: body.token.uid })) as any;
      const started = (await cp.client.call('StartTransaction', aStartTransaction(body.token.uid, { connectorId: 1 }))) as any;
      // Assert
      expect([authorized.idTagInfo.status, started.idTagInfo.status]).to.deep.equal(['Accepted', 'Accepted']);
      const session = await t.db('sessions').where({ id: started.transactionId }).first();
      expect({ status: session.status, ref: session.authorization_reference }).to.deep.equal({ status: 'ACTIVE', ref: 'AUTH-NEVER' });
      await cp.client.call('StopTransaction', { transactionId: started.transactionId, meterStop: 2000, timestamp: new Date().toISOString(), reason: 'Remote' });
    });

    it('§13.4.2: should post REJECTED when the charger rejects RemoteStartTransaction', async () => {
      cp.script.RemoteStartTransaction = answer({ status: 'Rejected' });
      const url = emsp.responseUrl('start');
      const post = expectResultPost(url);
      const res = await command('START_SESSION', startBody(url));
      expect(res.body.data.result).to.equal('ACCEPTED');
      expect((await resultAt(post)).result).to.equal('REJECTED');
    });

    it('§13.4.2: should post TIMEOUT when the charger never answers within the command timeout', async () => {
      cp.script.RemoteStartTransaction = neverAnswer;
      const url = emsp.responseUrl('start');
      const post = expectResultPost(url);
      await command('START_SESSION', startBody(url));
      expect((await resultAt(post)).result).to.equal('TIMEOUT');
    });

    it('§13.1: should answer status 2003 with REJECTED for an unknown location, without calling the charger', async () => {
      const before = cp.received.length;
      const res = await command('START_SESSION', startBody(emsp.responseUrl('start'), { location_id: 'NO-SUCH-LOC' }));
      expect(res.status).to.equal(404);
      expect(res.body.status_code).to.equal(2003);
      expect(res.body.data.result).to.equal('REJECTED');
      expect(cp.received.length).to.equal(before);
    });

    it('should answer REJECTED for an unknown EVSE or connector', async () => {
      const noEvse = await command('START_SESSION', startBody(emsp.responseUrl('start'), { evse_uid: 'NO-SUCH-EVSE', connector_id: undefined }));
      const noConnector = await command('START_SESSION', startBody(emsp.responseUrl('start'), { connector_id: '9' }));
      expect([noEvse.body.data.result, noConnector.body.data.result]).to.deep.equal(['REJECTED', 'REJECTED']);
      expect(noConnector.body.data.message[0].text).to.equal(`unknown connector_id 9 on EVSE ${cp.evseUid}`);
    });

    it('§13.3.5: should answer REJECTED for a token of another party than the eMSP', async () => {
      const res = await command('START_SESSION', startBody(emsp.responseUrl('start'), { token: anEmspToken({ countryCode: 'NL', partyId: 'XYZ' }) }));
      expect(res.body.data.result).to.equal('REJECTED');
    });

    it('§13.2.1.1: should refuse a body without location_id with 2001 naming the field', async () => {
      const { location_id: _l, ...body } = startBody(emsp.responseUrl('start'));
      const res = await command('START_SESSION', body);
      expect(res.status).to.equal(400);
      expect(res.body.status_code).to.equal(2001);
      expect(res.body.status_message).to.contain('location_id');
    });
  });

  describe('STOP_SESSION', () => {
    it('§13.3.6: should send RemoteStopTransaction for the session and post ACCEPTED', async () => {
      const session = await aRunningSession(other);
      cp.script.RemoteStopTransaction = answer({ status: 'Accepted' });
      const url = other.responseUrl('stop');
      const post = expectResultPost(url);
      const res = await command('STOP_SESSION', { response_url: url, session_id: session.uid }, other);
      expect(res.body.data).to.deep.equal({ result: 'ACCEPTED', timeout: TIMEOUT_SEC });
      expect((await receivedCalls(cp, 'RemoteStopTransaction')).at(-1)).to.deep.equal({ transactionId: session.id });
      expect(await resultAt(post)).to.deep.equal({ result: 'ACCEPTED' });
    });

    it('§13.4.2: should post REJECTED when the charger rejects RemoteStopTransaction', async () => {
      const session = await aRunningSession(other);
      cp.script.RemoteStopTransaction = answer({ status: 'Rejected' });
      const url = other.responseUrl('stop');
      const post = expectResultPost(url);
      await command('STOP_SESSION', { response_url: url, session_id: session.uid }, other);
      expect((await resultAt(post)).result).to.equal('REJECTED');
    });

    it('§13.4.1: should answer UNKNOWN_SESSION for an unknown session and for another eMSP\'s session', async () => {
      const session = await aRunningSession(other);
      const unknown = await command('STOP_SESSION', { response_url: emsp.responseUrl('stop'), session_id: 'no-such-session' });
      const foreign = await command('STOP_SESSION', { response_url: emsp.responseUrl('stop'), session_id: session.uid });
      expect([unknown.body.data.result, foreign.body.data.result]).to.deep.equal(['UNKNOWN_SESSION', 'UNKNOWN_SESSION']);
    });
  });

  describe('RESERVE_NOW and CANCEL_RESERVATION', () => {
    const reserveBody = (url: string, reservationId: string) => ({
      response_url: url, token: anEmspToken(emsp), expiry_date: new Date(Date.now() + 3_600_000).toISOString(), reservation_id: reservationId,
      location_id: cp.locationId, evse_uid: cp.evseUid,
    });

    it('§13.3.4: should send ReserveNow with a reservationId of our own and post ACCEPTED; CANCEL should cancel it', async () => {
      // Arrange
      cp.script.ReserveNow = answer({ status: 'Accepted' });
      cp.script.CancelReservation = answer({ status: 'Accepted' });
      const reserveUrl = emsp.responseUrl('reserve');
      const reservePost = expectResultPost(reserveUrl);
      // Act: reserve
      const res = await command('RESERVE_NOW', reserveBody(reserveUrl, 'EMSP-RES-1'));
      // Assert
      expect(res.body.data.result).to.equal('ACCEPTED');
      expect(await resultAt(reservePost)).to.deep.equal({ result: 'ACCEPTED' });
      const [reserve] = (await receivedCalls(cp, 'ReserveNow')).slice(-1);
      const row = await t.db('reservations').where({ partner_fk: emsp.partnerId, ocpi_reservation_id: 'EMSP-RES-1' }).first();
      expect(reserve).to.deep.include({ connectorId: 1, reservationId: row.id });
      expect(row.status).to.equal('Accepted');
      // Act: cancel
      const cancelUrl = emsp.responseUrl('cancel');
      const cancelPost = expectResultPost(cancelUrl);
      const cancel = await command('CANCEL_RESERVATION', { response_url: cancelUrl, reservation_id: 'EMSP-RES-1' });
      // Assert
      expect(cancel.body.data.result).to.equal('ACCEPTED');
      expect(await resultAt(cancelPost)).to.deep.equal({ result: 'ACCEPTED' });
      expect((await receivedCalls(cp, 'CancelReservation')).at(-1)).to.deep.equal({ reservationId: row.id });
      expect((await t.db('reservations').where({ id: row.id }).first()).status).to.equal('Cancelled');
    });

    it('§13.3.4: should reuse the reservationId when the eMSP replaces its reservation', async () => {
      cp.script.ReserveNow = answer({ status: 'Accepted' });
      for (const tag of ['first', 'again']) {
        const url = emsp.responseUrl(tag);
        const post = expectResultPost(url);
        await command('RESERVE_NOW', reserveBody(url, 'EMSP-RES-2'));
        await post.body();
      }
      const [a, b] = (await receivedCalls(cp, 'ReserveNow', 2)).slice(-2);
      expect(a.reservationId).to.equal(b.reservationId);
    });

    it('§13.4.2: should post EVSE_OCCUPIED when the charger answers Occupied', async () => {
      cp.script.ReserveNow = answer({ status: 'Occupied' });
      const url = emsp.responseUrl('reserve');
      const post = expectResultPost(url);
      await command('RESERVE_NOW', reserveBody(url, 'EMSP-RES-3'));
      expect((await resultAt(post)).result).to.equal('EVSE_OCCUPIED');
    });

    it('§13.4.2: should post UNKNOWN_RESERVATION when the charger rejects CancelReservation', async () => {
      cp.script.ReserveNow = answer({ status: 'Accepted' });
      cp.script.CancelReservation = answer({ status: 'Rejected' });
      const reserveUrl = emsp.responseUrl('reserve');
      const reservePost = expectResultPost(reserveUrl);
      await command('RESERVE_NOW', reserveBody(reserveUrl, 'EMSP-RES-4'));
      await reservePost.body();
      const url = emsp.responseUrl('cancel');
      const post = expectResultPost(url);
      await command('CANCEL_RESERVATION', { response_url: url, reservation_id: 'EMSP-RES-4' });
      expect((await resultAt(post)).result).to.equal('UNKNOWN_RESERVATION');
    });

    it('should answer REJECTED to CANCEL_RESERVATION of a reservation the eMSP never made', async () => {
      const res = await command('CANCEL_RESERVATION', { response_url: emsp.responseUrl('cancel'), reservation_id: 'NEVER-MADE' });
      expect(res.body.data.result).to.equal('REJECTED');
    });

    it('should answer REJECTED to RESERVE_NOW with an expiry_date in the past', async () => {
      const res = await command('RESERVE_NOW', { ...reserveBody(emsp.responseUrl('reserve'), 'EMSP-RES-5'), expiry_date: '2020-01-01T00:00:00Z' });
      expect(res.body.data.result).to.equal('REJECTED');
    });
  });

  describe('UNLOCK_CONNECTOR', () => {
    const unlockBody = (url: string) => ({ response_url: url, location_id: cp.locationId, evse_uid: cp.evseUid, connector_id: '1' });

    it('§13.3.7: should send UnlockConnector on the OCPP connector and post ACCEPTED when unlocked', async () => {
      cp.script.UnlockConnector = answer({ status: 'Unlocked' });
      const url = emsp.responseUrl('unlock');
      const post = expectResultPost(url);
      const res = await command('UNLOCK_CONNECTOR', unlockBody(url));
      expect(res.body.data.result).to.equal('ACCEPTED');
      expect((await receivedCalls(cp, 'UnlockConnector')).at(-1)).to.deep.equal({ connectorId: 1 });
      expect(await resultAt(post)).to.deep.equal({ result: 'ACCEPTED' });
    });

    it('§13.4.2: should post FAILED when the connector stays locked', async () => {
      cp.script.UnlockConnector = answer({ status: 'UnlockFailed' });
      const url = emsp.responseUrl('unlock');
      const post = expectResultPost(url);
      await command('UNLOCK_CONNECTOR', unlockBody(url));
      expect((await resultAt(post)).result).to.equal('FAILED');
    });

    it('§13.4.2: should post NOT_SUPPORTED when the charger answers CALLERROR NotImplemented', async () => {
      cp.script.UnlockConnector = callError('NotImplemented');
      const url = emsp.responseUrl('unlock');
      const post = expectResultPost(url);
      await command('UNLOCK_CONNECTOR', unlockBody(url));
      expect((await resultAt(post)).result).to.equal('NOT_SUPPORTED');
    });
  });

  it('versions §6.2: should list commands and chargingprofiles as RECEIVER in the version details', async () => {
    const res = await emsp.call('GET', '');
    const endpoints = res.body.data.endpoints.filter((e: { identifier: string }) => ['commands', 'chargingprofiles'].includes(e.identifier));
    expect(endpoints).to.deep.equal([
      { identifier: 'commands', role: 'RECEIVER', url: `${t.httpUrl}/ocpi/2.2.1/commands` },
      { identifier: 'chargingprofiles', role: 'RECEIVER', url: `${t.httpUrl}/ocpi/2.2.1/chargingprofiles` },
    ]);
  });

  it('§13.4.1: should answer NOT_SUPPORTED for a command it does not know', async () => {
    const res = await command('SELF_DESTRUCT', { response_url: emsp.responseUrl('x') });
    expect(res.body.data.result).to.equal('NOT_SUPPORTED');
  });

  it('should answer REJECTED when the charger is offline', async () => {
    const offline = await aScriptedCharger(t);
    await offline.client.close();
    await eventually(async () => (await t.db('charge_points').where({ id: offline.id }).first()).is_connected === false, 'the charger to be offline');
    const res = await command('UNLOCK_CONNECTOR', { response_url: emsp.responseUrl('unlock'), location_id: offline.locationId, evse_uid: offline.evseUid, connector_id: '1' });
    expect(res.body.data).to.deep.include({ result: 'REJECTED', message: [{ language: 'en', text: 'charge point is offline' }] });
  });
});
