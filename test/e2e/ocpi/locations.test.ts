// OCPI 2.2.1 locations module, Sender interface (mod_locations §8.2.1) and pushes to eMSP receivers
// (§8.2.2), against the whole app: real database, real OCPP socket, nock for the eMSPs.
import { expect } from 'chai';
import nock from 'nock';
import { validateOcpi, validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { createTestDb, TEST_OPERATOR, type TestDb } from '../../helpers/db.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { eventually, nextEvent } from '../../helpers/wait.ts';
import { aBootNotification, aLocationId, aRegisteredCharger, aStatusNotification, anEvseUid, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aRegisteredPartner, anEmspEndpoints, tokenHeader } from '../../fixtures/partners.ts';
import { aLocationRow, anEvseRow, anOwnParty, toPartyHeaders } from '../../fixtures/ocpi-rows.ts';

const strict = { strict: true } as const;
const OK = { status_code: 1000, timestamp: '2026-01-05T10:00:00Z' };

describe('e2e ocpi locations (SENDER + pushes)', () => {
  let tdb: TestDb;
  let t: TestApp;
  let token: string;

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    tdb = await createTestDb();
    t = await startTestApp(tdb);
    // A caller without a locations RECEIVER: it pulls, and no push is queued for it.
    ({ token } = await aRegisteredPartner(t.db, { endpoints: anEmspEndpoints('https://puller.emsp.test/ocpi/2.2.1', ['tokens']) }));
  });
  after(async () => {
    await t?.close();
    await tdb?.destroy();
    nock.enableNetConnect();
  });
  afterEach(() => nock.cleanAll());

  const get = async (pathOrUrl: string, headers: Record<string, string> = {}) => {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${t.httpUrl}/ocpi/2.2.1/locations${pathOrUrl}`;
    const res = await fetch(url, { headers: { authorization: tokenHeader(token), ...headers } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
  const nextLink = (headers: Headers): string | undefined => /<([^>]+)>;\s*rel="next"/.exec(headers.get('link') ?? '')?.[1];

  describe('GET list (§8.2.1.1)', () => {
    it('should page through the published locations of the addressed party with Link, X-Total-Count and X-Limit', async () => {
      // Arrange: 5 published locations, 1 unpublished, and one of another party
      const party = await anOwnParty(t.db);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await aLocationRow(t.db, { partyFk: party.id, createdAt: new Date(Date.UTC(2026, 0, 1 + i)) }));
      await anEvseRow(t.db, { locationId: ids[0]! });
      await aLocationRow(t.db, { partyFk: party.id, publish: false });
      await aLocationRow(t.db, { partyFk: (await anOwnParty(t.db)).id });

      // Act: follow the next links
      const pages = [await get('?limit=2', toPartyHeaders(party))];
      for (let link = nextLink(pages[0]!.headers); link; link = nextLink(pages.at(-1)!.headers)) pages.push(await get(link, toPartyHeaders(party)));

      // Assert
      expect(pages.map((p) => p.body.data.map((l: any) => l.id))).to.deep.equal([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
      for (const p of pages) {
        expect(p.status).to.equal(200);
        expect(p.headers.get('x-total-count')).to.equal('5');
        expect(p.headers.get('x-limit')).to.equal('2');
        expect(validateOcpiEnvelope(p.body, 'Location', { list: true, strict: true })).to.deep.equal({ ok: true });
      }
      expect(nextLink(pages[0]!.headers)).to.match(/\/ocpi\/2\.2\.1\/locations\?offset=2&limit=2&after=[\w-]+$/);
      expect(pages[0]!.body.data[0].evses[0].connectors[0].tariff_ids).to.deep.equal(['TARIFF-1']);
      expect(pages[0]!.body.data[0]).to.include({ country_code: 'BE', party_id: party.partyId, publish: true });
    });

    it('should filter on last_updated, counting an EVSE or connector update as an update of its location', async () => {
      // Arrange: A updated in January, B in February, C in January but its connector in March
      const party = await anOwnParty(t.db);
      const jan = new Date('2026-01-01T00:00:00Z');
      const a = await aLocationRow(t.db, { partyFk: party.id, lastUpdated: jan });
      const b = await aLocationRow(t.db, { partyFk: party.id, lastUpdated: new Date('2026-02-01T00:00:00Z') });
      const c = await aLocationRow(t.db, { partyFk: party.id, lastUpdated: jan });
      await anEvseRow(t.db, { locationId: c, lastUpdated: jan, connectorLastUpdated: new Date('2026-03-01T00:00:00Z') });
      const ids = async (query: string) => (await get(query, toPartyHeaders(party))).body.data.map((l: any) => l.id);

      // Act + Assert: date_from inclusive, date_to exclusive (transport §4.1.3.2)
      expect(await ids('?date_from=2026-01-15T00:00:00Z')).to.have.members([b, c]);
      expect(await ids('?date_from=2026-01-15T00:00:00Z&date_to=2026-02-15T00:00:00Z')).to.deep.equal([b]);
      expect(await ids('?date_to=2026-01-15T00:00:00Z')).to.deep.equal([a]);
      expect(await ids('?date_from=2026-02-01T00:00:00Z&date_to=2026-02-01T00:00:01Z')).to.deep.equal([b]);
      const cBody = (await get(`/${c}`, toPartyHeaders(party))).body.data;
      expect(cBody.last_updated).to.equal('2026-03-01T00:00:00.000Z');
    });

    it('should keep offset semantics beside the key a next link carries: a changed offset, or a key whose location is gone, pages by offset', async () => {
      // Arrange: 5 locations; the first page's next link (offset 2, keyed on the second location)
      const party = await anOwnParty(t.db);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await aLocationRow(t.db, { partyFk: party.id, createdAt: new Date(Date.UTC(2026, 1, 1 + i)) }));
      const link = new URL(nextLink((await get('?limit=2', toPartyHeaders(party))).headers)!);
      const page = async (offset: string) => {
        link.searchParams.set('offset', offset);
        return (await get(link.toString(), toPartyHeaders(party))).body.data.map((l: any) => l.id);
      };

      // Act + Assert: the link's own offset reads on from its key; another offset is an offset
      expect(await page('2')).to.deep.equal(ids.slice(2, 4));
      expect(await page('3')).to.deep.equal(ids.slice(3, 5));
      // The keyed location removed: offset 2 of what is left
      await t.db('locations').where({ id: ids[1] }).delete();
      expect(await page('2')).to.deep.equal(ids.slice(3, 5));
    });

    it('should refuse an after parameter this server did not make with 2001', async () => {
      const res = await get('?offset=2&after=not-a-cursor');

      expect([res.status, res.body.status_code]).to.deep.equal([400, 2001]);
      expect(res.body.status_message).to.match(/^after: not a value from a Link header/);
    });

    it('should refuse a malformed date_from with 2001', async () => {
      const res = await get('?date_from=yesterday');

      expect(res.status).to.equal(400);
      expect(res.body.status_code).to.equal(2001);
    });
  });

  it('OCPI 2.2.1 versions §6.2: should list locations as a SENDER module in the version details', async () => {
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1`, { headers: { authorization: tokenHeader(token) } });
    const endpoints = ((await res.json()) as any).data.endpoints.map((e: any) => `${e.identifier}:${e.role}`);

    expect(endpoints).to.include.members(['locations:SENDER', 'sessions:SENDER']);
  });

  describe('GET object (§8.2.1.2)', () => {
    it('should return one Location, EVSE and Connector, each valid against its schema', async () => {
      const locationId = await aLocationRow(t.db, { partyFk: (await t.db('parties').where({ is_default: true }).first()).id, name: 'Grote Markt' });
      const evse = await anEvseRow(t.db, { locationId, status: 'CHARGING' });

      const location = await get(`/${locationId}`);
      const evseRes = await get(`/${locationId}/${evse.uid}`);
      const connector = await get(`/${locationId.toLowerCase()}/${evse.uid.toLowerCase()}/1`);

      expect(validateOcpiEnvelope(location.body, 'Location', strict)).to.deep.equal({ ok: true });
      expect(location.body.data).to.include({ id: locationId, name: 'Grote Markt', country_code: TEST_OPERATOR.countryCode, party_id: TEST_OPERATOR.partyId });
      expect(validateOcpiEnvelope(evseRes.body, 'EVSE', strict)).to.deep.equal({ ok: true });
      expect(evseRes.body.data).to.include({ uid: evse.uid, status: 'CHARGING' });
      expect(evseRes.body.data.capabilities).to.include.members(['RFID_READER', 'REMOTE_START_STOP_CAPABLE']);
      expect(validateOcpiEnvelope(connector.body, 'Connector', strict)).to.deep.equal({ ok: true });
      expect(connector.body.data).to.include({ id: '1', standard: 'IEC_62196_T2', power_type: 'AC_3_PHASE' });
    });

    it('should answer 2003 with HTTP 404 for an unknown, unpublished or other party\'s location, EVSE or connector', async () => {
      const defaultParty = await t.db('parties').where({ is_default: true }).first();
      const locationId = await aLocationRow(t.db, { partyFk: defaultParty.id });
      const evse = await anEvseRow(t.db, { locationId });
      const hidden = await aLocationRow(t.db, { partyFk: defaultParty.id, publish: false });
      const otherParty = await anOwnParty(t.db);
      const others = await aLocationRow(t.db, { partyFk: otherParty.id });

      const paths = ['/NOPE', `/${hidden}`, `/${others}`, `/${locationId}/NOPE`, `/${locationId}/${evse.uid}/9`];
      for (const path of paths) {
        const res = await get(path);
        expect({ path, status: res.status, code: res.body.status_code }).to.deep.equal({ path, status: 404, code: 2003 });
      }
      expect((await get(`/${others}`, toPartyHeaders(otherParty))).status).to.equal(200);
    });

    it('locations §8.3.4: should show the tariff_ids of a connector first reported after its tariff was assigned', async () => {
      // Arrange: a location with a tariff for everybody, then a charger on a new EVSE whose connector is not seen yet
      const locationId = await aLocationRow(t.db, { partyFk: (await t.db('parties').where({ is_default: true }).first()).id });
      const tariffId = `LATE-${Date.now().toString(36)}`;
      expect((await t.api('PUT', `/api/v1/tariffs/${tariffId}`, { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 21, step_size: 1 }] }] })).status).to.be.oneOf([200, 201]);
      expect((await t.api('POST', `/api/v1/tariffs/${tariffId}/assignments`, { locationId })).status).to.equal(201);
      const evseUid = anEvseUid();
      const id = await aRegisteredCharger(t.app.services, { locationId, evseUid });

      // Act: the charger reports its connector 1 (registered on first sight), then the eMSP pulls
      const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
      await client.call('BootNotification', aBootNotification());
      await client.call('StatusNotification', aStatusNotification({ status: 'Available' }));
      await client.close();
      const location = await get(`/${locationId}`);
      const connector = await get(`/${locationId}/${evseUid}/1`);

      // Assert
      expect(validateOcpiEnvelope(location.body, 'Location', strict)).to.deep.equal({ ok: true });
      expect(location.body.data.evses.find((e: any) => e.uid === evseUid).connectors[0].tariff_ids).to.deep.equal([tariffId]);
      expect(connector.body.data.tariff_ids).to.deep.equal([tariffId]);
    });
  });

  describe('pushes (§8.2.2)', () => {
    it('should PUT new locations and PATCH the EVSE status to each eMSP receiver within seconds of an OCPP StatusNotification', async () => {
      // Arrange: an eMSP with a locations RECEIVER, recording what it receives
      const base = 'https://pushed.emsp.test/ocpi/2.2.1';
      await aRegisteredPartner(t.db, { endpoints: anEmspEndpoints(base, ['locations']) });
      const locationId = aLocationId();
      const evseUid = anEvseUid();
      const prefix = `/ocpi/2.2.1/locations/${TEST_OPERATOR.countryCode}/${TEST_OPERATOR.partyId}/${locationId}`;
      const puts: any[] = [];
      const patches: any[] = [];
      const scope = nock('https://pushed.emsp.test')
        .put(prefix, (body) => puts.push(body) > 0).times(3).reply(200, OK)
        .patch(`${prefix}/${evseUid}`, (body) => patches.push(body) > 0).times(2).reply(200, OK);
      t.app.pushWorker.start();

      // Act: location via the admin API, charger attached to a new EVSE, then the charger reports over OCPP
      const created = await t.api('POST', '/api/v1/locations', { id: locationId, address: 'Stationsplein 1', city: 'Utrecht', country: 'NLD', latitude: '52.08930', longitude: '5.11020', timeZone: 'Europe/Amsterdam' });
      const id = await aRegisteredCharger(t.app.services, { locationId, evseUid });
      const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
      await client.call('BootNotification', aBootNotification());
      const available = nextEvent(t.app.events, 'evse.status', (e) => e.evseUid === evseUid && e.status === 'AVAILABLE');
      await client.call('StatusNotification', aStatusNotification({ status: 'Available' }));
      await available;
      await client.call('StatusNotification', aStatusNotification({ status: 'Charging' }));
      await client.close();
      await eventually(async () => scope.isDone(), 'the eMSP to receive 3 PUTs and 2 PATCHes');

      // Assert: PUT location (created), PUT (EVSE attached, no connector yet), PUT (connector seen), PATCHes
      expect(created.status).to.equal(201);
      for (const body of puts) expect(validateOcpi('Location', body, strict)).to.deep.equal({ ok: true });
      expect(puts.map((p) => (p.evses ?? []).length)).to.deep.equal([0, 0, 1]);
      expect(puts[2].evses[0]).to.include({ uid: evseUid, status: 'AVAILABLE' });
      for (const body of patches) expect(validateOcpi('EVSEPatch', body, strict)).to.deep.equal({ ok: true });
      expect(patches.map((p) => Object.keys(p).sort())).to.deep.equal([['last_updated', 'status'], ['last_updated', 'status']]);
      expect(patches.map((p) => p.status)).to.deep.equal(['AVAILABLE', 'CHARGING']);
      expect(scope.isDone()).to.equal(true);
    });

    it('should queue a PATCH to UNKNOWN when a charger goes offline (no message within the heartbeat limit)', async () => {
      // Arrange: a connected charger whose EVSE is AVAILABLE, an eMSP receiver (not called: no worker pass is awaited)
      const { partner } = await aRegisteredPartner(t.db, { endpoints: anEmspEndpoints('https://offline.emsp.test/ocpi/2.2.1', ['locations']) });
      const locationId = await aLocationRow(t.db, { partyFk: (await t.db('parties').where({ is_default: true }).first()).id });
      const evseUid = anEvseUid();
      const id = await aRegisteredCharger(t.app.services, { locationId, evseUid });
      const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
      await client.call('BootNotification', aBootNotification());
      await client.call('StatusNotification', aStatusNotification({ status: 'Available' }));
      await client.close();
      await t.app.services.lastSeen.flush(); // the times kept in memory are written before the row is aged
      await t.db('charge_points').where({ id }).update({ last_seen_at: new Date(Date.now() - 3_600_000), is_online: true });

      // Act
      await t.app.services.chargers.markOverdueOffline(3);

      // Assert
      const rows = await t.db('ocpi_outbox').where({ partner_fk: partner.id, method: 'PATCH' }).orderBy('id');
      expect(rows.at(-1)).to.include({ module: 'locations', path: `/${TEST_OPERATOR.countryCode}/${TEST_OPERATOR.partyId}/${locationId}/${evseUid}` });
      expect(rows.at(-1).body.status).to.equal('UNKNOWN');
      expect(validateOcpi('EVSEPatch', rows.at(-1).body, strict)).to.deep.equal({ ok: true });
    });

    it('should push nothing to an eMSP without a locations RECEIVER, and nothing for an unpublished location', async () => {
      const { partner } = await aRegisteredPartner(t.db, { endpoints: anEmspEndpoints('https://nolocations.emsp.test/ocpi/2.2.1', ['sessions']) });
      const defaultParty = await t.db('parties').where({ is_default: true }).first();
      const hidden = await aLocationRow(t.db, { partyFk: defaultParty.id, publish: false });

      await t.app.services.chargers.register({ id: `CP-hidden-${Date.now()}`, password: CHARGER_PASSWORD, locationId: hidden, evseUid: anEvseUid() });

      expect(await t.db('ocpi_outbox').where({ partner_fk: partner.id })).to.deep.equal([]);
      expect(await t.db('ocpi_outbox').whereLike('object_key', `%/${hidden}`)).to.deep.equal([]);
    });
  });
});
