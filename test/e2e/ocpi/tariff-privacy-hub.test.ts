// Tariff privacy per OCPI party, not per connection (issue 7): all the eMSPs behind one hub shared a tariff
// negotiated with one of them. Here a hub carries two eMSP parties, A and B; a tariff priced for A never
// reaches B: not in the tariffs GET list (the party by its OCPI-from-* headers), not in pushes (addressed to
// A through the hub with OCPI-to-*, transport §4.1.8), not in Connector.tariff_ids of locations (GET and
// pushes, mod_locations §8.3.3), and it prices A's sessions only.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import nock from 'nock';
import { validateOcpi, validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { TEST_OPERATOR } from '../../helpers/db.ts';
import { aLocation, aRegisteredCharger, aStartTransaction, anEvseUid } from '../../fixtures/chargers.ts';
import { aRegisteredPartner, anEmspEndpoints, tokenHeader } from '../../fixtures/partners.ts';

const OK = { status_code: 1000, timestamp: '2026-01-05T10:00:00Z' };
const CPO = `${TEST_OPERATOR.countryCode}/${TEST_OPERATOR.partyId}`;
const A = { countryCode: 'DE', partyId: 'HPA' };
const B = { countryCode: 'DE', partyId: 'HPB' };
const HUB = { countryCode: 'NL', partyId: 'HUB' };
const tokenExample = JSON.parse(readFileSync(new URL('../../fixtures/ocpi-examples/token_example_2_full_rfid.json', import.meta.url), 'utf8'));
const energy = (price: number) => ({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price, vat: 21, step_size: 1 }] }] });

interface Received {
  method: string;
  path: string;
  to: string;
  body: any;
}

