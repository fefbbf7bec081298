// OCPI 2.2.1 tariffs module, CPO side (§11.2.1 Sender GET list; §11.2.2 pushes PUT / DELETE to every
// eMSP tariffs RECEIVER through the outbox). The eMSP is played by fetch (inbound) and nock (outbound).
// The tariffs here are assigned for everybody: only an assigned tariff is shown or pushed to eMSPs, and
// one assigned to a single eMSP only to that one (see tariff-privacy.test.ts).
import { expect } from 'chai';
import nock from 'nock';
import { insertParty } from '../../../src/parties/party.repo.ts';
import { validateOcpi, validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { anEmspEndpoints, aRegisteredPartner, tokenHeader } from '../../fixtures/partners.ts';
import { aLocation, anEvseUid, aRegisteredCharger } from '../../fixtures/chargers.ts';
import { aLocationRow } from '../../fixtures/ocpi-rows.ts';

const body = (price: number) => ({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price, vat: 21, step_size: 1 }] }] });

describe('e2e ocpi tariffs', () => {
  let tdb: TestDb;
  let t: TestApp;
  let generalSite: string;

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    tdb = await createTestDb();
    t = await startTestApp(tdb);
    const second = await insertParty(tdb.db, { countryCode: 'BE', partyId: 'CP2', name: 'second party' });
    // Locations without EVSEs: an assignment there makes a tariff general without pushing a Location.
    generalSite = await aLocationRow(tdb.db, { partyFk: (await tdb.db('parties').where({ is_default: true }).first()).id });
    secondPartySite = await aLocationRow(tdb.db, { partyFk: second.id });
  });
  let secondPartySite: string;
  const assignForEverybody = async (tariffId: string, locationId = generalSite) => {
    const res = await t.api('POST', `/api/v1/tariffs/${tariffId}/assignments`, { locationId });
    expect(res.status).to.equal(201);
    return res.body as { id: number };
  };
  afterEach(() => nock.cleanAll());
  after(async () => {
    await t.close();
    await tdb.destroy();
    nock.enableNetConnect();
  });

  const get = async (url: string, token: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url.startsWith('http') ? url : `${t.httpUrl}${url}`, { headers: { authorization: tokenHeader(token), ...headers } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };

  describe('GET list (§11.2.1.1)', () => {
    const ids: string[] = [];
    let token: string;

    before(async () => {
      ({ token } = await aRegisteredPartner(tdb.db));
      for (const i of [1, 2, 3]) {
        ids.push(`GET-${i}`);
        await t.api('PUT', `/api/v1/tariffs/GET-${i}`, body(i / 10));
        await assignForEverybody(`GET-${i}`);
        // distinct, known change times for the date filters
        await tdb.db('tariffs').where({ id: `GET-${i}` }).update({ last_updated: new Date(Date.UTC(2026, 0, i)) });
      }
      await t.api('PUT', '/api/v1/tariffs/OTHER-PARTY', { ...body(1), country_code: 'BE', party_id: 'CP2' });
      await assignForEverybody('OTHER-PARTY', secondPartySite);
    });

    it('should list only the addressed party\'s tariffs, each strictly valid, across pages with Link, X-Total-Count and X-Limit', async () => {
      // Act: walk the pages the server links
      const seen: string[] = [];
      // date_to keeps tariffs made by the other tests of this file out of the count
      let url: string | undefined = '/ocpi/2.2.1/tariffs?limit=2&date_to=2026-02-01T00:00:00Z';
      let pages = 0;
      while (url) {
        const res = await get(url, token);
        pages += 1;
        expect(res.status).to.equal(200);
        expect(validateOcpiEnvelope(res.body, 'Tariff', { list: true, strict: true })).to.deep.equal({ ok: true });
        expect([res.headers.get('x-total-count'), res.headers.get('x-limit')]).to.deep.equal(['3', '2']);
        seen.push(...res.body.data.map((x: { id: string }) => x.id));
        const link = res.headers.get('link');
        url = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : undefined;
      }
      // Assert
      expect(pages).to.equal(2);
      expect(seen).to.deep.equal(ids);
    });

    it('should answer for the party named by the OCPI-to-* routing headers', async () => {
      const res = await get('/ocpi/2.2.1/tariffs', token, { 'OCPI-to-country-code': 'BE', 'OCPI-to-party-id': 'CP2' });
      expect(res.body.data.map((x: { id: string; party_id: string }) => `${x.party_id}/${x.id}`)).to.deep.equal(['CP2/OTHER-PARTY']);
    });

    it('should filter on last_updated with date_from (inclusive) and date_to (exclusive)', async () => {
      const second = '2026-01-02T00:00:00Z'; // last_updated of GET-2
      const from = await get(`/ocpi/2.2.1/tariffs?date_from=${second}&date_to=2026-02-01T00:00:00Z`, token);
      const to = await get(`/ocpi/2.2.1/tariffs?date_to=${second}`, token);
      expect(from.body.data.map((x: { id: string }) => x.id)).to.deep.equal(['GET-2', 'GET-3']);
      expect(to.body.data.map((x: { id: string }) => x.id)).to.deep.equal(['GET-1']);
    });

    it('should refuse a bad date_from with 2001 and an unknown token with HTTP 401', async () => {
      const bad = await get('/ocpi/2.2.1/tariffs?date_from=monday', token);
      const unknown = await get('/ocpi/2.2.1/tariffs', 'not-a-token');
      expect([bad.status, bad.body.status_code]).to.deep.equal([400, 2001]);
      expect(unknown.status).to.equal(401);
    });

    it('should be listed as a tariffs SENDER in the version details', async () => {
      const res = await get('/ocpi/2.2.1', token);
      const tariffs = res.body.data.endpoints.find((e: { identifier: string }) => e.identifier === 'tariffs');
      expect(tariffs).to.deep.equal({ identifier: 'tariffs', role: 'SENDER', url: `${t.httpUrl}/ocpi/2.2.1/tariffs` });
    });
  });

  describe('pushes (§11.2.2)', () => {
    it('should PUT an assigned or changed tariff and DELETE it once unassigned at every eMSP tariffs RECEIVER, in order', async () => {
      // Arrange: two eMSPs with a tariffs RECEIVER, one without
      await aRegisteredPartner(tdb.db, { baseUrl: 'https://emsp-a.test/ocpi/2.2.1' });
      await aRegisteredPartner(tdb.db, { baseUrl: 'https://emsp-b.test/ocpi/2.2.1' });
      await aRegisteredPartner(tdb.db, { endpoints: anEmspEndpoints('https://emsp-c.test/ocpi/2.2.1', ['locations']) });
      await t.app.pushWorker.runOnce(); // nothing left over from other tests
      const received: Array<[string, string, unknown]> = [];
      const ok = { status_code: 1000, timestamp: new Date().toISOString() };
      const scopes = ['https://emsp-a.test', 'https://emsp-b.test'].map((host) =>
        nock(host, { reqheaders: { 'ocpi-from-country-code': 'NL', 'ocpi-from-party-id': 'CPM' } })
          .put('/ocpi/2.2.1/tariffs/NL/CPM/PUSHED', (sent) => Boolean(received.push([host, 'PUT', sent])))
          .times(2)
          .reply(200, ok)
          .delete('/ocpi/2.2.1/tariffs/NL/CPM/PUSHED', () => Boolean(received.push([host, 'DELETE', undefined])))
          .reply(200, ok),
      );
      // Act: create (not shown to anybody yet), assign, change, unassign and delete before anything is
      // delivered, then let the worker drain the outbox
      await t.api('PUT', '/api/v1/tariffs/PUSHED', body(0.3));
      const rule = await assignForEverybody('PUSHED');
      await t.api('PUT', '/api/v1/tariffs/PUSHED', body(0.35));
      await t.api('DELETE', `/api/v1/tariffs/PUSHED/assignments/${rule.id}`);
      await t.api('DELETE', '/api/v1/tariffs/PUSHED');
      for (let pass = 0; pass < 5 && (await t.app.pushWorker.runOnce()).claimed > 0; pass++);
      // Assert
      for (const s of scopes) expect(s.isDone()).to.equal(true);
      for (const host of ['https://emsp-a.test', 'https://emsp-b.test']) {
        const mine = received.filter((r) => r[0] === host);
        expect(mine.map((r) => r[1])).to.deep.equal(['PUT', 'PUT', 'DELETE']);
        expect(mine.map((r) => (r[2] as any)?.elements?.[0].price_components[0].price)).to.deep.equal([0.3, 0.35, undefined]);
        for (const [, method, sent] of mine) if (method === 'PUT') expect(validateOcpi('Tariff', sent, { strict: true })).to.deep.equal({ ok: true });
      }
    });

    it('should keep a push in the outbox and retry it when the eMSP answers with an error', async () => {
      await aRegisteredPartner(tdb.db, { baseUrl: 'https://emsp-d.test/ocpi/2.2.1' });
      const ok = { status_code: 1000, timestamp: new Date().toISOString() };
      const scope = nock('https://emsp-d.test').put('/ocpi/2.2.1/tariffs/NL/CPM/RETRIED').reply(500, 'down').put('/ocpi/2.2.1/tariffs/NL/CPM/RETRIED').reply(200, ok);
      await t.api('PUT', '/api/v1/tariffs/RETRIED', body(0.2));
      await assignForEverybody('RETRIED');
      expect((await t.app.pushWorker.runOnce()).failed).to.be.at.least(1);
      await tdb.db('ocpi_outbox').where({ object_key: 'tariff:RETRIED' }).update({ next_attempt_at: new Date(0) }); // backoff elapsed
      await t.app.pushWorker.runOnce();
      expect(scope.isDone()).to.equal(true);
      const rows = await tdb.db('ocpi_outbox').where({ object_key: 'tariff:RETRIED' });
      expect(rows.map((r) => r.status)).to.include('DELIVERED');
    });

    it('locations §8.3.4: should push the Location again with the new Connector.tariff_ids when a tariff is assigned', async () => {
      // Arrange: a published location whose EVSE has one connector, and an eMSP with a locations RECEIVER
      const locationId = await aLocation(t.app.services);
      const evseUid = anEvseUid();
      const chargePointId = await aRegisteredCharger(t.app.services, { locationId, evseUid });
      await tdb.db('connectors').insert({ charge_point_id: chargePointId, connector_number: 1, ocpi_id: '1', evse_fk: tdb.db('evses').where({ uid: evseUid }).select('id') });
      await aRegisteredPartner(tdb.db, { baseUrl: 'https://emsp-e.test/ocpi/2.2.1', endpoints: anEmspEndpoints('https://emsp-e.test/ocpi/2.2.1', ['locations']) });
      await t.api('PUT', '/api/v1/tariffs/AT-LOCATION', body(0.3));
      for (let pass = 0; pass < 5 && (await t.app.pushWorker.runOnce()).claimed > 0; pass++);
      const sent: any[] = [];
      const ok = { status_code: 1000, timestamp: new Date().toISOString() };
      const scope = nock('https://emsp-e.test').put(`/ocpi/2.2.1/locations/NL/CPM/${locationId}`, (b) => Boolean(sent.push(b))).reply(200, ok);
      // Act
      const rule = await t.api('POST', '/api/v1/tariffs/AT-LOCATION/assignments', { locationId });
      for (let pass = 0; pass < 5 && (await t.app.pushWorker.runOnce()).claimed > 0; pass++);
      // Assert
      expect(rule.status).to.equal(201);
      expect(scope.isDone()).to.equal(true);
      expect(validateOcpi('Location', sent[0], { strict: true })).to.deep.equal({ ok: true });
      expect(sent[0].evses[0].connectors[0].tariff_ids).to.deep.equal(['AT-LOCATION']);
    });
  });
});
