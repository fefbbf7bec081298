// Where cpms POSTs an asynchronous result (commands §13.2.2, chargingprofiles): only to a response_url on a
// host the calling partner registered (its versions URL and endpoints) or one the operator allows
// (ocpi.responseUrlAllowedHosts). Anything else is refused with 2001 and nothing is relayed or queued; a
// result whose host stopped being the partner's before it was sent becomes DEAD instead of being POSTed.
import { expect } from 'chai';
import { updatePartner } from '../../../src/partners/partner.repo.ts';
import { anEmspEndpoints } from '../../fixtures/partners.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aScriptedCharger, aTestEmsp, anEmspToken, answer, expectResultPost, receivedCalls, type ScriptedCharger, type TestEmsp } from '../../fixtures/commands.ts';

const REFUSED = /^response_url: host .+ is not one of the partner's registered hosts \(.+\)$/;

describe('e2e ocpi response_url hosts', () => {
  describe('default: the partner\'s registered hosts only', () => {
    const t = useTestApp({ nock: true });
    let emsp: TestEmsp;
    let other: TestEmsp;
    let cp: ScriptedCharger;

    before(async () => {
      t.app.pushWorker.start();
      [emsp, other] = [await aTestEmsp(t, ['commands', 'chargingprofiles']), await aTestEmsp(t)];
      cp = await aScriptedCharger(t);
    });
    after(async () => {
      await cp?.client.close({ force: true });
    });
    afterEach(() => {
      cp.script = {};
    });

    const startBody = (url: string) => ({ response_url: url, token: anEmspToken(emsp), location_id: cp.locationId, evse_uid: cp.evseUid, connector_id: '1' });
    const queuedAt = async (url: string) => t.db('ocpi_outbox').where({ url });

    for (const [name, url] of [
      ['loopback (this very server)', 'http://127.0.0.1:8080/api/v1/chargers'],
      ['a private address', 'http://10.1.2.3/results'],
      ["another partner's host", 'OTHER'],
    ]) {
      it(`commands §13.2.2: should refuse a START_SESSION whose response_url is on ${name} with 2001, relaying nothing`, async () => {
        const responseUrl = url === 'OTHER' ? other.responseUrl('start') : url;
        const callsBefore = cp.received.length;

        const res = await emsp.call('POST', '/commands/START_SESSION', startBody(responseUrl));

        expect([res.status, res.body.status_code]).to.deep.equal([400, 2001]);
        expect(res.body.status_message).to.match(REFUSED);
        expect(cp.received.length).to.equal(callsBefore);
        expect(await queuedAt(responseUrl)).to.deep.equal([]);
      });
    }

    it('chargingprofiles: should refuse a foreign response_url on GET, PUT and DELETE with 2001', async () => {
      const foreign = 'http://169.254.169.254/latest/meta-data';
      const profile = { charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 11000 }] };
      const callsBefore = cp.received.length;

      const get = await emsp.call('GET', `/chargingprofiles/SESSION-1?duration=60&response_url=${encodeURIComponent(foreign)}`);
      const put = await emsp.call('PUT', '/chargingprofiles/SESSION-1', { charging_profile: profile, response_url: foreign });
      const del = await emsp.call('DELETE', `/chargingprofiles/SESSION-1?response_url=${encodeURIComponent(foreign)}`);

      for (const res of [get, put, del]) {
        expect([res.status, res.body.status_code]).to.deep.equal([400, 2001]);
        expect(res.body.status_message).to.equal(`response_url: host 169.254.169.254 is not one of the partner's registered hosts (${new URL(emsp.origin).host})`);
      }
      expect(cp.received.length).to.equal(callsBefore);
    });

    it('should accept a response_url on the partner\'s registered host and POST the result there', async () => {
      cp.script.UnlockConnector = answer({ status: 'Unlocked' });
      const url = emsp.responseUrl('unlock');
      const post = expectResultPost(url);

      const res = await emsp.call('POST', '/commands/UNLOCK_CONNECTOR', { response_url: url, location_id: cp.locationId, evse_uid: cp.evseUid, connector_id: '1' });

      expect(res.body.data.result).to.equal('ACCEPTED');
      expect(await post.body()).to.deep.equal({ result: 'ACCEPTED' });
    });

    it('should make a result DEAD, not POST it, when its host is no longer the partner\'s when it is due', async () => {
      // Arrange: the charger answers only once the test lets it; meanwhile the eMSP moves to another host
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      cp.script.UnlockConnector = () => released.then(() => ({ status: 'Unlocked' }));
      const url = emsp.responseUrl('unlock'); // nock: no interceptor, so a POST would fail, not succeed
      const res = await emsp.call('POST', '/commands/UNLOCK_CONNECTOR', { response_url: url, location_id: cp.locationId, evse_uid: cp.evseUid, connector_id: '1' });
      expect(res.body.data.result).to.equal('ACCEPTED');
      await receivedCalls(cp, 'UnlockConnector');
      const moved = 'https://moved.emsp.test/ocpi/2.2.1';
      await updatePartner(t.db, emsp.partnerId, { versionsUrl: 'https://moved.emsp.test/ocpi/versions', endpoints: anEmspEndpoints(moved, ['commands']) });

      // Act
      release();

      // Assert
      const [row] = await eventually(async () => ((await queuedAt(url))[0]?.status === 'DEAD' ? queuedAt(url) : undefined), 'the result to become DEAD');
      expect(row.attempts).to.equal(1);
      expect(row.last_error).to.equal(`response_url: host ${new URL(emsp.origin).host} is not one of the partner's registered hosts (moved.emsp.test): not sent`);
    });
  });

  describe('ocpi.responseUrlAllowedHosts', () => {
    const t = useTestApp({ nock: true, overrides: { 'ocpi.responseUrlAllowedHosts': ['results.example.net:8443'] } });
    let emsp: TestEmsp;
    let cp: ScriptedCharger;

    before(async () => {
      t.app.pushWorker.start();
      emsp = await aTestEmsp(t, ['commands']);
      cp = await aScriptedCharger(t);
    });
    after(async () => {
      await cp?.client.close({ force: true });
    });

    it('should accept a response_url on a configured host:port and POST the result there', async () => {
      cp.script.UnlockConnector = answer({ status: 'Unlocked' });
      const url = 'https://results.example.net:8443/callbacks/unlock/1';
      const post = expectResultPost(url);

      const res = await emsp.call('POST', '/commands/UNLOCK_CONNECTOR', { response_url: url, location_id: cp.locationId, evse_uid: cp.evseUid, connector_id: '1' });

      expect(res.body.data.result).to.equal('ACCEPTED');
      expect(await post.body()).to.deep.equal({ result: 'ACCEPTED' });
    });
  });
});
