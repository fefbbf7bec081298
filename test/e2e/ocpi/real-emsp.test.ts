// Issue 3 acceptance: a real eMSP HTTP server (test/helpers/emsp-server.ts, express on 127.0.0.1, no nock)
// registers with cpms both ways, receives the location / tariff / session / CDR pushes and drives a
// session on an OCPP 1.6 charger (ocpp-rpc, strict) through START_SESSION and STOP_SESSION. The eMSP
// validates every object it receives against the strict OCPI 2.2.1 schemas; each test ends by asserting
// that it saw no spec violation.
import { expect } from 'chai';
import nock from 'nock';
import { validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { findPartner, findPartnerByTokenHash } from '../../../src/partners/partner.repo.ts';
import { OUTGOING_TOKEN } from '../../../src/partners/partner.types.ts';
import { hashSecret } from '../../../src/shared/ids.ts';
import { TEST_OPERATOR } from '../../helpers/db.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, type ChargerClient } from '../../helpers/charger.ts';
import { startEmspServer, type EmspServer } from '../../helpers/emsp-server.ts';
import { eventually } from '../../helpers/wait.ts';
import { tokenHeader } from '../../fixtures/partners.ts';
import { aBootNotification, aChargerId, aLocationId, anEvseUid, aStatusNotification, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

const CPO = `${TEST_OPERATOR.countryCode}/${TEST_OPERATOR.partyId}`;
const TARIFF_ID = 'REAL-EMSP-TARIFF';
// The charger dates its messages at whole minutes from t0, in the past: durations are exact, and the
// OCPI START_SESSION (valid 15 minutes from now) still covers the StartTransaction.
const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const at = (min: number) => new Date(t0 + min * 60_000).toISOString();

describe('e2e ocpi against a real eMSP server (issue 3 acceptance)', () => {
  let emsp: EmspServer; // registers itself with the token A the operator gives it
  let emsp2: EmspServer; // cpms registers with it, from the operator's versions URL and token A
  const ids = { partner: 0, partner2: 0 };
  const site = { locationId: aLocationId(), evseUid: anEvseUid(), chargerId: aChargerId('emsp') };
  let charger: ChargerClient;
  const chargerCalls: Array<{ action: string; params: any }> = [];

  // Registered first, to run before useTestApp's hooks.
  before(() => {
    nock.enableNetConnect('127.0.0.1'); // in case another file left nock refusing connections
  });
  after(async () => {
    await charger?.close({ force: true });
  });
  // Its after closes the app, which stops the push worker first: nothing calls the eMSPs after this.
  const t = useTestApp();

  before(async () => {
    t.app.pushWorker.start();
    emsp = await startEmspServer({ countryCode: 'DE', partyId: 'EMA' });
    emsp2 = await startEmspServer({ countryCode: 'DE', partyId: 'EMB' });
  });
  afterEach(() => {
    // Every object cpms sent was valid, addressed and authenticated as OCPI 2.2.1 says.
    expect([...emsp.problems, ...emsp2.problems]).to.deep.equal([]);
  });
  after(async () => {
    await emsp?.close();
    await emsp2?.close();
  });

  /** A call to cpms's OCPI API with a given credentials token (e.g. one that should be refused by now). */
  const ocpiWith = async (token: string, path: string) => {
    const res = await fetch(`${t.httpUrl}/ocpi${path}`, { headers: { authorization: tokenHeader(token) } });
    return { status: res.status, body: (await res.json()) as any };
  };

  describe('credentials §7.1.1: registration', () => {
    it('should register an eMSP that runs the handshake itself with the token A the operator invited it with', async () => {
      // Arrange
      const invited = await t.api('POST', '/api/v1/partners/invitations', { countryCode: 'DE', partyId: 'EMA', role: 'EMSP', name: 'eMSP A' });
      expect(invited.status).to.equal(201);
      ids.partner = invited.body.partner.id;
      // Act
      const peer = await emsp.registerWith(invited.body.versionsUrl, invited.body.token);
      // Assert: cpms holds the eMSP's endpoints and calls it with token B (the eMSP accepts no other)
      const partner = (await t.api('GET', `/api/v1/partners/${ids.partner}`)).body;
      expect(partner).to.include({ status: 'REGISTERED', countryCode: 'DE', partyId: 'EMA', versionsUrl: emsp.versionsUrl, version: '2.2.1', tokenEncoding: 'base64' });
      expect(partner.endpoints).to.deep.equal(emsp.endpoints);
      // the eMSP holds cpms's endpoints, its CPO role and a token C that is neither A nor its own B
      expect(peer.roles.map((r) => `${r.role} ${r.country_code}/${r.party_id}`)).to.deep.equal([`CPO ${CPO}`]);
      expect(peer.endpoints.map((e) => `${e.identifier} ${e.role}`)).to.include.members(['credentials SENDER', 'locations SENDER', 'sessions SENDER', 'cdrs SENDER', 'tariffs SENDER', 'tokens RECEIVER', 'commands RECEIVER']);
      expect(peer.endpoints.find((e) => e.identifier === 'commands')!.url).to.equal(`${t.httpUrl}/ocpi/2.2.1/commands`);
      expect(peer.token).to.not.be.oneOf([invited.body.token, emsp.registeredToken]);
      await expectTokensPaired(ids.partner, emsp);
      const credentials = await emsp.call('GET', 'credentials');
      expect(credentials.body.data.token).to.equal(peer.token);
      // token A is spent (credentials §7.1.1: "token A ... can no longer be used")
      expect((await ocpiWith(invited.body.token, '/versions')).status).to.equal(401);
    });

    it('should register with an eMSP from the versions URL and token A the operator enters (cpms initiates)', async () => {
      // Arrange
      const tokenA = emsp2.issueTokenA();
      // Act
      const res = await t.api('POST', '/api/v1/partners', { versionsUrl: emsp2.versionsUrl, token: tokenA });
      // Assert: cpms stored the eMSP's party and endpoints; the eMSP fetched cpms's with the token B it got
      expect(res.status).to.equal(201);
      ids.partner2 = res.body.id;
      expect(res.body).to.include({ status: 'REGISTERED', countryCode: 'DE', partyId: 'EMB', versionsUrl: emsp2.versionsUrl });
      expect(res.body.endpoints).to.deep.equal(emsp2.endpoints);
      expect(emsp2.peer!.roles.map((r) => `${r.country_code}/${r.party_id}`)).to.deep.equal([CPO]);
      expect(emsp2.accessOf(tokenA)).to.equal(undefined); // the eMSP spent its token A
      await expectTokensPaired(ids.partner2, emsp2);
      const locations = await emsp2.call('GET', 'locations');
      expect([locations.status, locations.body.status_code]).to.deep.equal([200, 1000]);
    });
  });

  describe('credentials §7.2.3: update', () => {
    it('should give the eMSP a new token when it PUTs new credentials, fetch its endpoints with its new token and refuse the old one', async () => {
      // Arrange
      const before = { ours: emsp2.peer!.token, theirs: emsp2.registeredToken };
      // Act
      const peer = await emsp2.updateCredentials();
      // Assert
      expect(peer.token).to.not.equal(before.ours);
      expect(emsp2.registeredToken).to.not.equal(before.theirs);
      await expectTokensPaired(ids.partner2, emsp2);
      expect((await ocpiWith(before.ours, '/2.2.1/locations')).status).to.equal(401);
    });

    it('§7.1.4: should give the eMSP a new token when the operator updates our credentials, and call it with the token it answers with', async () => {
      // Arrange
      const before = { ours: emsp2.peer!.token, theirs: emsp2.registeredToken };
      // Act: the eMSP fetches our versions and details with the new token while it answers the PUT
      const res = await t.api('POST', `/api/v1/partners/${ids.partner2}/credentials/update`);
      // Assert
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ status: 'REGISTERED', countryCode: 'DE', partyId: 'EMB', versionsUrl: emsp2.versionsUrl });
      expect(emsp2.peer!.token).to.not.equal(before.ours);
      expect(emsp2.registeredToken).to.not.equal(before.theirs);
      expect(emsp2.accessOf(before.theirs!)).to.equal(undefined);
      await expectTokensPaired(ids.partner2, emsp2);
      expect((await ocpiWith(before.ours, '/2.2.1/locations')).status).to.equal(401);
      expect((await emsp2.call('GET', 'locations')).status).to.equal(200);
    });
  });

  describe('pushes to every eMSP receiver', () => {
    before(async () => {
      // The operator's location and a charger on a new EVSE of it, through the admin API; the charger's
      // socket is opened here because it lives until the end of the file.
      const created = await t.api('POST', '/api/v1/locations', { id: site.locationId, name: 'Real eMSP test site', address: 'Stationsplein 1', city: 'Utrecht', country: 'NLD', latitude: '52.08930', longitude: '5.11020', timeZone: 'Europe/Amsterdam' });
      const registered = await t.api('POST', '/api/v1/chargers', { id: site.chargerId, password: CHARGER_PASSWORD, locationId: site.locationId, evseUid: site.evseUid });
      expect([created.status, registered.status]).to.deep.equal([201, 201]);
      charger = await connectCharger(t, site.chargerId, { password: CHARGER_PASSWORD });
      for (const action of ['RemoteStartTransaction', 'RemoteStopTransaction']) {
        charger.handle(action, async ({ params }) => (chargerCalls.push({ action, params }), { status: 'Accepted' }));
      }
    });

    it('locations §8.2.2: should PUT the location and PATCH the EVSE status once the charger reports Available', async () => {
      // Act: the charger boots and reports connector 1
      expect(((await charger.call('BootNotification', aBootNotification({ meterSerialNumber: 'MTR-REAL-1' }))) as any).status).to.equal('Accepted');
      await charger.call('StatusNotification', aStatusNotification({ connectorId: 1, status: 'Available', timestamp: at(-1) }));
      // Assert: both eMSPs hold the location with the EVSE AVAILABLE, after a PUT and then a status PATCH
      for (const e of [emsp, emsp2]) {
        const patch = await e.waitFor(() => e.receivedOf('locations', 'PATCH').find((r) => r.segments[3] === site.evseUid), 'EVSE status PATCH');
        expect(patch.segments).to.deep.equal([TEST_OPERATOR.countryCode, TEST_OPERATOR.partyId, site.locationId, site.evseUid]);
        expect(Object.keys(patch.body).sort()).to.deep.equal(['last_updated', 'status']);
        const location = e.store.locations.get(`${CPO}/${site.locationId}`);
        expect(location).to.include({ id: site.locationId, name: 'Real eMSP test site', city: 'Utrecht', country: 'NLD' });
        expect(location.evses.map((x: any) => [x.uid, x.status, x.connectors.map((c: any) => c.id)])).to.deep.equal([[site.evseUid, 'AVAILABLE', ['1']]]);
      }
    });

    it('tariffs §11.2.2: should PUT a tariff the operator creates, and the location again once it is assigned there', async () => {
      // Act
      const put = await t.api('PUT', `/api/v1/tariffs/${TARIFF_ID}`, {
        currency: 'EUR',
        elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 20, step_size: 1 }, { type: 'TIME', price: 2.4, vat: 20, step_size: 60 }] }],
      });
      const assigned = await t.api('POST', `/api/v1/tariffs/${TARIFF_ID}/assignments`, { locationId: site.locationId });
      expect([put.status, assigned.status]).to.deep.equal([201, 201]);
      // Assert
      for (const e of [emsp, emsp2]) {
        const connector = () => e.store.locations.get(`${CPO}/${site.locationId}`)?.evses?.[0]?.connectors?.[0];
        // tariff and location have their own object keys in the outbox: they may arrive in either order
        await e.waitFor(() => connector()?.tariff_ids?.includes(TARIFF_ID) && e.store.tariffs.has(`${CPO}/${TARIFF_ID}`), 'the tariff PUT and the location PUT naming it');
        const tariff = e.store.tariffs.get(`${CPO}/${TARIFF_ID}`);
        expect(tariff).to.include({ id: TARIFF_ID, currency: 'EUR', country_code: TEST_OPERATOR.countryCode, party_id: TEST_OPERATOR.partyId });
        expect(tariff.elements[0].price_components.map((c: any) => [c.type, c.price])).to.deep.equal([['ENERGY', 0.3], ['TIME', 2.4]]);
        expect(connector().tariff_ids).to.deep.equal([TARIFF_ID]);
      }
    });

    it('tokens §12.2.2.1: should pull the eMSP\'s token list page by page when the operator runs token-sync', async () => {
      // Arrange: three tokens, served two per page
      for (const n of [1, 2, 3]) emsp.tokens.push(anEmspToken(`SYNC${n}`, `2026-01-0${n}T10:00:00Z`));
      // Act
      const run = await t.api('POST', '/api/v1/jobs/token-sync/run');
      // Assert
      expect(run.body.status).to.equal('ran');
      // the second page is the one the first page's Link named (transport §4.1.4.1)
      expect(emsp.receivedOf('tokens', 'GET').map((r) => r.query.offset)).to.deep.equal([undefined, '2']);
      const synced = await emsp.call('GET', 'tokens', '/DE/EMA/SYNC3?type=RFID');
      expect(validateOcpiEnvelope(synced.body, 'Token', { strict: true })).to.deep.equal({ ok: true });
      expect(synced.body.data).to.include({ uid: 'SYNC3', contract_id: 'DE-EMA-CSYNC3', whitelist: 'ALLOWED' });
    });
  });

  describe('a session started and stopped by the eMSP (commands §13, sessions §9, cdrs §10)', () => {
    // The eMSP's driver token (tokens §12.3.2), pushed to cpms before START_SESSION
    const token = anEmspToken('APPDRIVER1', '2026-01-05T10:00:00Z', 'APP_USER');
    const urls = { start: '', stop: '' };
    let transactionId: number;
    let session: any;
    const resultAt = (e: EmspServer, url: string) => e.store.results.get(new URL(url).pathname.replace(`/ocpi/2.2.1/commands`, ''));

    it('commands §13.3.5: should relay START_SESSION to the charger, post ACCEPTED to the response_url and PUT the session it starts', async () => {
      // Arrange
      const pushed = await emsp.call('PUT', 'tokens', `/DE/EMA/${token.uid}?type=APP_USER`, token);
      expect([pushed.status, pushed.body.status_code]).to.deep.equal([200, 1000]);
      urls.start = emsp.responseUrl('START_SESSION');
      // Act
      const start = await emsp.call('POST', 'commands', '/START_SESSION', { response_url: urls.start, token, location_id: site.locationId, evse_uid: site.evseUid, connector_id: '1', authorization_reference: 'REF-REAL-1' });
      const remoteStart = await eventually(async () => chargerCalls.find((c) => c.action === 'RemoteStartTransaction'), 'RemoteStartTransaction at the charger');
      const started = (await charger.call('StartTransaction', { connectorId: 1, idTag: token.uid, meterStart: 10_000, timestamp: at(0) })) as any;
      transactionId = started.transactionId;
      await charger.call('StatusNotification', aStatusNotification({ connectorId: 1, status: 'Charging', timestamp: at(0) }));
      await charger.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: at(5), sampledValue: [{ value: '12500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
      // Assert
      expect(validateOcpiEnvelope(start.body, 'CommandResponse', { strict: true })).to.deep.equal({ ok: true });
      expect(start.body.data.result).to.equal('ACCEPTED');
      expect(remoteStart.params).to.deep.equal({ idTag: token.uid, connectorId: 1 });
      expect(started.idTagInfo.status).to.equal('Accepted');
      expect(await emsp.waitFor(() => resultAt(emsp, urls.start), 'the START_SESSION result')).to.deep.equal({ result: 'ACCEPTED' });
      session = await emsp.waitFor(() => [...emsp.store.sessions.values()].find((s) => s.cdr_token.uid === token.uid && s.kwh === 2.5), 'the session with 2.5 kWh');
      expect(session).to.include({ status: 'ACTIVE', auth_method: 'COMMAND', authorization_reference: 'REF-REAL-1', location_id: site.locationId, evse_uid: site.evseUid, connector_id: '1', currency: 'EUR' });
      expect(Date.parse(session.start_date_time)).to.equal(t0);
      // commands §13.3.5: the eMSP authorized the token already; no real-time authorization request
      expect(emsp.receivedOf('tokens', 'POST')).to.deep.equal([]);
    });

    it('commands §13.3.6: should relay STOP_SESSION, post ACCEPTED and PATCH the session to COMPLETED with its energy', async () => {
      // Arrange
      urls.stop = emsp.responseUrl('STOP_SESSION');
      // Act: the charger stops at 16 000 Wh, 9 minutes in, and is free again
      const stop = await emsp.call('POST', 'commands', '/STOP_SESSION', { response_url: urls.stop, session_id: session.id });
      const remoteStop = await eventually(async () => chargerCalls.find((c) => c.action === 'RemoteStopTransaction'), 'RemoteStopTransaction at the charger');
      await charger.call('StopTransaction', { transactionId, idTag: token.uid, meterStop: 16_000, timestamp: at(9), reason: 'Remote' });
      await charger.call('StatusNotification', aStatusNotification({ connectorId: 1, status: 'Available', timestamp: at(9) }));
      // Assert
      expect(stop.body.data.result).to.equal('ACCEPTED');
      expect(remoteStop.params).to.deep.equal({ transactionId });
      expect(await emsp.waitFor(() => resultAt(emsp, urls.stop), 'the STOP_SESSION result')).to.deep.equal({ result: 'ACCEPTED' });
      const final = await emsp.waitFor(() => emsp.store.sessions.get(`${CPO}/${session.id}`)?.status === 'COMPLETED' && emsp.store.sessions.get(`${CPO}/${session.id}`), 'the COMPLETED session');
      expect(final).to.include({ kwh: 6, auth_method: 'COMMAND', authorization_reference: 'REF-REAL-1' });
      expect(Date.parse(final.end_date_time)).to.equal(t0 + 9 * 60_000);
      // sessions §9.2.2: one PUT, then PATCHes as it ran (periods of at least 5 minutes) and at the stop
      const pushes = emsp.receivedOf('sessions');
      expect(pushes.map((r) => [r.method, r.body.status, r.body.kwh])).to.deep.equal([['PUT', 'ACTIVE', 0], ['PATCH', 'ACTIVE', 2.5], ['PATCH', 'COMPLETED', 6]]);
      // the EVSE followed on both eMSPs: CHARGING, then AVAILABLE again
      for (const e of [emsp, emsp2]) {
        await e.waitFor(() => e.receivedOf('locations', 'PATCH').length === 3, 'three EVSE status PATCHes'); // own object key: any order with the session
        expect(e.receivedOf('locations', 'PATCH').map((r) => r.body.status)).to.deep.equal(['AVAILABLE', 'CHARGING', 'AVAILABLE']);
      }
    });

    it('cdrs §10.2.2: should POST exactly one CDR for the session, priced as by hand, to the token\'s eMSP only', async () => {
      // Act: wait until cpms has delivered everything it queued for eMSP A
      const cdr = await emsp.waitFor(() => [...emsp.store.cdrs.values()][0], 'the CDR POST');
      await eventually(async () => (await pendingPushes(ids.partner)) === 0, 'cpms\'s outbox to eMSP A to drain');
      // Assert. Tariff: ENERGY 0.30 EUR/kWh and TIME 2.40 EUR/h (per minute), VAT 20%.
      //   energy: 16 000 - 10 000 Wh = 6 kWh x 0.30 = 1.80 excl, x 1.2 = 2.16 incl
      //   time:   09:00 of charging = 0.15 h x 2.40 = 0.36 excl, x 1.2 = 0.432 → 0.43 incl
      //   total:  1.80 + 0.36 = 2.16 excl, x 1.2 = 2.592 → 2.59 incl
      expect(emsp.receivedOf('cdrs', 'POST')).to.have.length(1);
      expect(cdr).to.include({ session_id: session.id, country_code: TEST_OPERATOR.countryCode, party_id: TEST_OPERATOR.partyId, currency: 'EUR', total_energy: 6, total_time: 0.15, auth_method: 'COMMAND', authorization_reference: 'REF-REAL-1', meter_id: 'MTR-REAL-1' });
      expect([Date.parse(cdr.start_date_time), Date.parse(cdr.end_date_time)]).to.deep.equal([t0, t0 + 9 * 60_000]);
      expect(cdr.cdr_token).to.include({ uid: token.uid, type: 'APP_USER', contract_id: token.contract_id, country_code: 'DE', party_id: 'EMA' });
      expect(cdr.total_energy_cost).to.deep.equal({ excl_vat: 1.8, incl_vat: 2.16 });
      expect(cdr.total_time_cost).to.deep.equal({ excl_vat: 0.36, incl_vat: 0.43 });
      expect(cdr.total_cost).to.deep.equal({ excl_vat: 2.16, incl_vat: 2.59 });
      expect(cdr.tariffs.map((x: any) => x.id)).to.deep.equal([TARIFF_ID]);
      expect(cdr.cdr_location).to.include({ id: site.locationId, evse_uid: site.evseUid, connector_id: '1' });
      // sessions and CDRs go only to the eMSP owning the token (issue 3)
      expect([...emsp2.receivedOf('sessions'), ...emsp2.receivedOf('cdrs'), ...emsp2.receivedOf('commands')]).to.deep.equal([]);
    });
  });

  describe('credentials §7.2.4: unregistration', () => {
    it('should send DELETE to the eMSP when the operator unregisters it, and refuse its token afterwards', async () => {
      // Arrange
      const oldToken = emsp.peer!.token;
      expect((await ocpiWith(oldToken, '/2.2.1/locations')).status).to.equal(200);
      // Act
      const res = await t.api('DELETE', `/api/v1/partners/${ids.partner}`);
      // Assert
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.include({ remote: 'deleted' });
      expect(res.body.partner.status).to.equal('UNREGISTERED');
      expect(emsp.unregistrations).to.equal(1);
      expect(emsp.peer).to.equal(undefined);
      const refused = await ocpiWith(oldToken, '/2.2.1/locations');
      expect(refused.status).to.equal(401);
      expect(validateOcpiEnvelope(refused.body, undefined, { strict: true })).to.deep.equal({ ok: true });
      expect((await ocpiWith(oldToken, '/versions')).status).to.equal(401);
      // the other eMSP is not affected
      expect((await emsp2.call('GET', 'locations')).status).to.equal(200);
    });
  });

  /** cpms calls `e` with the token `e` issued, and knows `e` by the token `e` calls it with (stored hashed). */
  async function expectTokensPaired(partnerId: number, e: EmspServer): Promise<void> {
    expect((await findPartner(t.db, partnerId))![OUTGOING_TOKEN]).to.equal(e.registeredToken);
    const known = await findPartnerByTokenHash(t.db, [hashSecret(e.peer!.token)]);
    expect([known?.partner.id, known?.isTokenA]).to.deep.equal([partnerId, false]);
  }

  /** Rows of cpms's outbox to partner `id` not yet delivered. */
  async function pendingPushes(id: number): Promise<number> {
    const rows = (await t.api('GET', `/api/v1/partners/${id}/outbox`)).body.data as Array<{ status: string }>;
    return rows.filter((r) => r.status !== 'DELIVERED').length;
  }
});

/** A token of eMSP A (DE/EMA) as its tokens SENDER serves it and its PUT sends it (tokens §12.3.2). */
function anEmspToken(uid: string, lastUpdated: string, type = 'RFID') {
  return { country_code: 'DE', party_id: 'EMA', uid, type, contract_id: `DE-EMA-C${uid}`, issuer: 'eMSP A', valid: true, whitelist: 'ALLOWED', last_updated: lastUpdated };
}