describe('e2e ocpi tariffs private to one eMSP party behind a hub', () => {
  const t = useTestApp({ nock: true });
  let hubToken: string;
  const received: Received[] = [];
  let site: { locationId: string; evseUid: string; chargePointId: string };

  const ocpi = async (method: string, path: string, o: { from?: typeof A; body?: unknown } = {}) => {
    const headers: Record<string, string> = { authorization: tokenHeader(hubToken), 'content-type': 'application/json' };
    if (o.from) Object.assign(headers, { 'OCPI-from-country-code': o.from.countryCode, 'OCPI-from-party-id': o.from.partyId, 'OCPI-to-country-code': TEST_OPERATOR.countryCode, 'OCPI-to-party-id': TEST_OPERATOR.partyId });
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const drain = async () => {
    for (let pass = 0; pass < 20 && (await t.app.pushWorker.runOnce()).claimed > 0; pass++);
  };
  const tokenOf = (party: typeof A, uid: string) => ({ ...tokenExample, country_code: party.countryCode, party_id: party.partyId, uid, whitelist: 'ALWAYS' });

  // The hub records what it gets (nock 15 hands the reply the fetch Request); interceptors are dropped after each test.
  const record = (method: string) => async (req: Request): Promise<[number, unknown]> => {
    const text = await req.text();
    const to = `${req.headers.get('ocpi-to-country-code')}/${req.headers.get('ocpi-to-party-id')}`;
    received.push({ method, path: new URL(req.url).pathname.replace('/ocpi/2.2.1', ''), to, body: text ? JSON.parse(text) : undefined });
    return [200, OK];
  };
  const interceptHub = () => nock('https://hub.test').persist().put(/.*/).reply(record('PUT')).patch(/.*/).reply(record('PATCH')).delete(/.*/).reply(record('DELETE'));
  beforeEach(() => void interceptHub());

  before(async () => {
    // Arrange, once: the hub, the two parties it reported and pushed tokens of, a site and two tariffs
    ({ token: hubToken } = await aRegisteredPartner(t.db, { ...HUB, role: 'HUB', baseUrl: 'https://hub.test/ocpi/2.2.1', endpoints: anEmspEndpoints('https://hub.test/ocpi/2.2.1', ['locations', 'tariffs', 'tokens']) }));
    interceptHub();
    for (const p of [A, B]) {
      const info = await ocpi('PUT', `/hubclientinfo/${p.countryCode}/${p.partyId}`, { body: { ...p, country_code: p.countryCode, party_id: p.partyId, role: 'EMSP', status: 'CONNECTED', last_updated: '2026-01-01T00:00:00Z' } });
      const tok = await ocpi('PUT', `/tokens/${p.countryCode}/${p.partyId}/TOK-${p.partyId}`, { from: p, body: tokenOf(p, `TOK-${p.partyId}`) });
      expect([info.body.status_code, tok.body.status_code]).to.deep.equal([1000, 1000]);
    }
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    site = { locationId, evseUid, chargePointId: await aRegisteredCharger(t.app.services, { locationId, evseUid }) };
    expect((await t.api('PUT', `/api/v1/chargers/${site.chargePointId}/connectors/1`, {})).status).to.equal(200);
    await t.api('PUT', '/api/v1/tariffs/GENERAL', energy(0.4));
    await t.api('PUT', '/api/v1/tariffs/NEGOTIATED-A', energy(0.25));
    expect((await t.api('POST', '/api/v1/tariffs/GENERAL/assignments', { locationId })).status).to.equal(201);
    const rule = await t.api('POST', '/api/v1/tariffs/NEGOTIATED-A/assignments', { chargePointId: site.chargePointId, connectorNumber: 1, partner: A });
    expect([rule.status, rule.body.partner]).to.deep.equal([201, A]);
    await drain();
  });

  it('tariffs §11.2.1.1: should list the negotiated tariff to A only, by the OCPI-from-* party the hub forwards', async () => {
    const ids = async (from?: typeof A) => (await ocpi('GET', '/tariffs?limit=1000', { from })).body.data.map((x: { id: string }) => x.id);
    const [toA, toB, toHub] = [await ids(A), await ids(B), await ids()];
    expect(toA).to.have.members(['GENERAL', 'NEGOTIATED-A']);
    expect(toB).to.deep.equal(['GENERAL']);
    expect(toHub).to.deep.equal(['GENERAL']);
  });

  it('tariffs §11.2.2: should push the general tariff once to the hub (broadcast) and the negotiated one to A only, addressed to A', async () => {
    const pushes = received.filter((r) => r.path.startsWith('/tariffs/')).map((r) => [r.method, r.path, r.to]);
    // Each tariff has its own ordering key, so the two may arrive in either order.
    expect(pushes).to.have.deep.members([
      ['PUT', `/tariffs/${CPO}/GENERAL`, 'NL/HUB'],
      ['PUT', `/tariffs/${CPO}/NEGOTIATED-A`, 'DE/HPA'],
    ]);
  });

  it('locations §8.3.3: should show A its own Connector.tariff_ids and B and the hub the general ones, in GET and in pushes', async () => {
    // GET
    const connectorIds = async (from?: typeof A) => {
      const res = await ocpi('GET', `/locations/${site.locationId}`, { from });
      expect(validateOcpiEnvelope(res.body, 'Location', { strict: true })).to.deep.equal({ ok: true });
      return res.body.data.evses[0].connectors[0].tariff_ids;
    };
    expect([await connectorIds(A), await connectorIds(B), await connectorIds()]).to.deep.equal([['NEGOTIATED-A'], ['GENERAL'], ['GENERAL']]);
    // Pushes: the last PUT to each addressee
    const puts = received.filter((r) => r.method === 'PUT' && r.path === `/locations/${CPO}/${site.locationId}`);
    const lastTo = (to: string) => puts.filter((r) => r.to === to).at(-1)?.body.evses[0].connectors[0].tariff_ids;
    expect([lastTo('DE/HPA'), lastTo('NL/HUB'), lastTo('DE/HPB')]).to.deep.equal([['NEGOTIATED-A'], ['GENERAL'], undefined]);
    for (const r of puts) expect(validateOcpi('Location', r.body, { strict: true })).to.deep.equal({ ok: true });
  });

  it('should never send the negotiated tariff in anything not addressed to A', () => {
    const notToA = received.filter((r) => r.to !== 'DE/HPA');
    expect(notToA.length).to.be.greaterThan(0);
    expect(JSON.stringify(notToA)).to.not.contain('NEGOTIATED-A');
  });

  it("should price A's sessions with the negotiated tariff and B's with the general one", async () => {
    const snapshotOf = async (uid: string) => {
      const { transactionId } = await t.app.services.sessions.start(site.chargePointId, aStartTransaction(uid));
      return (await t.db('sessions').where({ id: transactionId }).first()).tariff_snapshot?.id;
    };
    expect(await snapshotOf('TOK-HPA')).to.equal('NEGOTIATED-A');
    expect(await snapshotOf('TOK-HPB')).to.equal('GENERAL');
  });

  it('mod_tariffs §11.2.2: should DELETE the negotiated tariff at A alone when its rule goes, and PUT A the general tariff_ids again', async () => {
    // Arrange
    received.length = 0;
    const rules = (await t.api('GET', '/api/v1/tariffs/NEGOTIATED-A/assignments')).body.data;
    // Act
    expect((await t.api('DELETE', `/api/v1/tariffs/NEGOTIATED-A/assignments/${rules[0].id}`)).status).to.equal(204);
    await drain();
    // Assert
    expect(received.filter((r) => r.path.startsWith('/tariffs/')).map((r) => [r.method, r.path, r.to])).to.deep.equal([['DELETE', `/tariffs/${CPO}/NEGOTIATED-A`, 'DE/HPA']]);
    const locationPuts = received.filter((r) => r.path === `/locations/${CPO}/${site.locationId}`);
    expect(locationPuts.map((r) => [r.to, r.body.evses[0].connectors[0].tariff_ids])).to.deep.equal([['DE/HPA', ['GENERAL']]]);
  });
});
