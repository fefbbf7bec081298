// OCPI 2.2.1 hubclientinfo §15.1 against the whole app: while the hub (played by nock) reports a party
// behind it OFFLINE, cpms sends it nothing: session pushes wait in the outbox (the admin listing says why)
// and go in order once the hub PUTs CONNECTED; real-time authorization (tokens §12.2.2.2) does not call it
// and answers the charger as for an unreachable eMSP.
import { expect } from 'chai';
import nock from 'nock';
import { TEST_OPERATOR } from '../../helpers/db.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aBootedChargerAtEvse, type BootedCharger } from '../../fixtures/booted-charger.ts';
import { aStartTransaction, aStopTransaction, anIdTag } from '../../fixtures/chargers.ts';
import { aPartyId, aRegisteredEmsp, tokenHeader, type RegisteredEmsp } from '../../fixtures/partners.ts';

const OK = { status_code: 1000, timestamp: '2026-01-05T10:00:00Z' };

describe('e2e ocpi hubclientinfo: no requests to a party its hub reports not CONNECTED', () => {
  let charger: BootedCharger | undefined;
  // Registered first: they run before useTestApp's afterEach (nock.cleanAll) and after (closing the app).
  afterEach(async () => {
    await charger?.client.close();
    charger = undefined;
    await t.app.pushWorker.stop();
  });
  // The poll interval is an hour: only a kick can make the worker deliver during a test.
  const t = useTestApp({ nock: true, overrides: { 'ocpi.push.intervalMs': 3_600_000 } });
  let hub: RegisteredEmsp;
  let party: { countryCode: string; partyId: string };

  beforeEach(async () => {
    hub = await aRegisteredEmsp(t.db, { role: 'HUB', modules: ['sessions', 'tokens'] });
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

  it('§15.1 OFFLINE then CONNECTED: should hold the session pushes (listed as held) and deliver them in order, kicked by the PUT', async () => {
    // Arrange: a whole session of the party's token while its hub reports it OFFLINE
    const uid = await aTokenOfTheParty('ALWAYS');
    await hubReports('OFFLINE');
    const booted = await aBootedChargerAtEvse(t);
    charger = booted;
    const { transactionId } = (await booted.client.call('StartTransaction', aStartTransaction(uid))) as { transactionId: number };
    await booted.client.call('StopTransaction', aStopTransaction(transactionId));
    const whileOffline = await t.app.pushWorker.runOnce();
    const listed = await t.api('GET', `/api/v1/partners/${hub.partner.id}/outbox`);
    const seen: string[] = [];
    const record = (method: string) => () => {
      seen.push(method);
      return OK;
    };
    const path = new RegExp(`^/ocpi/2\\.2\\.1/sessions/${TEST_OPERATOR.countryCode}/${TEST_OPERATOR.partyId}/[0-9a-f-]{36}$`);
    const scope = nock(hub.origin).matchHeader('ocpi-to-party-id', party.partyId)
      .put(path).reply(200, record('PUT'))
      .patch(path).reply(200, record('PATCH'));
    t.app.pushWorker.start();
    // Act
    await hubReports('CONNECTED');
    // Assert
    const rowsOfTheHub = () => t.db('ocpi_outbox').where({ partner_fk: hub.partner.id }).orderBy('id');
    await eventually(async () => (await rowsOfTheHub()).every((r) => r.status === 'DELIVERED'), 'the session PUT and PATCH to be delivered');
    expect(whileOffline.claimed).to.equal(0);
    expect(listed.status).to.equal(200);
    expect(listed.body.data.map((r: { method: string; held: string }) => [r.method, r.held])).to.deep.equal([
      ['PATCH', `party ${party.countryCode}/${party.partyId} is OFFLINE at the hub (hubclientinfo): held until CONNECTED`],
      ['PUT', `party ${party.countryCode}/${party.partyId} is OFFLINE at the hub (hubclientinfo): held until CONNECTED`],
    ]);
    expect(seen).to.deep.equal(['PUT', 'PATCH']);
    expect(scope.isDone()).to.equal(true);
    expect((await rowsOfTheHub()).map((r) => [r.method, r.status, r.attempts])).to.deep.equal([['PUT', 'DELIVERED', 1], ['PATCH', 'DELIVERED', 1]]);
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
