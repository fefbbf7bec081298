// A tariff the operator assigned to one eMSP only is private to that eMSP (OCPI 2.2.1 mod_tariffs: the
// CPO may have different tariffs per eMSP; mod_locations §8.3.3 Connector.tariff_ids "can be different
// for different eMSPs"). Two eMSPs A and B, a general tariff and an A-only tariff on the same connector:
// B never sees the A tariff in the tariffs GET list, in pushes, or in a Location's tariff_ids.
import { expect } from 'chai';
import nock from 'nock';
import { validateOcpi, validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import type { Partner } from '../../../src/partners/partner.types.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { createTestDb, TEST_OPERATOR, type TestDb } from '../../helpers/db.ts';
import { aLocation, anEvseUid, aRegisteredCharger } from '../../fixtures/chargers.ts';
import { aRegisteredPartner, tokenHeader } from '../../fixtures/partners.ts';

const strict = { strict: true } as const;
const OK = { status_code: 1000, timestamp: '2026-01-05T10:00:00Z' };
const body = (price: number) => ({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price, vat: 21, step_size: 1 }] }] });
const CPO = `${TEST_OPERATOR.countryCode}/${TEST_OPERATOR.partyId}`;

interface Received {
  method: string;
  path: string;
  body: any;
}
interface Emsp {
  partner: Partner;
  token: string;
  host: string;
  received: Received[];
}

let seq = 0;

