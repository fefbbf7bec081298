// CDR generation inside the stop transaction, the outbox push to the token's eMSP only, credit CDRs,
// immutability, and the stale-sessions job (OCPI 2.2.1 mod_cdrs; issue 4 "CDRs").
import { expect } from 'chai';
import { createApp, type App } from '../../../src/app.ts';
import { closeStaleSessions } from '../../../src/billing/stale-sessions.job.ts';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { Conflict } from '../../../src/shared/errors.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { testConfig } from '../../helpers/app.ts';
import { aLocation, anEnergyReading, anEvseUid, aRegisteredCharger, aStartTransaction, aStopTransaction, aToken } from '../../fixtures/chargers.ts';
import { anEmspEndpoints, aRegisteredPartner } from '../../fixtures/partners.ts';
import { aRoamingToken } from '../../fixtures/billing.ts';

const T0 = '2024-05-01T10:00:00Z';
const at = (min: number) => new Date(Date.parse(T0) + min * 60_000).toISOString();

describe('billing: CDR generation', () => {
  let t: TestDb;
  let app: App;
  const clock = fixedClock(new Date('2024-05-01T12:00:00Z'));

  before(async () => {
    t = await createTestDb();
    app = createApp({ config: testConfig(t), db: t.db, logger: createLogger('error'), clock });
  });
  after(async () => {
    await app.close();
    await t.destroy();
  });

  const s = () => app.services;
  const outboxOf = (partnerFk: number) => t.db('ocpi_outbox').where({ partner_fk: partnerFk, module: 'cdrs' }).orderBy('id');

  /** A charger at a location with a 0.25 EUR/kWh tariff (10% VAT) on its connectors. */
  async function aSite() {
    const locationId = await aLocation(s());
    const chargePointId = await aRegisteredCharger(s(), { locationId, evseUid: anEvseUid() });
    const tariffId = `T-${Math.random().toString(36).slice(2, 8)}`;
    await s().tariffs.put(tariffId, { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, vat: 10, step_size: 1 }] }] });
    await s().tariffs.assign(tariffId, { target: { locationId } });
    return { locationId, chargePointId, tariffId };
  }

  /** 1000 → 12000 Wh over one hour: 11 kWh x 0.25 = 2.75 excl, 3.03 incl. */
  async function aChargedSession(chargePointId: string, idTag: string) {
    const { transactionId } = await s().sessions.start(chargePointId, aStartTransaction(idTag, { meterStart: 1000, timestamp: at(0) }));
    await s().sessions.recordMeterValues(chargePointId, anEnergyReading(transactionId, '6500', { timestamp: at(30) }));
    await s().sessions.stop(chargePointId, aStopTransaction(transactionId, { meterStop: 12000, timestamp: at(60) }));
    return transactionId;
  }

  it('cdrs §10.3.1: should store a valid priced CDR and the session cost when the session stops', async () => {
    const site = await aSite();
    const sessionId = await aChargedSession(site.chargePointId, await aToken(s()));
    const row = await t.db('cdrs').where({ session_fk: sessionId }).first();
    expect(validateOcpi('CDR', row.body, { strict: true })).to.deep.equal({ ok: true });
    expect(row.body).to.include({ currency: 'EUR', total_energy: 11, total_time: 1, start_date_time: '2024-05-01T10:00:00Z', end_date_time: '2024-05-01T11:00:00Z', last_updated: '2024-05-01T12:00:00Z' });
    expect(row.body.total_cost).to.deep.equal({ excl_vat: 2.75, incl_vat: 3.03 });
    expect(row.body.tariffs.map((x: { id: string }) => x.id)).to.deep.equal([site.tariffId]);
    expect(row.body.cdr_location).to.include({ id: site.locationId, country: 'NLD' });
    expect([String(row.total_cost_excl_vat), String(row.kwh), row.partner_fk]).to.deep.equal(['2.75', '11', null]);
    const session = await t.db('sessions').where({ id: sessionId }).first();
    expect([String(session.total_cost_excl_vat), String(session.total_cost_incl_vat), session.currency]).to.deep.equal(['2.750000', '3.030000', 'EUR']); // numeric(18,6)
  });

  it("should bill a session without a tariff free of charge in its own party's currency (issue 9)", async () => {
    // Arrange: a site without a tariff; the operator's party bills in CHF
    const locationId = await aLocation(s());
    const chargePointId = await aRegisteredCharger(s(), { locationId, evseUid: anEvseUid() });
    await t.db('parties').where({ is_default: true }).update({ currency: 'CHF' });
    try {
      // Act
      const sessionId = await aChargedSession(chargePointId, await aToken(s()));

      // Assert
      const row = await t.db('cdrs').where({ session_fk: sessionId }).first();
      expect([row.body.currency, row.body.total_cost]).to.deep.equal(['CHF', { excl_vat: 0, incl_vat: 0 }]);
    } finally {
      await t.db('parties').where({ is_default: true }).update({ currency: null });
    }
  });

  it('cdrs §10.1.3: should queue one POST to the eMSP owning the token, and to no other partner', async () => {
    const site = await aSite();
    const owner = await aRegisteredPartner(t.db);
    const other = await aRegisteredPartner(t.db);
    const sessionId = await aChargedSession(site.chargePointId, await aRoamingToken(t.db, owner.partner));
    const cdr = await t.db('cdrs').where({ session_fk: sessionId }).first();
    const rows = await outboxOf(owner.partner.id);
    expect(rows.map((r) => [r.method, r.role, r.path, r.object_key])).to.deep.equal([['POST', 'RECEIVER', '', `cdr:${cdr.cdr_id}`]]);
    expect(rows[0].body).to.deep.equal(cdr.body);
    expect(rows[0].to_party).to.deep.equal({ country_code: owner.partner.countryCode, party_id: owner.partner.partyId });
    expect(cdr.partner_fk).to.equal(owner.partner.id);
    expect(await outboxOf(other.partner.id)).to.deep.equal([]);
  });

  it('should never create or queue a second CDR when the StopTransaction is replayed', async () => {
    const site = await aSite();
    const owner = await aRegisteredPartner(t.db);
    const sessionId = await aChargedSession(site.chargePointId, await aRoamingToken(t.db, owner.partner));
    await s().sessions.stop(site.chargePointId, aStopTransaction(sessionId, { meterStop: 12000, timestamp: at(60) }));
    expect(await t.db('cdrs').where({ session_fk: sessionId })).to.have.length(1);
    expect(await outboxOf(owner.partner.id)).to.have.length(1);
  });

  it('cdrs §10.1.4: should not queue a POST to an eMSP without a cdrs RECEIVER (it pulls)', async () => {
    const site = await aSite();
    const puller = await aRegisteredPartner(t.db, { endpoints: anEmspEndpoints('https://puller.test/ocpi/2.2.1', ['sessions', 'tokens']) });
    const sessionId = await aChargedSession(site.chargePointId, await aRoamingToken(t.db, puller.partner));
    expect((await t.db('cdrs').where({ session_fk: sessionId }).first()).partner_fk).to.equal(puller.partner.id);
    expect(await outboxOf(puller.partner.id)).to.deep.equal([]);
  });

  it('cdrs §10.2.1: should refuse any UPDATE of a stored CDR', async () => {
    const site = await aSite();
    const sessionId = await aChargedSession(site.chargePointId, await aToken(s()));
    let error: Error | undefined;
    await t.db('cdrs').where({ session_fk: sessionId }).update({ kwh: 0 }).catch((err: Error) => (error = err));
    expect(error?.message).to.match(/immutable/);
  });

  it('cdrs §10.2.1.1: should issue one credit CDR, queued after the original under the same ordering key', async () => {
    const site = await aSite();
    const owner = await aRegisteredPartner(t.db);
    const sessionId = await aChargedSession(site.chargePointId, await aRoamingToken(t.db, owner.partner));
    const original = await t.db('cdrs').where({ session_fk: sessionId }).first();
    const credit = await s().cdrs.credit(original.id, { remark: 'meter fault' });
    expect(credit.body).to.include({ id: `${original.cdr_id}-C`, credit: true, credit_reference_id: original.cdr_id, remark: 'meter fault' });
    expect(credit.body.total_cost).to.deep.equal({ excl_vat: -2.75, incl_vat: -3.03 });
    expect([credit.totalCostExclVat, credit.kwh, credit.partnerFk]).to.deep.equal(['-2.75', '11', owner.partner.id]);
    const rows = await outboxOf(owner.partner.id);
    expect(rows.map((r) => [r.body.id, r.object_key])).to.deep.equal([[original.cdr_id, `cdr:${original.cdr_id}`], [`${original.cdr_id}-C`, `cdr:${original.cdr_id}`]]);
    const again = await s().cdrs.credit(original.id).catch((err: Error) => err);
    expect(again).to.be.instanceOf(Conflict);
    const ofCredit = await s().cdrs.credit(credit.id).catch((err: Error) => err);
    expect(ofCredit).to.be.instanceOf(Conflict);
  });

  it('should stop a session of a charger without a location, create no CDR and record why (cdr_status FAILED)', async () => {
    const chargePointId = await aRegisteredCharger(s());
    const { transactionId } = await s().sessions.start(chargePointId, aStartTransaction(await aToken(s()), { timestamp: at(0) }));
    await s().sessions.stop(chargePointId, aStopTransaction(transactionId, { timestamp: at(10) }));
    const session = await t.db('sessions').where({ id: transactionId }).first();
    expect([session.status, session.cdr_status]).to.deep.equal(['COMPLETED', 'FAILED']);
    expect(session.cdr_error).to.equal(`no location: charger ${chargePointId} is not attached to one (attach it, then ask for the CDR)`);
    expect(await t.db('cdrs').where({ session_fk: transactionId })).to.deep.equal([]);
  });

  it('sessions §9.4.2: should create no CDR for an INVALID session (token refused) and record it as NOT_BILLABLE', async () => {
    const site = await aSite();
    const { transactionId } = await s().sessions.start(site.chargePointId, aStartTransaction('UNKNOWN-TAG', { timestamp: at(0) }));
    await s().sessions.stop(site.chargePointId, aStopTransaction(transactionId, { timestamp: at(10) }));
    expect(await t.db('cdrs').where({ session_fk: transactionId })).to.deep.equal([]);
    expect((await t.db('sessions').where({ id: transactionId }).first()).cdr_status).to.equal('NOT_BILLABLE');
  });

  it('should record CREATED on a billed session', async () => {
    const site = await aSite();
    const sessionId = await aChargedSession(site.chargePointId, await aToken(s()));
    const session = await t.db('sessions').where({ id: sessionId }).first();
    expect([session.cdr_status, session.cdr_error]).to.deep.equal(['CREATED', null]);
  });

  describe('stale-sessions job', () => {
    it('should close a session whose charger went silent at its last reading, with reason Other, and bill it', async () => {
      // Arrange: readings until 10:30, then nothing at all from the charger
      const site = await aSite();
      const { transactionId } = await s().sessions.start(site.chargePointId, aStartTransaction(await aToken(s()), { meterStart: 1000, timestamp: at(0) }));
      await s().sessions.recordMeterValues(site.chargePointId, anEnergyReading(transactionId, '5000', { timestamp: at(30) }));
      await t.db('charge_points').where({ id: site.chargePointId }).update({ last_seen_at: at(30) });
      clock.set(new Date(at(30 + 181)));
      // Act
      const result = await closeStaleSessions({ db: t.db, clock, logger: createLogger('error'), sessions: s().sessions, staleAfterMin: 180 });
      // Assert: 4 kWh x 0.25 = 1.00 excl, 1.10 incl; ended at the last reading
      expect(result).to.deep.equal({ closed: 1, failed: 0 });
      const session = await t.db('sessions').where({ id: transactionId }).first();
      expect([session.status, session.stop_reason, new Date(session.stop_at).toISOString()]).to.deep.equal(['COMPLETED', 'Other', at(30)]);
      const cdr = (await t.db('cdrs').where({ session_fk: transactionId }).first()).body;
      expect(cdr).to.include({ end_date_time: '2024-05-01T10:30:00Z', total_energy: 4, remark: 'Closed by the CPO: the charger stopped reporting' });
      expect(cdr.total_cost).to.deep.equal({ excl_vat: 1, incl_vat: 1.1 });
    });

    it('should close a stale session of a charger without a location and record it as FAILED', async () => {
      const chargePointId = await aRegisteredCharger(s());
      const { transactionId } = await s().sessions.start(chargePointId, aStartTransaction(await aToken(s()), { timestamp: at(0) }));
      await t.db('charge_points').where({ id: chargePointId }).update({ last_seen_at: at(0) });
      clock.set(new Date(at(181)));

      const result = await closeStaleSessions({ db: t.db, clock, logger: createLogger('error'), sessions: s().sessions, staleAfterMin: 180 });

      expect(result.failed).to.equal(0);
      const session = await t.db('sessions').where({ id: transactionId }).first();
      expect([session.status, session.cdr_status]).to.deep.equal(['COMPLETED', 'FAILED']);
      expect(session.cdr_error).to.match(/^no location/);
    });

    it('should leave a session open while its charger still sends messages', async () => {
      const site = await aSite();
      const { transactionId } = await s().sessions.start(site.chargePointId, aStartTransaction(await aToken(s()), { timestamp: at(0) }));
      clock.set(new Date(at(600)));
      await t.db('charge_points').where({ id: site.chargePointId }).update({ last_seen_at: at(590) });
      const result = await closeStaleSessions({ db: t.db, clock, logger: createLogger('error'), sessions: s().sessions, staleAfterMin: 180 });
      expect(result.closed).to.equal(0);
      expect((await t.db('sessions').where({ id: transactionId }).first()).status).to.equal('ACTIVE');
    });
  });
});
