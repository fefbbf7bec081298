// OCPI 2.2.1 chargingprofiles RECEIVER (mod_charging_profiles): an eMSP (fetch) sets, reads and clears
// the profile of its running session; a charger (ocpp-rpc, strict) answers the OCPP 1.6 smart charging
// calls, and each result reaches the eMSP's response_url (nock) through the outbox.
import { expect } from 'chai';
import nock from 'nock';
import { validateOcpi, validateOcpiEnvelope, type OcpiSchemaName } from '../../../src/ocpi/validate.ts';
import { answer, expectResultPost, neverAnswer, receivedCalls, type TestEmsp } from '../../fixtures/commands.ts';
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
});
