// OCPI 2.2.1 hubclientinfo §15.1 against the whole app: while the hub (played by nock) reports a party
// behind it not CONNECTED, cpms sends it nothing and queues nothing for it ("Do not queue Push messages"):
// its session and CDR pushes are CANCELLED with the reason (admin listing); what changes after the hub PUTs
// CONNECTED goes as usual, and the operator can resend a cancelled CDR (admin retry). Real-time
// authorization (tokens §12.2.2.2) does not call such a party and answers the charger as for an
// unreachable eMSP.
import { expect } from 'chai';
import nock from 'nock';
import { TEST_OPERATOR } from '../../helpers/db.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedChargerAtEvse, type BootedCharger } from '../../fixtures/booted-charger.ts';
import { aStartTransaction, aStopTransaction, anIdTag } from '../../fixtures/chargers.ts';
import { aPartyId, aRegisteredEmsp, tokenHeader, type RegisteredEmsp } from '../../fixtures/partners.ts';

const OK = { status_code: 1000, timestamp: '2026-01-05T10:00:00Z' };

interface OutboxView {
  id: number;
  module: string;
  method: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

describe('e2e ocpi hubclientinfo: no requests to a party its hub reports not CONNECTED', () => {
  let charger: BootedCharger | undefined;
  // Registered first: it runs before useTestApp's afterEach (nock.cleanAll) and after (closing the app).
  afterEach(async () => {
    await charger?.client.close();
    charger = undefined;
  });
  // The push worker is not started: the tests run its passes (runOnce).
  const t = useTestApp({ nock: true });
  let hub: RegisteredEmsp;
  let party: { countryCode: string; partyId: string };

  beforeEach(async () => {
    hub = await aRegisteredEmsp(t.db, { role: 'HUB', modules: ['sessions', 'cdrs', 'tokens'] });
    party = { countryCode: 'DE', partyId: aPartyId() };
  });

  async function ocpi(method: string, path: string, body: unknown) {
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1${path}`, { method, headers: { authorization: tokenHeader(hub.token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as { status_code: number };
  }

  /** The hub PUTs the party's ClientInfo (hubclientinfo §15.3.1.2). */
  async function hubReports(status: string): Promise<void> {
    const body = { country_code: party.countryCode, party_id: party.partyId, role: 'EMSP', status, last_updated: new Date().toISOString() };
    expect((await ocpi('PUT', `/hubclientinfo/${party.countryCode}/${party.partyId}`, body)).status_code).to.equal(1000);
  }

  /** The hub forwards a token of the party (tokens RECEIVER PUT) and returns its uid. */
  async function aTokenOfTheParty(whitelist: string): Promise<string> {
    const uid = anIdTag();
    const body = { country_code: party.countryCode, party_id: party.partyId, uid, type: 'RFID', contract_id: `DE-${uid}`, issuer: 'eMSP', valid: true, whitelist, last_updated: '2025-01-01T00:00:00Z' };
    expect((await ocpi('PUT', `/tokens/${party.countryCode}/${party.partyId}/${uid}`, body)).status_code).to.equal(1000);
    return uid;
  }

  const rowsOfTheHub = async () => (await t.api('GET', `/api/v1/partners/${hub.partner.id}/outbox`)).body.data.reverse() as OutboxView[];
  const sessionPath = new RegExp(`^/ocpi/2\\.2\\.1/sessions/${TEST_OPERATOR.countryCode}/${TEST_OPERATOR.partyId}/[0-9a-f-]{36}$`);
  const reason = (status: string) =>
    `party ${party.countryCode}/${party.partyId} is ${status} at the hub: not sent (hubclientinfo §15.1: no pushes are queued for it; it gets back in sync with GET once CONNECTED)`;

  it('§15.1 OFFLINE then CONNECTED: should cancel the session PUT queued while OFFLINE (not sent, listed with the reason) and send the later PATCH and CDR', async () => {
    // Arrange: the session starts while the hub reports the party OFFLINE
    const uid = await aTokenOfTheParty('ALWAYS');
    await hubReports('OFFLINE');
    charger = await aBootedChargerAtEvse(t);
    const offline = nock(hub.origin).put(sessionPath).reply(200, OK);
    const { transactionId } = (await charger.client.call('StartTransaction', aStartTransaction(uid))) as { transactionId: number };
    const whileOffline = await t.app.pushWorker.runOnce();
    const listedWhileOffline = await rowsOfTheHub();
    await hubReports('CONNECTED');
    const seen: string[] = [];
    const record = (label: string) => () => {
      seen.push(label);
      return OK;
    };
    const connected = nock(hub.origin).matchHeader('ocpi-to-party-id', party.partyId)
      .patch(sessionPath).reply(200, record('session PATCH'))
      .post('/ocpi/2.2.1/cdrs').reply(200, record('CDR POST'));
    // Act: the session stops after the hub reported the party CONNECTED again
    await charger.client.call('StopTransaction', aStopTransaction(transactionId));
    for (let pass = 0; pass < 5 && (await t.app.pushWorker.runOnce()).claimed > 0; pass++);
    // Assert
    expect(whileOffline).to.deep.include({ claimed: 0 });
    expect(listedWhileOffline.map((r) => [r.module, r.method, r.status, r.attempts, r.lastError])).to.deep.equal([['sessions', 'PUT', 'CANCELLED', 0, reason('OFFLINE')]]);
    expect(offline.isDone()).to.equal(false);
    expect(seen.sort()).to.deep.equal(['CDR POST', 'session PATCH']);
    expect(connected.isDone()).to.equal(true);
    expect((await rowsOfTheHub()).map((r) => [r.module, r.method, r.status])).to.deep.equal([['sessions', 'PUT', 'CANCELLED'], ['cdrs', 'POST', 'DELIVERED'], ['sessions', 'PATCH', 'DELIVERED']]);
  });

  it('§15.1 SUSPENDED: should cancel the CDR, cancel it again when retried while SUSPENDED, and deliver it when retried once CONNECTED', async () => {
    // Arrange: a whole session while the hub reports the party SUSPENDED
    const uid = await aTokenOfTheParty('ALWAYS');
    await hubReports('SUSPENDED');
    charger = await aBootedChargerAtEvse(t);
    const { transactionId } = (await charger.client.call('StartTransaction', aStartTransaction(uid))) as { transactionId: number };
    await charger.client.call('StopTransaction', aStopTransaction(transactionId));
    const whileSuspended = await t.app.pushWorker.runOnce();
    const cdr = (await rowsOfTheHub()).find((r) => r.module === 'cdrs')!;
    const retry = () => t.api('POST', `/api/v1/partners/${hub.partner.id}/outbox/${cdr.id}/retry`);
    const scope = nock(hub.origin).matchHeader('ocpi-to-party-id', party.partyId).post('/ocpi/2.2.1/cdrs').reply(200, OK);
    // Act
    const tooEarly = await retry();
    const passTooEarly = await t.app.pushWorker.runOnce();
    const afterTooEarly = (await rowsOfTheHub()).find((r) => r.id === cdr.id)!;
    await hubReports('CONNECTED');
    const onceConnected = await retry();
    const passOnceConnected = await t.app.pushWorker.runOnce();
    // Assert
    expect(whileSuspended).to.deep.include({ claimed: 0 });
    expect(cdr).to.deep.include({ status: 'CANCELLED', attempts: 0, lastError: reason('SUSPENDED') });
    expect([tooEarly.status, tooEarly.body.status, onceConnected.status, onceConnected.body.status]).to.deep.equal([200, 'PENDING', 200, 'PENDING']);
    expect(passTooEarly).to.deep.include({ claimed: 0 });
    expect(afterTooEarly).to.deep.include({ status: 'CANCELLED', attempts: 0, lastError: reason('SUSPENDED') });
    expect(passOnceConnected).to.deep.include({ claimed: 1, delivered: 1 });
    expect((await rowsOfTheHub()).map((r) => [r.module, r.method, r.status])).to.deep.equal([['sessions', 'PUT', 'CANCELLED'], ['cdrs', 'POST', 'DELIVERED'], ['sessions', 'PATCH', 'CANCELLED']]);
    expect(scope.isDone()).to.equal(true);
  });

  describe('real-time authorization (tokens §12.2.2.2)', () => {
    /** The hub's tokens endpoint would answer BLOCKED: an Accepted proves that it was not asked. */
    const anAuthorizeAtTheHub = () =>
      nock(hub.origin).post(/^\/ocpi\/2\.2\.1\/tokens\/[^/]+\/authorize$/).query(true).reply(200, { status_code: 1000, timestamp: new Date().toISOString(), data: { allowed: 'BLOCKED', token: {} } });

    beforeEach(async () => {
      charger = await aBootedChargerAtEvse(t);
    });

    const authorizeAtCharger = async (idTag: string) => ((await charger!.client.call('Authorize', { idTag })) as { idTagInfo: { status: string } }).idTagInfo.status;

    for (const status of ['OFFLINE', 'PLANNED', 'SUSPENDED']) {
      it(`§12.4.5 ALLOWED, party ${status}: should not call the hub and accept on the stored token, as for an unreachable eMSP`, async () => {
        const uid = await aTokenOfTheParty('ALLOWED');
        await hubReports(status);
        const call = anAuthorizeAtTheHub();

        expect(await authorizeAtCharger(uid)).to.equal('Accepted');
        expect(call.isDone()).to.equal(false);
      });
    }

    it('§12.4.5 NEVER, party OFFLINE: should refuse (Invalid) without calling the hub', async () => {
      const uid = await aTokenOfTheParty('NEVER');
      await hubReports('OFFLINE');
      const call = anAuthorizeAtTheHub();

      expect(await authorizeAtCharger(uid)).to.equal('Invalid');
      expect(call.isDone()).to.equal(false);
    });

    it('should call the hub again once it reports the party CONNECTED', async () => {
      const uid = await aTokenOfTheParty('ALLOWED');
      await hubReports('OFFLINE');
      await hubReports('CONNECTED');
      const call = anAuthorizeAtTheHub();

      expect(await authorizeAtCharger(uid)).to.equal('Blocked');
      expect(call.isDone()).to.equal(true);
    });
  });
});