describe('e2e ocpi tariffs private to one eMSP', () => {
  let tdb: TestDb;
  let t: TestApp;

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    tdb = await createTestDb();
    t = await startTestApp(tdb);
  });
  afterEach(() => nock.cleanAll());
  after(async () => {
    await t?.close();
    await tdb?.destroy();
    nock.enableNetConnect();
  });

  /** A registered eMSP with tariffs and locations RECEIVERs that records every push it gets. */
  async function anEmsp(): Promise<Emsp> {
    const { partner, token } = await aRegisteredPartner(tdb.db);
    const host = `https://${partner.partyId.toLowerCase()}.emsp.test`;
    const received: Received[] = [];
    // nock 15 hands the reply function the fetch Request
    const record = (method: string) => async (req: Request): Promise<[number, unknown]> => {
      const text = await req.text();
      received.push({ method, path: new URL(req.url).pathname.replace('/ocpi/2.2.1', ''), body: text ? JSON.parse(text) : undefined });
      return [200, OK];
    };
    nock(host).persist().put(/.*/).reply(record('PUT')).delete(/.*/).reply(record('DELETE'));
    return { partner, token, host, received };
  }

  const partyOf = (e: Emsp) => ({ countryCode: e.partner.countryCode, partyId: e.partner.partyId });
  const drain = async () => {
    for (let pass = 0; pass < 10 && (await t.app.pushWorker.runOnce()).claimed > 0; pass++);
  };
  const get = async (path: string, e: Emsp) => {
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1${path}`, { headers: { authorization: tokenHeader(e.token) } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
  const assign = async (tariffId: string, rule: Record<string, unknown>) => {
    const res = await t.api('POST', `/api/v1/tariffs/${tariffId}/assignments`, rule);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: number };
  };

  /** A published location with one EVSE and one connector; a general and an A-only tariff on it. */
  async function aSiteWithTariffs() {
    await drain(); // nothing left over from other tests
    const [a, b] = [await anEmsp(), await anEmsp()];
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    const chargePointId = await aRegisteredCharger(t.app.services, { locationId, evseUid });
    await tdb.db('connectors').insert({ charge_point_id: chargePointId, connector_number: 1, ocpi_id: '1', evse_fk: tdb.db('evses').where({ uid: evseUid }).select('id') });
    seq += 1;
    const general = `GENERAL-${seq}`;
    const negotiated = `NEGOTIATED-${seq}`;
    await t.api('PUT', `/api/v1/tariffs/${general}`, body(0.4));
    await t.api('PUT', `/api/v1/tariffs/${negotiated}`, body(0.25));
    await assign(general, { locationId });
    const ruleA = await assign(negotiated, { chargePointId, connectorNumber: 1, partner: partyOf(a) });
    await drain();
    return { a, b, locationId, evseUid, chargePointId, general, negotiated, ruleA };
  }

  const tariffPushes = (e: Emsp, id: string) => e.received.filter((r) => r.path === `/tariffs/${CPO}/${id}`).map((r) => r.method);
  const locationPuts = (e: Emsp, locationId: string) => e.received.filter((r) => r.method === 'PUT' && r.path === `/locations/${CPO}/${locationId}`).map((r) => r.body);
  const connectorIds = (location: any) => location.evses[0].connectors[0].tariff_ids;
  const expectAllStrictlyValid = (e: Emsp) => {
    for (const r of e.received.filter((x) => x.method === 'PUT')) {
      expect(validateOcpi(r.path.startsWith('/tariffs/') ? 'Tariff' : 'Location', r.body, strict), r.path).to.deep.equal({ ok: true });
    }
  };

  describe('tariffs GET list (§11.2.1.1)', () => {
    it('should list the general and its own tariffs to A, and never the A tariff to B', async () => {
      // Arrange: besides the two, a tariff nobody is assigned and a group-only tariff
      const s = await aSiteWithTariffs();
      await t.api('PUT', `/api/v1/tariffs/UNASSIGNED-${seq}`, body(9));
      await t.api('PUT', `/api/v1/tariffs/GROUP-${seq}`, body(0.1));
      await assign(`GROUP-${seq}`, { locationId: s.locationId, groupId: 'FLEET' });
      // Act
      const [forA, forB] = [await get('/tariffs?limit=1000', s.a), await get('/tariffs?limit=1000', s.b)];
      // Assert
      for (const res of [forA, forB]) expect(validateOcpiEnvelope(res.body, 'Tariff', { list: true, strict: true })).to.deep.equal({ ok: true });
      const idsA = forA.body.data.map((x: { id: string }) => x.id);
      const idsB = forB.body.data.map((x: { id: string }) => x.id);
      expect(idsA).to.include.members([s.general, s.negotiated]);
      expect(idsB).to.include(s.general);
      expect(idsB).to.not.include(s.negotiated);
      for (const ids of [idsA, idsB]) expect(ids.filter((id: string) => id.endsWith(`-${seq}`))).to.have.members(ids === idsA ? [s.general, s.negotiated] : [s.general]);
      expect(forB.headers.get('x-total-count')).to.equal(String(idsB.length));
      expect(forA.headers.get('x-total-count')).to.equal(String(idsA.length));
    });
  });

  it('transport §4.1.8: should ignore OCPI-from-* naming another party from a partner that is not a hub (B cannot ask as A)', async () => {
    const s = await aSiteWithTariffs();
    const headers = { authorization: tokenHeader(s.b.token), 'OCPI-from-country-code': s.a.partner.countryCode, 'OCPI-from-party-id': s.a.partner.partyId };
    const tariffsRes = await fetch(`${t.httpUrl}/ocpi/2.2.1/tariffs?limit=1000`, { headers });
    const locationRes = await fetch(`${t.httpUrl}/ocpi/2.2.1/locations/${s.locationId}`, { headers });
    expect(((await tariffsRes.json()) as any).data.map((x: { id: string }) => x.id)).to.not.include(s.negotiated);
    expect(connectorIds(((await locationRes.json()) as any).data)).to.deep.equal([s.general]);
  });

  describe('locations GET (§8.2.1)', () => {
    it('should show each eMSP its own Connector.tariff_ids in the list, Location, EVSE and Connector', async () => {
      const s = await aSiteWithTariffs();
      for (const [e, expected] of [[s.a, [s.negotiated]], [s.b, [s.general]]] as const) {
        const list = await get('/locations?limit=1000', e);
        const fromList = list.body.data.find((l: { id: string }) => l.id === s.locationId);
        const location = await get(`/locations/${s.locationId}`, e);
        const evse = await get(`/locations/${s.locationId}/${s.evseUid}`, e);
        const connector = await get(`/locations/${s.locationId}/${s.evseUid}/1`, e);
        expect(validateOcpiEnvelope(list.body, 'Location', { list: true, strict: true })).to.deep.equal({ ok: true });
        expect(validateOcpiEnvelope(location.body, 'Location', strict)).to.deep.equal({ ok: true });
        expect(validateOcpiEnvelope(evse.body, 'EVSE', strict)).to.deep.equal({ ok: true });
        expect(validateOcpiEnvelope(connector.body, 'Connector', strict)).to.deep.equal({ ok: true });
        expect(connectorIds(fromList), e.partner.partyId).to.deep.equal(expected);
        expect(connectorIds(location.body.data)).to.deep.equal(expected);
        expect(evse.body.data.connectors[0].tariff_ids).to.deep.equal(expected);
        expect(connector.body.data.tariff_ids).to.deep.equal(expected);
      }
    });
  });

  describe('pushes (§11.2.2, §8.2.2)', () => {
    it('should PUT the A tariff to A only and push each eMSP a Location with its own tariff_ids', async () => {
      const s = await aSiteWithTariffs();
      expect(tariffPushes(s.a, s.general)).to.deep.equal(['PUT']);
      expect(tariffPushes(s.b, s.general)).to.deep.equal(['PUT']);
      expect(tariffPushes(s.a, s.negotiated)).to.deep.equal(['PUT']);
      expect(tariffPushes(s.b, s.negotiated)).to.deep.equal([]);
      expect(connectorIds(locationPuts(s.a, s.locationId).at(-1))).to.deep.equal([s.negotiated]);
      expect(connectorIds(locationPuts(s.b, s.locationId).at(-1))).to.deep.equal([s.general]);
      expect(JSON.stringify(s.b.received)).to.not.contain(s.negotiated);
      expectAllStrictlyValid(s.a);
      expectAllStrictlyValid(s.b);
    });

    it('should send a change of the A tariff to A only', async () => {
      const s = await aSiteWithTariffs();
      await t.api('PUT', `/api/v1/tariffs/${s.negotiated}`, body(0.2));
      await drain();
      expect(tariffPushes(s.a, s.negotiated)).to.deep.equal(['PUT', 'PUT']);
      expect(s.a.received.at(-1)!.body.elements[0].price_components[0].price).to.equal(0.2);
      expect(JSON.stringify(s.b.received)).to.not.contain(s.negotiated);
    });

    it('mod_tariffs §11.2.2: should move the pushes when the tariff is reassigned from A to B (PUT to B, DELETE at A)', async () => {
      // Arrange
      const s = await aSiteWithTariffs();
      // Act: the operator moves the negotiated tariff from A to B
      expect((await t.api('DELETE', `/api/v1/tariffs/${s.negotiated}/assignments/${s.ruleA.id}`)).status).to.equal(204);
      await assign(s.negotiated, { chargePointId: s.chargePointId, connectorNumber: 1, partner: partyOf(s.b) });
      await drain();
      // Assert
      expect(tariffPushes(s.a, s.negotiated)).to.deep.equal(['PUT', 'DELETE']);
      expect(tariffPushes(s.b, s.negotiated)).to.deep.equal(['PUT']);
      expect(connectorIds(locationPuts(s.a, s.locationId).at(-1))).to.deep.equal([s.general]);
      expect(connectorIds(locationPuts(s.b, s.locationId).at(-1))).to.deep.equal([s.negotiated]);
      expect(tariffPushes(s.a, s.general)).to.deep.equal(['PUT']); // the general one stays where it was
      expect(tariffPushes(s.b, s.general)).to.deep.equal(['PUT']);
      expect((await get(`/locations/${s.locationId}/${s.evseUid}/1`, s.a)).body.data.tariff_ids).to.deep.equal([s.general]);
      expect((await get('/tariffs?limit=1000', s.a)).body.data.map((x: { id: string }) => x.id)).to.not.include(s.negotiated);
      expectAllStrictlyValid(s.a);
      expectAllStrictlyValid(s.b);
    });

    it('should DELETE the general tariff at every eMSP once no rule assigns it, and push nothing for a group-only rule', async () => {
      const s = await aSiteWithTariffs();
      const rules = (await t.api('GET', `/api/v1/tariffs/${s.general}/assignments`)).body.data;
      await t.api('DELETE', `/api/v1/tariffs/${s.general}/assignments/${rules[0].id}`);
      await assign(s.general, { locationId: s.locationId, groupId: 'FLEET' });
      await drain();
      expect(tariffPushes(s.a, s.general)).to.deep.equal(['PUT', 'DELETE']);
      expect(tariffPushes(s.b, s.general)).to.deep.equal(['PUT', 'DELETE']);
      expect(connectorIds(locationPuts(s.b, s.locationId).at(-1))).to.deep.equal([]);
    });
  });
});
