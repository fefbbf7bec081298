// One EVSE per connector (issue 7; OCPI 2.2.1 locations §8.3.2: an EVSE charges one EV at a time, and its
// NOTE has an OCPP 1.x charger present each connector as its own EVSE). A two-outlet charger used to be
// published as one EVSE whose status was the busiest connector's: one busy outlet hid the free one.
import { expect } from 'chai';
import nock from 'nock';
import { validateOcpi, validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { TEST_OPERATOR } from '../../helpers/db.ts';
import { connectCharger, type ChargerClient } from '../../helpers/charger.ts';
import { nextEvent } from '../../helpers/wait.ts';
import { aBootNotification, aLocation, aRegisteredCharger, aStatusNotification, anEvseUid, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aRegisteredPartner, anEmspEndpoints, tokenHeader } from '../../fixtures/partners.ts';

const strict = { strict: true } as const;
const OK = { status_code: 1000, timestamp: '2026-01-05T10:00:00Z' };
const CPO = `${TEST_OPERATOR.countryCode}/${TEST_OPERATOR.partyId}`;

interface Received {
  method: string;
  path: string;
  body: any;
}

describe('e2e ocpi locations: one EVSE per connector', () => {
  const t = useTestApp({ nock: true });
  let token: string;
  let received: Received[];

  before(async () => {
    // An eMSP with a locations RECEIVER that records every push (nock 15 hands the reply the fetch Request).
    const { partner, token: its } = await aRegisteredPartner(t.db, { endpoints: anEmspEndpoints('https://evses.emsp.test/ocpi/2.2.1', ['locations']) });
    token = its;
    expect(partner.id).to.be.a('number');
  });
  beforeEach(() => {
    received = [];
    const record = (method: string) => async (req: Request): Promise<[number, unknown]> => {
      received.push({ method, path: new URL(req.url).pathname.replace('/ocpi/2.2.1/locations', ''), body: JSON.parse(await req.text()) });
      return [200, OK];
    };
    nock('https://evses.emsp.test').persist().put(/.*/).reply(record('PUT')).patch(/.*/).reply(record('PATCH'));
  });

  const drain = async () => {
    for (let pass = 0; pass < 20 && (await t.app.pushWorker.runOnce()).claimed > 0; pass++);
  };
  const getLocation = async (locationId: string) => {
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1/locations/${locationId}`, { headers: { authorization: tokenHeader(token) } });
    const body = (await res.json()) as any;
    expect(validateOcpiEnvelope(body, 'Location', strict)).to.deep.equal({ ok: true });
    return body.data;
  };
  const evsesOf = (location: any) => (location.evses ?? []).map((e: any) => [e.uid, e.status, e.connectors.map((c: any) => c.id)]);
  const status = async (client: ChargerClient, evseUid: string, connectorId: number, s: string, expected: string) => {
    const seen = nextEvent(t.app.events, 'evse.status', (e) => e.evseUid === evseUid && e.status === expected);
    await client.call('StatusNotification', aStatusNotification({ connectorId, status: s as any }));
    await seen;
  };

  async function aConnectedCharger(o: { locationId?: string; evseUid?: string } = {}) {
    await drain();
    const id = await aRegisteredCharger(t.app.services, o);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    await client.call('BootNotification', aBootNotification());
    return { id, client };
  }

  it('OCPI 2.2.1 locations §8.3.2: should publish each connector of a two-outlet charger as its own EVSE, so a busy outlet never hides the free one', async () => {
    // Arrange
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    const { client } = await aConnectedCharger({ locationId, evseUid });

    // Act: outlet 1 charges, outlet 2 is free
    await status(client, evseUid, 1, 'Charging', 'CHARGING');
    await status(client, `${evseUid}-2`, 2, 'Available', 'AVAILABLE');
    await client.close();
    await drain();

    // Assert: GET and pushes show two EVSEs, each with its own status
    expect(evsesOf(await getLocation(locationId))).to.deep.equal([[evseUid, 'CHARGING', ['1']], [`${evseUid}-2`, 'AVAILABLE', ['2']]]);
    const puts = received.filter((r) => r.method === 'PUT' && r.path === `/${CPO}/${locationId}`);
    expect(evsesOf(puts.at(-1)!.body)).to.deep.equal([[evseUid, 'CHARGING', ['1']], [`${evseUid}-2`, 'AVAILABLE', ['2']]]);
    const patches = received.filter((r) => r.method === 'PATCH').map((r) => [r.path, r.body.status]);
    expect(patches).to.deep.include([`/${CPO}/${locationId}/${evseUid}-2`, 'AVAILABLE']);
    expect(patches).to.not.deep.include([`/${CPO}/${locationId}/${evseUid}`, 'AVAILABLE']);
    for (const r of received) expect(validateOcpi(r.method === 'PUT' ? 'Location' : 'EVSEPatch', r.body, strict), r.path).to.deep.equal({ ok: true });
  });

  it('should give connectors reported before the charger was attached their own EVSEs when it is attached', async () => {
    // Arrange: a charger on no location reports three connectors
    const { id, client } = await aConnectedCharger();
    for (const n of [1, 2, 3]) await client.call('StatusNotification', aStatusNotification({ connectorId: n, status: 'Available' }));
    await client.close();
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();

    // Act
    const attached = await t.api('PUT', `/api/v1/chargers/${id}/location`, { locationId, evseUid });

    // Assert
    expect(attached.status).to.equal(200);
    expect(evsesOf(await getLocation(locationId)).map((e: any[]) => [e[0], e[2]])).to.deep.equal([[evseUid, ['1']], [`${evseUid}-2`, ['2']], [`${evseUid}-3`, ['3']]]);
    const charger = await t.api('GET', `/api/v1/chargers/${id}`);
    expect(charger.body.connectors.map((c: any) => [c.connectorNumber, c.evseUid])).to.deep.equal([[1, evseUid], [2, `${evseUid}-2`], [3, `${evseUid}-3`]]);
  });

  it('should put two cables of one outlet on one EVSE when the operator maps them, PATCH the EVSE left empty to REMOVED and PUT the Location', async () => {
    // Arrange
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    const { id, client } = await aConnectedCharger({ locationId, evseUid });
    await status(client, evseUid, 1, 'Available', 'AVAILABLE');
    await status(client, `${evseUid}-2`, 2, 'Charging', 'CHARGING');
    await drain();
    received = [];

    // Act: connector 2 is the second cable of connector 1's outlet
    const res = await t.api('PUT', `/api/v1/chargers/${id}/connectors/2`, { evseUid });
    await client.close();
    await drain();

    // Assert: one EVSE with both connectors, busy as soon as one of them is (only one charges at a time)
    expect([res.status, res.body.evseUid]).to.deep.equal([200, evseUid]);
    expect(evsesOf(await getLocation(locationId))).to.deep.equal([[evseUid, 'CHARGING', ['1', '2']]]);
    expect(received.map((r) => [r.method, r.path])).to.deep.equal([
      ['PATCH', `/${CPO}/${locationId}/${evseUid}-2`],
      ['PUT', `/${CPO}/${locationId}`],
    ]);
    expect(received[0]!.body.status).to.equal('REMOVED');
    expect(evsesOf(received[1]!.body)).to.deep.equal([[evseUid, 'CHARGING', ['1', '2']]]);
    expect((await t.db('evses').where({ uid: `${evseUid}-2` }).first()).is_removed).to.equal(true);
  });

  it('should move the EVSEs with the charger to another location and REMOVE those it left', async () => {
    // Arrange
    const [first, second] = [await aLocation(t.app.services), await aLocation(t.app.services)];
    const [u, v] = [anEvseUid(), anEvseUid()];
    const { id, client } = await aConnectedCharger({ locationId: first, evseUid: u });
    await status(client, u, 1, 'Available', 'AVAILABLE');
    await status(client, `${u}-2`, 2, 'Available', 'AVAILABLE');
    await client.close();
    await drain();
    received = [];

    // Act
    await t.api('PUT', `/api/v1/chargers/${id}/location`, { locationId: second, evseUid: v });
    await drain();

    // Assert
    expect(evsesOf(await getLocation(second)).map((e: any[]) => [e[0], e[2]])).to.deep.equal([[v, ['1']], [`${v}-2`, ['2']]]);
    expect(evsesOf(await getLocation(first))).to.deep.equal([]);
    expect(received.filter((r) => r.method === 'PATCH').map((r) => [r.path, r.body.status])).to.have.deep.members([
      [`/${CPO}/${first}/${u}`, 'REMOVED'],
      [`/${CPO}/${first}/${u}-2`, 'REMOVED'],
    ]);
    expect(received.filter((r) => r.method === 'PUT').map((r) => r.path)).to.have.members([`/${CPO}/${first}`, `/${CPO}/${second}`]);
  });

  it('should send the whole Location instead of a status PATCH for an EVSE the eMSPs never got (split by the migration)', async () => {
    // Arrange: as the migration leaves a split EVSE: status UNKNOWN, not pushed yet
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    const { client } = await aConnectedCharger({ locationId, evseUid });
    await status(client, `${evseUid}-2`, 2, 'Available', 'AVAILABLE');
    await t.db('evses').where({ uid: `${evseUid}-2` }).update({ status: 'UNKNOWN', pending_location_push: true });
    await drain();
    received = [];

    // Act
    await status(client, `${evseUid}-2`, 2, 'Available', 'AVAILABLE');
    await status(client, `${evseUid}-2`, 2, 'Charging', 'CHARGING');
    await client.close();
    await drain();

    // Assert: a PUT first, then PATCHes as usual
    expect(received.map((r) => [r.method, r.path])).to.deep.equal([['PUT', `/${CPO}/${locationId}`], ['PATCH', `/${CPO}/${locationId}/${evseUid}-2`]]);
    expect(evsesOf(received[0]!.body)).to.deep.include([`${evseUid}-2`, 'AVAILABLE', ['2']]);
    expect(await t.db('evses').where({ location_id: locationId, pending_location_push: true })).to.deep.equal([]);
  });
});
