// OCPI 2.2.1 chargingprofiles RECEIVER (mod_charging_profiles): an eMSP (fetch) sets, reads and clears
// the profile of its running session; a charger (ocpp-rpc, strict) answers the OCPP 1.6 smart charging
// calls, and each result reaches the eMSP's response_url (nock) through the outbox.
import { expect } from 'chai';
import nock from 'nock';
import { validateOcpi, validateOcpiEnvelope, type OcpiSchemaName } from '../../../src/ocpi/validate.ts';
import { eventually } from '../../helpers/wait.ts';
import { aScriptedCharger, aTestEmsp, answer, expectResultPost, neverAnswer, receivedCalls, type ScriptedCharger, type TestEmsp } from '../../fixtures/commands.ts';
import { useTwoEmspsAndScriptedCharger } from '../../fixtures/two-emsps-scripted-charger.ts';

const TIMEOUT_SEC = 2;

describe('e2e ocpi chargingprofiles receiver', () => {
  const { t, emsp, other, cp, aRunningSession } = useTwoEmspsAndScriptedCharger({ timeoutSec: TIMEOUT_SEC });

  /** Calls the chargingprofiles endpoint; checks the ChargingProfileResponse envelope of a 1000 answer. */
  async function profiles(method: string, path: string, body?: unknown, who: TestEmsp = emsp) {
    const res = await who.call(method, `/chargingprofiles/${path}`, body);
    if (res.body.status_code === 1000) expect(validateOcpiEnvelope(res.body, 'ChargingProfileResponse', { strict: true })).to.deep.equal({ ok: true });
    return res;
  }

  async function resultAt(post: ReturnType<typeof expectResultPost>, schema: OcpiSchemaName) {
    const body = await post.body();
    expect(validateOcpi(schema, body, { strict: true })).to.deep.equal({ ok: true });
    return body;
  }

  const aProfile = () => ({ charging_rate_unit: 'A', min_charging_rate: 6, charging_profile_period: [{ start_period: 0, limit: 16 }, { start_period: 900, limit: 7.1 }] });

  describe('PUT (SetChargingProfile)', () => {
    it('should answer ACCEPTED, set a TxProfile of the transaction on the charger and post ACCEPTED', async () => {
      // Arrange
      const session = await aRunningSession();
      cp.script.SetChargingProfile = answer({ status: 'Accepted' });
      const url = emsp.responseUrl('set');
      const post = expectResultPost(url);
      // Act
      const res = await profiles('PUT', session.uid, { charging_profile: aProfile(), response_url: url });
      // Assert
      expect(res.body.data).to.deep.equal({ result: 'ACCEPTED', timeout: TIMEOUT_SEC });
      const [call] = (await receivedCalls(cp, 'SetChargingProfile')).slice(-1);
      const stored = await t.db('ocpi_charging_profiles').where({ session_fk: session.id }).first();
      expect(call).to.deep.equal({
        connectorId: 1,
        csChargingProfiles: {
          chargingProfileId: stored.id, transactionId: session.id, stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative',
          chargingSchedule: { chargingRateUnit: 'A', minChargingRate: 6, chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }, { startPeriod: 900, limit: 7.1 }] },
        },
      });
      expect(await resultAt(post, 'ChargingProfileResult')).to.deep.equal({ result: 'ACCEPTED' });
    });

    it('should post REJECTED when the charger rejects the profile', async () => {
      const session = await aRunningSession();
      cp.script.SetChargingProfile = answer({ status: 'Rejected' });
      const url = emsp.responseUrl('set');
      const post = expectResultPost(url);
      await profiles('PUT', session.uid, { charging_profile: aProfile(), response_url: url });
      expect(await resultAt(post, 'ChargingProfileResult')).to.deep.equal({ result: 'REJECTED' });
    });

    it('should answer TOO_OFTEN while the charger has not answered the previous request, then post REJECTED on timeout', async () => {
      const session = await aRunningSession();
      cp.script.SetChargingProfile = neverAnswer;
      const url = emsp.responseUrl('set');
      const post = expectResultPost(url);
      const first = await profiles('PUT', session.uid, { charging_profile: aProfile(), response_url: url });
      const second = await profiles('PUT', session.uid, { charging_profile: aProfile(), response_url: emsp.responseUrl('again') });
      expect([first.body.data.result, second.body.data.result]).to.deep.equal(['ACCEPTED', 'TOO_OFTEN']);
      expect(await resultAt(post, 'ChargingProfileResult')).to.deep.equal({ result: 'REJECTED' });
    });

    it('should answer UNKNOWN_SESSION for an unknown session and for another eMSP\'s session', async () => {
      const session = await aRunningSession(other);
      const unknown = await profiles('PUT', 'no-such-session', { charging_profile: aProfile(), response_url: emsp.responseUrl('set') });
      const foreign = await profiles('PUT', session.uid, { charging_profile: aProfile(), response_url: emsp.responseUrl('set') });
      expect([unknown.body.data.result, foreign.body.data.result]).to.deep.equal(['UNKNOWN_SESSION', 'UNKNOWN_SESSION']);
    });

    it('should answer REJECTED for a session that has ended', async () => {
      const session = await aRunningSession();
      await cp.client.call('StopTransaction', { transactionId: session.id, meterStop: 2000, timestamp: new Date().toISOString(), reason: 'Local' });
      const res = await profiles('PUT', session.uid, { charging_profile: aProfile(), response_url: emsp.responseUrl('set') });
      expect(res.body.data.result).to.equal('REJECTED');
    });

    it('should answer REJECTED for a profile OCPP 1.6 cannot express (first period not at 0)', async () => {
      const session = await aRunningSession();
      const res = await profiles('PUT', session.uid, { charging_profile: { charging_rate_unit: 'W', charging_profile_period: [{ start_period: 60, limit: 11000 }] }, response_url: emsp.responseUrl('set') });
      expect(res.body.data.result).to.equal('REJECTED');
    });

    it('should refuse a body without charging_profile with 2001 naming the field', async () => {
      const session = await aRunningSession();
      const res = await profiles('PUT', session.uid, { response_url: emsp.responseUrl('set') });
      expect(res.status).to.equal(400);
      expect(res.body.status_code).to.equal(2001);
      expect(res.body.status_message).to.contain('charging_profile');
    });
  });

  describe('GET (ActiveChargingProfile)', () => {
    it('should ask GetCompositeSchedule for the duration and post the ActiveChargingProfile', async () => {
      // Arrange
      const session = await aRunningSession();
      cp.script.GetCompositeSchedule = answer({
        status: 'Accepted', connectorId: 1, scheduleStart: '2026-03-01T10:00:00Z',
        chargingSchedule: { duration: 900, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }, { startPeriod: 600, limit: 10 }] },
      });
      const url = emsp.responseUrl('active');
      const post = expectResultPost(url);
      // Act
      const res = await profiles('GET', `${session.uid}?duration=900&response_url=${encodeURIComponent(url)}`);
      // Assert
      expect(res.body.data.result).to.equal('ACCEPTED');
      expect((await receivedCalls(cp, 'GetCompositeSchedule')).at(-1)).to.deep.equal({ connectorId: 1, duration: 900, chargingRateUnit: 'A' });
      expect(await resultAt(post, 'ActiveChargingProfileResult')).to.deep.equal({
        result: 'ACCEPTED',
        profile: { start_date_time: '2026-03-01T10:00:00.000Z', charging_profile: { duration: 900, charging_rate_unit: 'A', charging_profile_period: [{ start_period: 0, limit: 16 }, { start_period: 600, limit: 10 }] } },
      });
    });

    it('should post REJECTED when the charger rejects GetCompositeSchedule', async () => {
      const session = await aRunningSession();
      cp.script.GetCompositeSchedule = answer({ status: 'Rejected' });
      const url = emsp.responseUrl('active');
      const post = expectResultPost(url);
      await profiles('GET', `${session.uid}?duration=60&response_url=${encodeURIComponent(url)}`);
      expect(await resultAt(post, 'ActiveChargingProfileResult')).to.deep.equal({ result: 'REJECTED' });
    });

    it('should refuse a request without duration or response_url with 2001 naming the parameter', async () => {
      const session = await aRunningSession();
      const noDuration = await profiles('GET', `${session.uid}?response_url=${encodeURIComponent(emsp.responseUrl('active'))}`);
      const noUrl = await profiles('GET', `${session.uid}?duration=60`);
      expect([noDuration.body.status_code, noUrl.body.status_code]).to.deep.equal([2001, 2001]);
      expect(noDuration.body.status_message).to.contain('duration');
      expect(noUrl.body.status_message).to.contain('response_url');
    });
  });

  describe('DELETE (ClearChargingProfile)', () => {
    it('should clear the profile set by the eMSP by its id and post ACCEPTED', async () => {
      // Arrange
      const session = await aRunningSession();
      cp.script.SetChargingProfile = answer({ status: 'Accepted' });
      cp.script.ClearChargingProfile = answer({ status: 'Accepted' });
      const setUrl = emsp.responseUrl('set');
      const setPost = expectResultPost(setUrl);
      await profiles('PUT', session.uid, { charging_profile: aProfile(), response_url: setUrl });
      await setPost.body();
      const stored = await t.db('ocpi_charging_profiles').where({ session_fk: session.id }).first();
      const url = emsp.responseUrl('clear');
      const post = expectResultPost(url);
      // Act
      const res = await profiles('DELETE', `${session.uid}?response_url=${encodeURIComponent(url)}`);
      // Assert
      expect(res.body.data.result).to.equal('ACCEPTED');
      expect((await receivedCalls(cp, 'ClearChargingProfile')).at(-1)).to.deep.equal({ id: stored.id });
      expect(await resultAt(post, 'ClearProfileResult')).to.deep.equal({ result: 'ACCEPTED' });
      expect(await t.db('ocpi_charging_profiles').where({ session_fk: session.id }).first()).to.equal(undefined);
    });

    it('should post UNKNOWN when the charger has no matching profile', async () => {
      const session = await aRunningSession();
      cp.script.ClearChargingProfile = answer({ status: 'Unknown' });
      const url = emsp.responseUrl('clear');
      const post = expectResultPost(url);
      await profiles('DELETE', `${session.uid}?response_url=${encodeURIComponent(url)}`);
      expect((await receivedCalls(cp, 'ClearChargingProfile')).at(-1)).to.deep.equal({ connectorId: 1, chargingProfilePurpose: 'TxProfile', stackLevel: 1 });
      expect(await resultAt(post, 'ClearProfileResult')).to.deep.equal({ result: 'UNKNOWN' });
    });
  });

  // OCPI 2.2.1 chargingprofiles, Sender interface PUT: the CPO tells a Sender that has had a profile
  // accepted on a running session about changes to that session's ActiveChargingProfile it knows of;
  // here: profiles the operator sets or clears through the admin API.
  describe('Sender interface PUT (ActiveChargingProfile updates)', () => {
    let charger: ScriptedCharger;
    beforeEach(async () => {
      charger = await aScriptedCharger(t);
    });
    afterEach(async () => {
      await charger.client.close({ force: true });
    });

    /** A running session of `who` on `charger` with a profile of `who` that the charger answered `status`. */
    async function aSessionWithProfile(who: TestEmsp, status: 'Accepted' | 'Rejected' = 'Accepted') {
      const session = await aRunningSession(who, charger);
      charger.script.SetChargingProfile = answer({ status });
      const url = who.responseUrl('set');
      const post = expectResultPost(url);
      await profiles('PUT', session.uid, { charging_profile: aProfile(), response_url: url }, who);
      await post.body();
      return session;
    }

    /** Expects one PUT of `sessionUid` at `who`'s chargingprofiles endpoint, routed to its party from ours. */
    function expectActiveProfilePut(who: TestEmsp, sessionUid: string) {
      let received: any;
      const own = t.config.operator;
      const scope = nock(who.origin, { reqheaders: { 'ocpi-to-country-code': who.countryCode, 'ocpi-to-party-id': who.partyId, 'ocpi-from-country-code': own.countryCode, 'ocpi-from-party-id': own.partyId } })
        .put(`/ocpi/2.2.1/chargingprofiles/${sessionUid}`, (b) => ((received = b), true))
        .reply(200, { status_code: 1000, timestamp: new Date().toISOString() });
      return { scope, body: (): Promise<any> => eventually(async () => (scope.isDone() ? received : undefined), `the ActiveChargingProfile PUT of ${sessionUid}`, 10_000) };
    }

    /** The chargingprofiles PUTs queued for a session (none must be queued when the spec forbids them). */
    const queuedPuts = (sessionUid: string) => t.db('ocpi_outbox').where({ module: 'chargingprofiles', method: 'PUT', path: `/${sessionUid}` });

    /** Sends an OCPP command to `charger` as the operator; the charger answers `status`. */
    async function operatorCommand(action: 'SetChargingProfile' | 'ClearChargingProfile', body: unknown, status = 'Accepted') {
      charger.script[action] = answer({ status });
      const res = await t.api('POST', `/api/v1/chargers/${charger.id}/commands/${action}`, body);
      expect(res.status).to.equal(200);
      expect(res.body.response).to.deep.equal({ status });
    }

    const txDefaultOnConnector1 = { connectorId: 1, csChargingProfiles: { chargingProfileId: 900, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] } } };

    it('should PUT the charger\'s composite schedule to the eMSP that set a profile when the operator sets a profile on the connector', async () => {
      // Arrange
      const session = await aSessionWithProfile(emsp);
      charger.script.GetCompositeSchedule = answer({
        status: 'Accepted', connectorId: 1, scheduleStart: '2026-03-01T10:00:00Z',
        chargingSchedule: { duration: 1800, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
      });
      const put = expectActiveProfilePut(emsp, session.uid);
      // Act
      await operatorCommand('SetChargingProfile', txDefaultOnConnector1);
      // Assert
      const body = await put.body();
      expect(validateOcpi('ActiveChargingProfile', body, { strict: true })).to.deep.equal({ ok: true });
      expect(body).to.deep.equal({ start_date_time: '2026-03-01T10:00:00.000Z', charging_profile: { duration: 1800, charging_rate_unit: 'A', charging_profile_period: [{ start_period: 0, limit: 10 }] } });
      // Sender interface PUT: "a useful relevant duration ... between 5 and 60 minutes", in the eMSP's unit
      expect((await receivedCalls(charger, 'GetCompositeSchedule')).at(-1)).to.deep.equal({ connectorId: 1, duration: 1800, chargingRateUnit: 'A' });
    });

    it('should PUT the EVSE\'s maximum capacity when the operator clears every profile and none is left', async () => {
      // Arrange
      const session = await aSessionWithProfile(emsp);
      charger.script.GetCompositeSchedule = answer({ status: 'Accepted' });
      const put = expectActiveProfilePut(emsp, session.uid);
      // Act
      await operatorCommand('ClearChargingProfile', {});
      // Assert: "If there is no longer any charging profile active, the ActiveChargingProfile SHALL ... show the maximum charging capacity of the EVSE"
      const body = await put.body();
      expect(validateOcpi('ActiveChargingProfile', body, { strict: true })).to.deep.equal({ ok: true });
      expect(body.charging_profile).to.deep.equal({ charging_rate_unit: 'A', duration: 1800, charging_profile_period: [{ start_period: 0, limit: 32 }] });
    });

    it('should not PUT for a session whose eMSP never had a profile accepted, nor to an eMSP without a chargingprofiles SENDER endpoint', async () => {
      // Arrange: a rejected profile, no profile at all, and an accepted profile of an eMSP that offers no chargingprofiles endpoint
      const rejected = await aSessionWithProfile(emsp, 'Rejected');
      const none = await aRunningSession(other, charger);
      const noEndpoint = await aSessionWithProfile(await aTestEmsp(t, ['commands']));
      charger.script.GetCompositeSchedule = answer({ status: 'Accepted' });
      // Act
      await operatorCommand('SetChargingProfile', { ...txDefaultOnConnector1, connectorId: 0 });
      await t.app.asyncResults.drain();
      // Assert
      expect(charger.received.filter((c) => c.action === 'GetCompositeSchedule')).to.deep.equal([]);
      for (const s of [rejected, none, noEndpoint]) expect(await queuedPuts(s.uid)).to.deep.equal([]);
    });

    it('should not PUT when the charger rejects the operator\'s profile, nor when it rejects GetCompositeSchedule', async () => {
      // Arrange
      const session = await aSessionWithProfile(emsp);
      charger.script.GetCompositeSchedule = answer({ status: 'Rejected' });
      // Act
      await operatorCommand('SetChargingProfile', txDefaultOnConnector1, 'Rejected');
      await t.app.asyncResults.drain();
      const before = charger.received.filter((c) => c.action === 'GetCompositeSchedule').length;
      await operatorCommand('SetChargingProfile', txDefaultOnConnector1);
      await t.app.asyncResults.drain();
      // Assert
      expect(before).to.equal(0);
      expect(await receivedCalls(charger, 'GetCompositeSchedule')).to.have.length(1);
      expect(await queuedPuts(session.uid)).to.deep.equal([]);
    });

    it('should keep PUTting after the eMSP cleared its own profile, but not for a session that has ended', async () => {
      // Arrange: the eMSP clears its profile (it still "has at least once successfully" set one); a second session ends
      // (started first: a start on its connector closes the older ACTIVE session, issue 15)
      const ended = await aSessionWithProfile(emsp);
      const kept = await aSessionWithProfile(emsp);
      charger.script.ClearChargingProfile = answer({ status: 'Accepted' });
      const clearUrl = emsp.responseUrl('clear');
      const clearPost = expectResultPost(clearUrl);
      await profiles('DELETE', `${kept.uid}?response_url=${encodeURIComponent(clearUrl)}`);
      await clearPost.body();
      await charger.client.call('StopTransaction', { transactionId: ended.id, meterStop: 2000, timestamp: new Date().toISOString(), reason: 'Local' });
      charger.script.GetCompositeSchedule = answer({ status: 'Accepted' });
      const put = expectActiveProfilePut(emsp, kept.uid);
      // Act
      await operatorCommand('SetChargingProfile', txDefaultOnConnector1);
      // Assert
      await put.body();
      await t.app.asyncResults.drain();
      expect(await queuedPuts(ended.uid)).to.deep.equal([]);
    });
  });
});
