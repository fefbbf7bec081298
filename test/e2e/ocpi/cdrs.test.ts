// OCPI 2.2.1 cdrs module against the whole app: a session recorded from an OCPP 1.6 charger (ocpp-rpc
// RPCClient, strict mode) yields a CDR priced as computed by hand, POSTed once to the token's eMSP (nock);
// the Sender interface lists CDRs with pagination and partner isolation (mod_cdrs §10.2.1).
import { expect } from 'chai';
import nock from 'nock';
import { buildCdr } from '../../../src/billing/cdr-builder.ts';
import { findCdrOfSession, insertCdr } from '../../../src/billing/cdr.repo.ts';
import { validateOcpi, validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { TEST_OPERATOR } from '../../helpers/db.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { aBootNotification, aLocation, anEvseUid, aRegisteredCharger, aStartTransaction, aStatusNotification, aStopTransaction, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { tokenHeader, aRegisteredEmsp } from '../../fixtures/partners.ts';
import { aCdrSources, aRoamingToken } from '../../fixtures/billing.ts';

const OK = { status_code: 1000, timestamp: '2026-01-05T10:00:00Z' };
const T0 = Date.parse('2026-01-12T10:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

/** OCPP 1.6 MeterValues with the energy register and, optionally, the active power. */
const meterValues = (transactionId: number, min: number, wh: number, powerW?: number) => ({
  connectorId: 1,
  transactionId,
  meterValue: [{
    timestamp: at(min),
    sampledValue: [
      { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
      ...(powerW === undefined ? [] : [{ value: String(powerW), measurand: 'Power.Active.Import', unit: 'W' }]),
    ],
  }],
});

describe('e2e ocpi cdrs', () => {
  let partyFk: number;
  let seq = 0;
  // Registered first: the push worker stops before useTestApp's afterEach drops the nock interceptors.
  afterEach(() => t.app.pushWorker.stop());
  const t = useTestApp({ nock: true });

  before(async () => {
    partyFk = (await t.db('parties').where({ is_default: true }).first()).id;
  });

  const anEmsp = (modules = ['cdrs']) => aRegisteredEmsp(t.db, { modules });

  it('issue 4 acceptance: should turn OCPP meter values into a CDR priced as by hand, POSTed once to the token owner', async () => {
    // Arrange: 0.30 EUR/kWh + 1.20 EUR/h parking (per minute), both 21% VAT; eMSP A owns the token, B must get nothing
    const a = await anEmsp();
    const b = await anEmsp();
    const uid = await aRoamingToken(t.db, a.partner);
    const locationId = await aLocation(t.app.services);
    const chargePointId = await aRegisteredCharger(t.app.services, { locationId, evseUid: anEvseUid() });
    await t.app.services.tariffs.put('T-E2E-CDR', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 21, step_size: 1 }, { type: 'PARKING_TIME', price: 1.2, vat: 21, step_size: 60 }] }] });
    await t.app.services.tariffs.assign('T-E2E-CDR', { target: { locationId } });
    const posted: any[] = [];
    const scope = nock(a.origin).post('/ocpi/2.2.1/cdrs', (body) => posted.push(body) > 0).once().reply(201, OK, { Location: `${a.base}/cdrs/1` });
    t.app.pushWorker.start();

    // Act: charging 10:00-10:40 (7 kWh), the EV stops requesting at 10:40 (SuspendedEV), unplugged at 11:10
    const client = await connectCharger(t, chargePointId, { password: CHARGER_PASSWORD });
    await client.call('BootNotification', aBootNotification({ meterSerialNumber: 'MTR-0042' }));
    await client.call('StatusNotification', aStatusNotification({ status: 'Charging', timestamp: at(0) }));
    const { transactionId } = (await client.call('StartTransaction', aStartTransaction(uid, { meterStart: 20_000, timestamp: at(0) }))) as { transactionId: number };
    await client.call('MeterValues', meterValues(transactionId, 15, 22_750, 11_000));
    await client.call('MeterValues', meterValues(transactionId, 30, 25_500, 11_000));
    await client.call('StatusNotification', aStatusNotification({ status: 'SuspendedEV', timestamp: at(40) }));
    await client.call('MeterValues', meterValues(transactionId, 45, 27_000, 0));
    await client.call('StopTransaction', aStopTransaction(transactionId, { meterStop: 27_000, timestamp: at(70), reason: 'EVDisconnected' }));
    await client.close();
    await eventually(async () => scope.isDone(), 'eMSP A to receive the CDR');

    // Assert: 7 kWh x 0.30 = 2.10 (incl 2.541); 30 min parking x 1.20/h = 0.60 (incl 0.726); total 2.70 / 3.267 → 3.27
    const [cdr] = posted;
    expect(validateOcpi('CDR', cdr, { strict: true })).to.deep.equal({ ok: true });
    expect(cdr).to.include({ country_code: TEST_OPERATOR.countryCode, party_id: TEST_OPERATOR.partyId, currency: 'EUR', total_energy: 7, total_time: 1.1667, total_parking_time: 0.5, meter_id: 'MTR-0042', start_date_time: '2026-01-12T10:00:00Z', end_date_time: '2026-01-12T11:10:00Z' });
    expect(cdr.total_cost).to.deep.equal({ excl_vat: 2.7, incl_vat: 3.27 });
    expect(cdr.total_energy_cost).to.deep.equal({ excl_vat: 2.1, incl_vat: 2.54 });
    expect(cdr.total_parking_cost).to.deep.equal({ excl_vat: 0.6, incl_vat: 0.73 });
    expect(cdr.cdr_token).to.include({ uid, country_code: a.partner.countryCode, party_id: a.partner.partyId });
    expect(cdr.charging_periods.map((p: any) => [p.start_date_time, p.dimensions.filter((d: any) => ['ENERGY', 'TIME', 'PARKING_TIME'].includes(d.type))])).to.deep.equal([
      ['2026-01-12T10:00:00Z', [{ type: 'ENERGY', volume: 7 }, { type: 'TIME', volume: 0.6667 }]],
      ['2026-01-12T10:40:00Z', [{ type: 'PARKING_TIME', volume: 0.5 }]],
    ]);
    const session = await t.db('sessions').where({ id: transactionId }).first();
    expect(cdr.session_id).to.equal(session.uid);
    // never twice: the row is DELIVERED, another pass and a replayed stop send nothing (nock would refuse)
    const replay = await connectCharger(t, chargePointId, { password: CHARGER_PASSWORD });
    await replay.call('StopTransaction', aStopTransaction(transactionId, { meterStop: 27_000, timestamp: at(70), reason: 'EVDisconnected' }));
    await replay.close();
    await t.app.pushWorker.stop();
    expect(await t.app.pushWorker.runOnce()).to.include({ claimed: 0 });
    expect((await t.db('ocpi_outbox').where({ module: 'cdrs', partner_fk: a.partner.id })).map((r: any) => r.status)).to.deep.equal(['DELIVERED']);
    expect(await t.db('ocpi_outbox').where({ partner_fk: b.partner.id })).to.deep.equal([]);
    expect(posted).to.have.length(1);
  });

  it('should keep the energy of a one-second session: total_energy = meterStop - meterStart = the sum of the periods', async () => {
    // Arrange: 0.30 EUR/kWh + 2.00 EUR/h (the push worker is not started: nothing is POSTed)
    const uid = await aRoamingToken(t.db, (await anEmsp()).partner);
    const locationId = await aLocation(t.app.services);
    const chargePointId = await aRegisteredCharger(t.app.services, { locationId, evseUid: anEvseUid() });
    await t.app.services.tariffs.put('T-E2E-SHORT', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }, { type: 'TIME', price: 2, step_size: 1 }] }] });
    await t.app.services.tariffs.assign('T-E2E-SHORT', { target: { locationId } });

    // Act: 10:00:00.600 to 10:00:01.400 (both round to 10:00:01), 5 Wh
    const client = await connectCharger(t, chargePointId, { password: CHARGER_PASSWORD });
    await client.call('BootNotification', aBootNotification());
    const { transactionId } = (await client.call('StartTransaction', aStartTransaction(uid, { meterStart: 1000, timestamp: '2026-01-12T10:00:00.600Z' }))) as { transactionId: number };
    await client.call('StopTransaction', aStopTransaction(transactionId, { meterStop: 1005, timestamp: '2026-01-12T10:00:01.400Z', reason: 'Local' }));
    await client.close();
    const record = await eventually(async () => findCdrOfSession(t.db, transactionId), 'the CDR of the session');

    // Assert: 5 Wh and 0.8 s, rounded as a whole to 1 s (0.0003 h); 0.0015 + 0.0006 EUR = 0.00
    const cdr = record!.body;
    expect(validateOcpi('CDR', cdr, { strict: true })).to.deep.equal({ ok: true });
    expect(cdr).to.include({ total_energy: 0.005, total_time: 0.0003, total_parking_time: 0 });
    const volumes = (type: string) => cdr.charging_periods.flatMap((p) => p.dimensions).filter((d) => d.type === type).reduce((sum, d) => sum + d.volume, 0);
    expect(volumes('ENERGY')).to.equal(0.005);
    expect(volumes('TIME')).to.equal(0.0003);
    expect(record!.kwh).to.match(/^0\.0050*$/);
  });

  describe('GET list (Sender §10.2.1)', () => {
    const get = async (token: string, url: string) => {
      const res = await fetch(url.startsWith('http') ? url : `${t.httpUrl}/ocpi/2.2.1/cdrs${url}`, { headers: { authorization: tokenHeader(token) } });
      return { status: res.status, headers: res.headers, body: (await res.json()) as any };
    };
    const nextLink = (h: Headers) => /<([^>]+)>;\s*rel="next"/.exec(h.get('link') ?? '')?.[1];
    const aStoredCdr = async (partnerFk: number | null, createdAt: string) => {
      const body = buildCdr(aCdrSources({ id: `E2E-${++seq}`, now: new Date(createdAt), session: { uid: `S-E2E-${seq}`, meterStopWh: 1000 } }));
      return insertCdr(t.db, { partyFk, sessionFk: null, partnerFk, body, createdAt: new Date(createdAt) });
    };

    it('should page through only the CDRs of the calling eMSP\'s tokens', async () => {
      const [a, b] = [await anEmsp(), await anEmsp()];
      const ofA = [await aStoredCdr(a.partner.id, '2026-02-01T10:00:00Z'), await aStoredCdr(a.partner.id, '2026-02-01T11:00:00Z'), await aStoredCdr(a.partner.id, '2026-02-01T12:00:00Z')];
      const ofB = await aStoredCdr(b.partner.id, '2026-02-01T10:30:00Z');
      await aStoredCdr(null, '2026-02-01T10:45:00Z'); // the operator's own token: nobody's

      const pages = [await get(a.token, '?limit=2')];
      for (let link = nextLink(pages[0]!.headers); link; link = nextLink(pages.at(-1)!.headers)) pages.push(await get(a.token, link));
      const asB = await get(b.token, '');

      expect(pages.map((p) => p.body.data.map((c: any) => c.id))).to.deep.equal([[ofA[0]!.cdrId, ofA[1]!.cdrId], [ofA[2]!.cdrId]]);
      expect(pages.map((p) => [p.headers.get('x-total-count'), p.headers.get('x-limit')])).to.deep.equal([['3', '2'], ['3', '2']]);
      for (const p of pages) expect(validateOcpiEnvelope(p.body, 'CDR', { list: true, strict: true })).to.deep.equal({ ok: true });
      expect(asB.body.data.map((c: any) => c.id)).to.deep.equal([ofB.cdrId]);
    });

    it('should filter on last_updated with date_from inclusive and date_to exclusive', async () => {
      const a = await anEmsp();
      const jan = await aStoredCdr(a.partner.id, '2026-01-20T00:00:00Z');
      const feb = await aStoredCdr(a.partner.id, '2026-02-20T00:00:00Z');
      const ids = async (q: string) => (await get(a.token, q)).body.data.map((c: any) => c.id);
      expect(await ids('?date_from=2026-01-20T00:00:00Z')).to.deep.equal([jan.cdrId, feb.cdrId]);
      expect(await ids('?date_from=2026-01-21T00:00:00Z')).to.deep.equal([feb.cdrId]);
      expect(await ids('?date_to=2026-02-20T00:00:00Z')).to.deep.equal([jan.cdrId]);
      const bad = await get(a.token, '?date_from=yesterday');
      expect([bad.status, bad.body.status_code]).to.deep.equal([400, 2001]);
    });
  });
});
