// Unpublished locations (issue 7; OCPI 2.2.1 locations §8.3.1 publish / publish_allowed_to). They were never
// sent; now a location with publish = false goes, with its publish_allowed_to, to the eMSP parties it
// concerns and to no other: those owning a token it lists (tokens they gave us) and those whose tokens
// charged there (sessions and CDRs refer to it). Direct eMSPs A and B, and C behind a hub.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import nock from 'nock';
import { validateOcpi, validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { TEST_OPERATOR } from '../../helpers/db.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { nextEvent } from '../../helpers/wait.ts';
import { aBootNotification, aLocation, aRegisteredCharger, aStartTransaction, aStatusNotification, anEvseUid, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aRegisteredPartner, anEmspEndpoints, tokenHeader } from '../../fixtures/partners.ts';

const OK = { status_code: 1000, timestamp: '2026-01-05T10:00:00Z' };
const CPO = `${TEST_OPERATOR.countryCode}/${TEST_OPERATOR.partyId}`;
const tokenExample = JSON.parse(readFileSync(new URL('../../fixtures/ocpi-examples/token_example_2_full_rfid.json', import.meta.url), 'utf8'));
const strict = { strict: true } as const;

interface Party {
  countryCode: string;
  partyId: string;
}
interface Received {
  host: string;
  method: string;
  path: string;
  to: string;
  body: any;
}

const A = { countryCode: 'DE', partyId: 'UPA' };
const B = { countryCode: 'DE', partyId: 'UPB' };
const C = { countryCode: 'DE', partyId: 'UPC' };
const HUB = { countryCode: 'NL', partyId: 'UHB' };
const HOSTS: Record<string, string> = { 'https://upa.test': 'A', 'https://upb.test': 'B', 'https://uhub.test': 'HUB' };

describe('e2e ocpi unpublished locations (§8.3.1)', () => {
  const t = useTestApp({ nock: true });
  const tokens: Record<string, string> = {};
  let received: Received[] = [];

  const record = (host: string, method: string) => async (req: Request): Promise<[number, unknown]> => {
    const text = await req.text();
    const to = `${req.headers.get('ocpi-to-country-code')}/${req.headers.get('ocpi-to-party-id')}`;
    received.push({ host: HOSTS[host]!, method, path: new URL(req.url).pathname.replace('/ocpi/2.2.1/locations', ''), to, body: text ? JSON.parse(text) : undefined });
    return [200, OK];
  };
  const intercept = () => {
    for (const host of Object.keys(HOSTS)) nock(host).persist().put(/.*/).reply(record(host, 'PUT')).patch(/.*/).reply(record(host, 'PATCH'));
  };
  beforeEach(() => intercept());

  const ocpi = async (method: string, path: string, o: { as: 'A' | 'B' | 'HUB'; from?: Party; body?: unknown }) => {
    const headers: Record<string, string> = { authorization: tokenHeader(tokens[o.as]!), 'content-type': 'application/json' };
    if (o.from) Object.assign(headers, { 'OCPI-from-country-code': o.from.countryCode, 'OCPI-from-party-id': o.from.partyId, 'OCPI-to-country-code': TEST_OPERATOR.countryCode, 'OCPI-to-party-id': TEST_OPERATOR.partyId });
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
  const drain = async () => {
    for (let pass = 0; pass < 20 && (await t.app.pushWorker.runOnce()).claimed > 0; pass++);
  };
  const aToken = (party: Party, uid: string, o: Record<string, unknown> = {}) => ({ ...tokenExample, country_code: party.countryCode, party_id: party.partyId, uid, whitelist: 'ALWAYS', ...o });

  before(async () => {
    // Arrange, once: the partners, and the tokens they gave us (C's through the hub, with group FAMILY)
    for (const [as, party, origin, role] of [['A', A, 'https://upa.test', 'EMSP'], ['B', B, 'https://upb.test', 'EMSP'], ['HUB', HUB, 'https://uhub.test', 'HUB']] as const) {
      tokens[as] = (await aRegisteredPartner(t.db, { ...party, role, baseUrl: `${origin}/ocpi/2.2.1`, endpoints: anEmspEndpoints(`${origin}/ocpi/2.2.1`, ['locations', 'tokens']) })).token;
    }
    intercept();
    const put = async (as: 'A' | 'B' | 'HUB', party: Party, body: Record<string, unknown>) => {
      const res = await ocpi('PUT', `/tokens/${party.countryCode}/${party.partyId}/${body.uid}`, { as, from: party, body });
      expect(res.body.status_code, JSON.stringify(res.body)).to.equal(1000);
    };
    await put('A', A, aToken(A, 'TOK-A'));
    await put('B', B, aToken(B, 'TOK-B'));
    await put('HUB', C, aToken(C, 'TOK-C', { group_id: 'FAMILY' }));
    await ocpi('PUT', `/hubclientinfo/${C.countryCode}/${C.partyId}`, { as: 'HUB', body: { country_code: C.countryCode, party_id: C.partyId, role: 'EMSP', status: 'CONNECTED', last_updated: '2026-01-01T00:00:00Z' } });
  });

  /** A published location with a charger whose connector 1 is known; everything pushed so far delivered and forgotten. */
  async function aSite() {
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    const chargePointId = await aRegisteredCharger(t.app.services, { locationId, evseUid });
    await t.api('PUT', `/api/v1/chargers/${chargePointId}/connectors/1`, {});
    await drain();
    received = [];
    return { locationId, evseUid, chargePointId };
  }
  const unpublish = async (locationId: string, publishAllowedTo: unknown[]) => {
    const res = await t.api('PUT', `/api/v1/locations/${locationId}/publication`, { publish: false, publishAllowedTo });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    await drain();
  };
  // Pushes reach each partner in order (one ordering key per location); partners are served independently.
  const pushesOf = (locationId: string) => {
    const mine = received.filter((r) => r.path.startsWith(`/${CPO}/${locationId}`));
    return Object.keys(HOSTS).map((h) => HOSTS[h]!).flatMap((host) => mine.filter((r) => r.host === host).map((r) => [r.host, r.method, r.to]));
  };
  const canGet = async (locationId: string, as: 'A' | 'B' | 'HUB', from?: Party) => {
    const one = await ocpi('GET', `/locations/${locationId}`, { as, from });
    const list = await ocpi('GET', '/locations?limit=1000', { as, from });
    expect(validateOcpiEnvelope(list.body, 'Location', { list: true, strict: true })).to.deep.equal({ ok: true });
    expect(list.headers.get('x-total-count')).to.equal(String(list.body.data.length));
    const listed = list.body.data.some((l: { id: string }) => l.id === locationId);
    expect(listed, `${as} list vs object`).to.equal(one.status === 200);
    return one.status === 200 ? one.body.data : one.status;
  };

  it('should send the location, with publish_allowed_to, to the parties whose tokens it lists only, and retract it from the others', async () => {
    // Arrange
    const s = await aSite();
    // Act: A's token by uid, C's (behind the hub) by group
    await unpublish(s.locationId, [{ uid: 'TOK-A', type: 'RFID' }, { groupId: 'family' }]);
    // Assert: the pushes
    expect(pushesOf(s.locationId)).to.deep.equal([
      ['A', 'PATCH', 'DE/UPA'], ['A', 'PUT', 'DE/UPA'],
      ['B', 'PATCH', 'DE/UPB'],
      ['HUB', 'PATCH', 'NL/UHB'], ['HUB', 'PUT', 'DE/UPC'],
    ]);
    for (const r of received.filter((x) => x.method === 'PATCH')) {
      expect(r.body).to.deep.include({ publish: false, publish_allowed_to: [] });
      expect(validateOcpi('LocationPatch', r.body, strict)).to.deep.equal({ ok: true });
    }
    for (const r of received.filter((x) => x.method === 'PUT')) {
      expect(validateOcpi('Location', r.body, strict)).to.deep.equal({ ok: true });
      expect(r.body).to.deep.include({ publish: false, publish_allowed_to: [{ uid: 'TOK-A', type: 'RFID' }, { group_id: 'family' }] });
    }
    // Assert: GET (list and object) as each party
    expect((await canGet(s.locationId, 'A')).publish_allowed_to).to.deep.equal([{ uid: 'TOK-A', type: 'RFID' }, { group_id: 'family' }]);
    expect(await canGet(s.locationId, 'B')).to.equal(404);
    expect((await canGet(s.locationId, 'HUB', C)).id).to.equal(s.locationId);
    expect(await canGet(s.locationId, 'HUB')).to.equal(404);
    expect(await canGet(s.locationId, 'B', A)).to.equal(404); // B cannot ask as A
  });

  it('should send every later change, a status change too, as a whole Location to the concerned parties only', async () => {
    // Arrange
    const s = await aSite();
    await unpublish(s.locationId, [{ uid: 'TOK-A', type: 'RFID' }]);
    received = [];
    const client = await connectCharger(t, s.chargePointId, { password: CHARGER_PASSWORD });
    await client.call('BootNotification', aBootNotification());
    // Act
    const available = nextEvent(t.app.events, 'evse.status', (e) => e.evseUid === s.evseUid && e.status === 'AVAILABLE');
    await client.call('StatusNotification', aStatusNotification({ status: 'Available' }));
    await available;
    await client.close();
    await drain();
    // Assert: PUTs only (the connector's first report and its status), to A only
    const pushes = pushesOf(s.locationId);
    expect(pushes.length).to.be.greaterThan(0);
    expect(pushes.filter((p) => JSON.stringify(p) !== JSON.stringify(['A', 'PUT', 'DE/UPA']))).to.deep.equal([]);
    expect(received.at(-1)!.body.evses[0].status).to.equal('AVAILABLE');
  });

  it('should send it to a party whose token charged there from the next change on, and let it GET it', async () => {
    // Arrange: unpublished for A only; B's driver charges there anyway (B's roaming agreement)
    const s = await aSite();
    await unpublish(s.locationId, [{ uid: 'TOK-A', type: 'RFID' }]);
    expect(await canGet(s.locationId, 'B')).to.equal(404);
    // Act
    await t.app.services.sessions.start(s.chargePointId, aStartTransaction('TOK-B'));
    received = [];
    await t.api('PUT', `/api/v1/chargers/${s.chargePointId}/connectors/1`, { maxAmperage: 16 });
    await drain();
    // Assert
    expect((await canGet(s.locationId, 'B')).id).to.equal(s.locationId);
    expect(pushesOf(s.locationId)).to.deep.equal([['A', 'PUT', 'DE/UPA'], ['B', 'PUT', 'DE/UPB']]);
  });

  it('should retract it from a party no longer listed, and publish it to everybody again', async () => {
    // Arrange
    const s = await aSite();
    await unpublish(s.locationId, [{ uid: 'TOK-A', type: 'RFID' }, { groupId: 'FAMILY' }]);
    received = [];
    // Act 1: A's token is taken off the list
    await unpublish(s.locationId, [{ groupId: 'FAMILY' }]);
    // Assert 1
    expect(pushesOf(s.locationId)).to.deep.equal([['A', 'PATCH', 'DE/UPA'], ['HUB', 'PUT', 'DE/UPC']]);
    expect(await canGet(s.locationId, 'A')).to.equal(404);
    received = [];
    // Act 2
    const published = await t.api('PUT', `/api/v1/locations/${s.locationId}/publication`, { publish: true });
    await drain();
    // Assert 2: a plain PUT to every receiver's own party, without publish_allowed_to
    expect([published.status, published.body.publish, published.body.publishAllowedTo]).to.deep.equal([200, true, null]);
    expect(pushesOf(s.locationId)).to.deep.equal([['A', 'PUT', 'DE/UPA'], ['B', 'PUT', 'DE/UPB'], ['HUB', 'PUT', 'NL/UHB']]);
    for (const r of received) expect(r.body.publish).to.equal(true);
    for (const r of received) expect(r.body).to.not.have.property('publish_allowed_to');
    expect((await canGet(s.locationId, 'B')).publish).to.equal(true);
  });
});
