// OCPI 2.2.1 sessions module, Sender interface (mod_sessions §9.2.1) and pushes to the token owner's
// receiver (§9.2.2), against the whole app: real database, real OCPP socket, nock for the eMSPs.
import { expect } from 'chai';
import nock from 'nock';
import { validateOcpi, validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import type { IdToken } from '../../../src/tokens/token.types.ts';
import { TEST_OPERATOR } from '../../helpers/db.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { aBootNotification, aLocation, aRegisteredCharger, aStartTransaction, aStatusNotification, aStopTransaction, anEnergyReading, anEvseUid, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { tokenHeader, aRegisteredEmsp, type RegisteredEmsp } from '../../fixtures/partners.ts';
import { anEvseRow, aRoamingToken, aSessionRow } from '../../fixtures/ocpi-rows.ts';

const strict = { strict: true } as const;
const OK = { status_code: 1000, timestamp: '2026-01-05T10:00:00Z' };

interface Emsp extends RegisteredEmsp {
  idToken: IdToken;
}

describe('e2e ocpi sessions (SENDER + pushes)', () => {
  const t = useTestApp({ nock: true });
  let defaultPartyFk: number;

  before(async () => {
    defaultPartyFk = (await t.db('parties').where({ is_default: true }).first()).id;
  });

  /** A registered eMSP with a sessions RECEIVER only (no CDR or location pushes) and one token of its own. */
  async function anEmsp(): Promise<Emsp> {
    const emsp = await aRegisteredEmsp(t.db, { modules: ['sessions'] });
    return { ...emsp, idToken: await aRoamingToken(t.db, emsp.partner) };
  }

  /** A charger on a published location's EVSE (with capabilities) and its connector. */
  async function aSite(capabilities?: string[]) {
    const locationId = await aLocation(t.app.services);
    const chargePointId = await aRegisteredCharger(t.app.services);
    const evse = await anEvseRow(t.db, { locationId, chargePointId, connectorNumber: 1, capabilities });
    return { locationId, chargePointId, evse };
  }

  const ocpi = async (emsp: Emsp, path: string, o: { method?: string; body?: unknown } = {}) => {
    const url = path.startsWith('http') ? path : `${t.httpUrl}/ocpi/2.2.1/sessions${path}`;
    const res = await fetch(url, { method: o.method ?? 'GET', headers: { authorization: tokenHeader(emsp.token), 'content-type': 'application/json' }, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
  const nextLink = (headers: Headers): string | undefined => /<([^>]+)>;\s*rel="next"/.exec(headers.get('link') ?? '')?.[1];

  describe('GET list (§9.2.1.1)', () => {
    it('should page through only the sessions whose token belongs to the calling eMSP', async () => {
      // Arrange: 3 sessions for eMSP A, 2 for eMSP B, on the same charger
      const [a, b] = [await anEmsp(), await anEmsp()];
      const { locationId, chargePointId, evse } = await aSite();
      const row = { partyFk: defaultPartyFk, chargePointId, locationId, evseUid: evse.uid, connectorFk: evse.connectorFk };
      const ofA = [await aSessionRow(t.db, { ...row, token: a.idToken }), await aSessionRow(t.db, { ...row, token: a.idToken }), await aSessionRow(t.db, { ...row, token: a.idToken })];
      const ofB = [await aSessionRow(t.db, { ...row, token: b.idToken }), await aSessionRow(t.db, { ...row, token: b.idToken })];

      // Act
      const pages = [await ocpi(a, '?limit=2')];
      for (let link = nextLink(pages[0]!.headers); link; link = nextLink(pages.at(-1)!.headers)) pages.push(await ocpi(a, link));
      const asB = await ocpi(b, '');

      // Assert
      expect(pages.map((p) => p.body.data.map((s: any) => s.id))).to.deep.equal([[ofA[0]!.uid, ofA[1]!.uid], [ofA[2]!.uid]]);
      expect(pages.map((p) => [p.headers.get('x-total-count'), p.headers.get('x-limit')])).to.deep.equal([['3', '2'], ['3', '2']]);
      for (const p of pages) expect(validateOcpiEnvelope(p.body, 'Session', { list: true, strict: true })).to.deep.equal({ ok: true });
      expect(pages[0]!.body.data[0]).to.include({ country_code: TEST_OPERATOR.countryCode, party_id: TEST_OPERATOR.partyId, location_id: locationId, evse_uid: evse.uid, connector_id: '1', kwh: 0.5, currency: 'EUR' });
      expect(pages[0]!.body.data[0].cdr_token).to.deep.equal({ country_code: a.partner.countryCode, party_id: a.partner.partyId, uid: a.idToken.uid, type: 'RFID', contract_id: a.idToken.contractId });
      expect(asB.body.data.map((s: any) => s.id)).to.deep.equal(ofB.map((s) => s.uid));
    });

    it('should filter on last_updated with date_from inclusive and date_to exclusive', async () => {
      const a = await anEmsp();
      const { locationId, chargePointId, evse } = await aSite();
      const row = { partyFk: defaultPartyFk, chargePointId, locationId, evseUid: evse.uid, connectorFk: evse.connectorFk, token: a.idToken };
      const jan = await aSessionRow(t.db, { ...row, lastUpdated: new Date('2026-01-10T00:00:00Z') });
      const feb = await aSessionRow(t.db, { ...row, lastUpdated: new Date('2026-02-10T00:00:00Z') });
      const ids = async (q: string) => (await ocpi(a, q)).body.data.map((s: any) => s.id);

      expect(await ids('?date_from=2026-01-10T00:00:00Z')).to.deep.equal([jan.uid, feb.uid]);
      expect(await ids('?date_from=2026-01-11T00:00:00Z')).to.deep.equal([feb.uid]);
      expect(await ids('?date_from=2026-01-01T00:00:00Z&date_to=2026-02-10T00:00:00Z')).to.deep.equal([jan.uid]);
    });
  });

  describe('PUT charging_preferences (§9.2.1.2)', () => {
    async function aSessionOf(emsp: Emsp, capabilities = ['RFID_READER', 'CHARGING_PREFERENCES_CAPABLE']) {
      const { locationId, chargePointId, evse } = await aSite(capabilities);
      return aSessionRow(t.db, { partyFk: defaultPartyFk, chargePointId, locationId, evseUid: evse.uid, connectorFk: evse.connectorFk, token: emsp.idToken });
    }

    it('should answer a ChargingPreferencesResponse and store the preferences', async () => {
      const a = await anEmsp();
      const session = await aSessionOf(a);
      const preferences = { profile_type: 'REGULAR', departure_time: new Date(Date.now() + 3 * 3_600_000).toISOString(), energy_need: 10 };

      const accepted = await ocpi(a, `/${session.uid}/charging_preferences`, { method: 'PUT', body: preferences });
      const green = await ocpi(a, `/${session.uid}/charging_preferences`, { method: 'PUT', body: { profile_type: 'GREEN' } });

      expect([accepted.status, accepted.body.status_code, accepted.body.data]).to.deep.equal([200, 1000, 'ACCEPTED']);
      expect([green.status, green.body.data]).to.deep.equal([200, 'PROFILE_TYPE_NOT_SUPPORTED']);
      const row = await t.db('sessions').where({ id: session.id }).first();
      expect(row.charging_preferences).to.deep.equal({ profile_type: 'GREEN' });
      expect(row.charging_preferences_response).to.equal('PROFILE_TYPE_NOT_SUPPORTED');
    });

    it('should answer HTTP 404 with 2001 for an unknown session, another eMSP\'s session or an EVSE without CHARGING_PREFERENCES_CAPABLE', async () => {
      const [a, b] = [await anEmsp(), await anEmsp()];
      const ofA = await aSessionOf(a);
      const notCapable = await aSessionOf(a, ['RFID_READER']);
      const body = { profile_type: 'REGULAR' };

      const answers = [await ocpi(a, '/NOPE/charging_preferences', { method: 'PUT', body }), await ocpi(b, `/${ofA.uid}/charging_preferences`, { method: 'PUT', body }), await ocpi(a, `/${notCapable.uid}/charging_preferences`, { method: 'PUT', body })];

      expect(answers.map((r) => [r.status, r.body.status_code])).to.deep.equal([[404, 2001], [404, 2001], [404, 2001]]);
      expect((await t.db('sessions').where({ id: ofA.id }).first()).charging_preferences).to.equal(null);
    });

    it('should refuse a body that is not ChargingPreferences with 2001 naming the field', async () => {
      const a = await anEmsp();
      const session = await aSessionOf(a);

      const res = await ocpi(a, `/${session.uid}/charging_preferences`, { method: 'PUT', body: { profile_type: 'SLOW' } });

      expect([res.status, res.body.status_code]).to.deep.equal([400, 2001]);
      expect(res.body.status_message).to.contain('profile_type');
    });
  });

  describe('pushes (§9.2.2)', () => {
    it('should PUT the session at start, PATCH kwh and periods as meter values arrive (one per 5 min), and PATCH COMPLETED at stop, to the token owner only', async () => {
      // Arrange: two eMSPs; the session is started with A's token
      const [a, b] = [await anEmsp(), await anEmsp()];
      const locationId = await aLocation(t.app.services);
      const evseUid = anEvseUid();
      const id = await aRegisteredCharger(t.app.services, { locationId, evseUid });
      const path = new RegExp(`^/ocpi/2\\.2\\.1/sessions/${TEST_OPERATOR.countryCode}/${TEST_OPERATOR.partyId}/[0-9a-f-]{36}$`);
      const puts: any[] = [];
      const patches: any[] = [];
      const scope = nock(a.origin)
        .put(path, (body) => puts.push(body) > 0).reply(200, OK)
        .patch(path, (body) => patches.push(body) > 0).times(2).reply(200, OK);
      t.app.pushWorker.start();
      const t0 = Date.parse('2026-01-10T10:00:00Z');
      const at = (min: number) => new Date(t0 + min * 60_000).toISOString();

      // Act: a whole transaction from the charger
      const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
      await client.call('BootNotification', aBootNotification());
      await client.call('StatusNotification', aStatusNotification({ status: 'Preparing', timestamp: at(0) }));
      const { transactionId } = (await client.call('StartTransaction', aStartTransaction(a.idToken.uid, { meterStart: 10_000, timestamp: at(0) }))) as { transactionId: number };
      await client.call('MeterValues', anEnergyReading(transactionId, '10400', { timestamp: at(2) }));
      await client.call('MeterValues', anEnergyReading(transactionId, '11000', { timestamp: at(6) }));
      await client.call('StopTransaction', aStopTransaction(transactionId, { meterStop: 11_500, timestamp: at(10) }));
      await client.close();
      await eventually(async () => scope.isDone(), 'eMSP A to receive the PUT and 2 PATCHes');

      // Assert: bodies valid and as expected
      const uid = (await t.db('sessions').where({ id: transactionId }).first()).uid;
      expect(validateOcpi('Session', puts[0], strict)).to.deep.equal({ ok: true });
      expect(puts[0]).to.include({ id: uid, status: 'ACTIVE', kwh: 0, location_id: locationId, evse_uid: evseUid, connector_id: '1', start_date_time: at(0) });
      expect(puts[0].cdr_token.uid).to.equal(a.idToken.uid);
      for (const body of patches) expect(validateOcpi('SessionPatch', body, strict)).to.deep.equal({ ok: true });
      expect(patches[0]).to.deep.include({ kwh: 1, status: 'ACTIVE' });
      expect(patches[0].charging_periods).to.deep.equal([{ start_date_time: '2026-01-10T10:00:00.000Z', dimensions: [{ type: 'ENERGY', volume: 1 }, { type: 'TIME', volume: 0.1 }] }]);
      expect(patches[1]).to.deep.include({ kwh: 1.5, status: 'COMPLETED', end_date_time: '2026-01-10T10:10:00.000Z' });
      expect(patches[1].charging_periods).to.deep.equal([{ start_date_time: '2026-01-10T10:06:00.000Z', dimensions: [{ type: 'ENERGY', volume: 0.5 }, { type: 'TIME', volume: 0.0667 }] }]);
      // Only A: nothing was ever queued for B, and the 2-minute reading produced no PATCH.
      expect(await t.db('ocpi_outbox').where({ partner_fk: b.partner.id })).to.deep.equal([]);
      expect((await t.db('ocpi_outbox').where({ object_key: `session:${uid}` })).map((r: any) => r.method)).to.deep.equal(['PUT', 'PATCH', 'PATCH']);
    });

    it('should move last_updated with the kWh of a session an eMSP follows, and not that of an own token\'s session (its row updated in place)', async () => {
      // Arrange: two located chargers, one in a session of A's token, one in a session of the operator's own token
      const a = await anEmsp();
      const locationId = await aLocation(t.app.services);
      const local = await t.app.services.tokens.addLocal({ uid: `OWN${Date.now() % 100000}` });
      const started = await Promise.all([a.idToken.uid, local.uid].map(async (idTag) => {
        const id = await aRegisteredCharger(t.app.services, { locationId, evseUid: anEvseUid() });
        const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
        const { transactionId } = (await client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 0 }))) as { transactionId: number };
        return { client, transactionId };
      }));
      const rowsOf = async () => Promise.all(started.map(async (x) => t.db('sessions').where({ id: x.transactionId }).first()));
      const before = await rowsOf();
      await new Promise((r) => setTimeout(r, 20)); // a later clock reading than the start's

      // Act
      for (const x of started) await x.client.call('MeterValues', anEnergyReading(x.transactionId, '2500', { timestamp: new Date().toISOString() }));
      await Promise.all(started.map((x) => x.client.close()));

      // Assert: both count the energy; only the followed one has a new last_updated
      const [followed, own] = await rowsOf();
      expect([Number(followed.energy_wh), Number(own.energy_wh)]).to.deep.equal([2500, 2500]);
      expect(followed.last_updated.getTime()).to.be.greaterThan(before[0].last_updated.getTime());
      expect(own.last_updated.getTime()).to.equal(before[1].last_updated.getTime());
    });

    it('should queue the PATCH of a followed session in the transaction that stores its MeterValues, whether the session was known from its start or looked up', async () => {
      // Arrange: two sessions of an eMSP's token: one started on this node, one this node has not seen (recorded
      // elsewhere); a PATCH is due for every reading (6 min after the start)
      const a = await anEmsp();
      const started = await aSite();
      const startedClient = await connectCharger(t, started.chargePointId, { password: CHARGER_PASSWORD });
      const t0 = Date.now() - 60 * 60_000;
      const { transactionId } = (await startedClient.call('StartTransaction', aStartTransaction(a.idToken.uid, { meterStart: 0, timestamp: new Date(t0).toISOString() }))) as { transactionId: number };
      const unseen = await aSite();
      const recorded = await aSessionRow(t.db, { partyFk: defaultPartyFk, chargePointId: unseen.chargePointId, locationId: unseen.locationId, evseUid: unseen.evse.uid, connectorFk: unseen.evse.connectorFk, token: a.idToken });
      const unseenStart = (await t.db('sessions').where({ id: recorded.id }).first()).start_at.getTime();
      const unseenClient = await connectCharger(t, unseen.chargePointId, { password: CHARGER_PASSWORD });
      const statements: Array<{ sql: string; tx?: string }> = [];
      const record = (q: { sql: string; __knexTxId?: string }) => void statements.push({ sql: q.sql, tx: q.__knexTxId });
      const transactionOf = (pattern: RegExp) => statements.find((q) => pattern.test(q.sql))?.tx;

      // Act: a reading of each, and another of the session looked up (now known to this node)
      t.db.on('query', record);
      await startedClient.call('MeterValues', anEnergyReading(transactionId, '1000', { timestamp: new Date(t0 + 6 * 60_000).toISOString() }));
      const first = { samples: transactionOf(/insert into meter_values/i), push: transactionOf(/insert into "ocpi_outbox"/i) };
      statements.length = 0;
      await unseenClient.call('MeterValues', anEnergyReading(recorded.id, '2000', { timestamp: new Date(unseenStart + 6 * 60_000).toISOString() }));
      const second = { samples: transactionOf(/insert into meter_values/i), push: transactionOf(/insert into "ocpi_outbox"/i), lookup: transactionOf(/from "sessions" as "s"/i) };
      statements.length = 0;
      await unseenClient.call('MeterValues', anEnergyReading(recorded.id, '3000', { timestamp: new Date(unseenStart + 12 * 60_000).toISOString() }));
      const third = { samples: transactionOf(/insert into meter_values/i), push: transactionOf(/insert into "ocpi_outbox"/i) };
      t.db.off('query', record);
      await Promise.all([startedClient.close(), unseenClient.close()]);

      // Assert: each time one transaction holds the samples and the push (a crash loses neither alone)
      for (const w of [first, second, third]) {
        expect(w.samples).to.be.a('string');
        expect(w.push).to.equal(w.samples);
      }
      expect(second.lookup).to.equal(second.samples);
      const methods = async (id: number) => (await t.db('ocpi_outbox').where({ object_key: `session:${(await t.db('sessions').where({ id }).first()).uid}` }).orderBy('id')).map((r: any) => r.method);
      expect([await methods(transactionId), await methods(recorded.id)]).to.deep.equal([['PUT', 'PATCH'], ['PATCH', 'PATCH']]);
    });

    it('should push nothing for a session of the operator\'s own token', async () => {
      const a = await anEmsp();
      const locationId = await aLocation(t.app.services);
      const id = await aRegisteredCharger(t.app.services, { locationId, evseUid: anEvseUid() });
      const local = await t.app.services.tokens.addLocal({ uid: `LOCAL${Date.now() % 100000}` });
      const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });

      const { transactionId } = (await client.call('StartTransaction', aStartTransaction(local.uid))) as { transactionId: number };
      await client.close();

      const uid = (await t.db('sessions').where({ id: transactionId }).first()).uid;
      expect(await t.db('ocpi_outbox').where({ object_key: `session:${uid}` })).to.deep.equal([]);
      expect(await t.db('ocpi_outbox').where({ partner_fk: a.partner.id })).to.deep.equal([]);
    });
  });
});
