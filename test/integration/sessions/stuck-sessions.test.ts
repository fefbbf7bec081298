// Stuck sessions (issue 15): one transaction per connector (a newer start supersedes the older ACTIVE
// session, race-safe), replays keep their first answer, and the charger's late StopTransaction of a session
// cpms closed is applied only with newer data: the first CDR credited (OCPI 2.2.1 cdrs §10.2.1.1) and a
// replacement issued, never both charged. Concurrent starts race only on the PostgreSQL server.
import { expect } from 'chai';
import { createApp, type App } from '../../../src/app.ts';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { testConfig } from '../../helpers/app.ts';
import { aLocation, anEnergyReading, anEvseUid, aRegisteredCharger, aStartTransaction, aStopTransaction, aToken } from '../../fixtures/chargers.ts';
import { aRegisteredPartner } from '../../fixtures/partners.ts';
import { aRoamingToken } from '../../fixtures/billing.ts';
import { StuckSessionService } from '../../../src/sessions/stuck-sessions.service.ts';

const T0 = '2024-05-01T10:00:00Z';
const at = (min: number) => new Date(Date.parse(T0) + min * 60_000).toISOString();
const ROUNDS = 6;

describe('integration sessions: stuck sessions (one transaction per connector, late stops)', () => {
  let t: TestDb;
  let app: App;
  const clock = fixedClock(new Date('2024-05-01T12:00:00Z'));

  before(async () => {
    t = await createTestDb();
    const logger = createLogger('error');
    logger.silent = true;
    app = createApp({ config: testConfig(t), db: t.db, logger, clock });
  });
  after(async () => {
    await app.close();
    await t.destroy();
  });

  const s = () => app.services;
  const sessionRow = (id: number) => t.db('sessions').where({ id }).first();
  const activeOn = (chargePointId: string) => t.db('sessions').where({ charge_point_id: chargePointId, connector_number: 1, status: 'ACTIVE' }).pluck('id');
  const cdrsOf = (sessionId: number) => t.db('cdrs').where({ session_fk: sessionId }).orderBy('id');

  /** A charger on a location with a 0.25 EUR/kWh tariff (no VAT). */
  async function aSite(): Promise<string> {
    const locationId = await aLocation(s());
    const chargePointId = await aRegisteredCharger(s(), { locationId, evseUid: anEvseUid() });
    const tariffId = `T-${Math.random().toString(36).slice(2, 8)}`;
    await s().tariffs.put(tariffId, { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, step_size: 1 }] }] });
    await s().tariffs.assign(tariffId, { target: { locationId } });
    return chargePointId;
  }

  /** A session started at T0 (meter 1000) with a reading of `wh` at +30 min. */
  async function aRunningSession(chargePointId: string, idTag: string, wh = 5000): Promise<number> {
    const { transactionId } = await s().sessions.start(chargePointId, aStartTransaction(idTag, { meterStart: 1000, timestamp: at(0) }));
    await s().sessions.recordMeterValues(chargePointId, anEnergyReading(transactionId, String(wh), { timestamp: at(30) }));
    return transactionId;
  }

  describe('one transaction per connector', () => {
    it('should close the older ACTIVE session as SUPERSEDED at its last reading, bill it once and release its token', async () => {
      // Arrange: transaction A runs on connector 1 and is never stopped
      const chargePointId = await aSite();
      const tagA = await aToken(s());
      const a = await aRunningSession(chargePointId, tagA);

      // Act: the charger starts B on the same connector, then A's driver starts at another charger
      const b = await s().sessions.start(chargePointId, aStartTransaction(await aToken(s()), { meterStart: 5000, timestamp: at(40) }));
      const elsewhere = await s().sessions.start(await aSite(), aStartTransaction(tagA, { timestamp: at(50) }));

      // Assert
      const rowA = await sessionRow(a);
      expect([rowA.status, rowA.close_reason, rowA.stop_reason, new Date(rowA.stop_at).toISOString(), Number(rowA.meter_stop_wh)]).to.deep.equal(['COMPLETED', 'SUPERSEDED', 'Other', at(30), 5000]);
      expect(rowA.close_note).to.equal(`superseded by transaction ${b.transactionId}`);
      expect(await activeOn(chargePointId)).to.deep.equal([b.transactionId]);
      const cdrs = await cdrsOf(a);
      expect(cdrs).to.have.length(1);
      expect(cdrs[0].body).to.include({ total_energy: 4, remark: 'Closed by the CPO: a newer transaction started on the connector' });
      expect(validateOcpi('CDR', cdrs[0].body, { strict: true })).to.deep.equal({ ok: true });
      expect(elsewhere.idTagInfo.status).to.equal('Accepted');
    });

    it('OCPP16 §4.8: should answer a replay of the superseded start with its first answer and supersede nothing', async () => {
      const chargePointId = await aSite();
      const startA = aStartTransaction(await aToken(s()), { meterStart: 1000, timestamp: at(0) });
      const a = await s().sessions.start(chargePointId, startA);
      const b = await s().sessions.start(chargePointId, aStartTransaction(await aToken(s()), { meterStart: 2000, timestamp: at(10) }));

      const replayed = await s().sessions.start(chargePointId, startA);

      expect(replayed).to.deep.equal(a);
      expect(await activeOn(chargePointId)).to.deep.equal([b.transactionId]);
      expect((await sessionRow(a.transactionId)).close_reason).to.equal('SUPERSEDED');
    });

    it('should close a start replayed late, older than the running session, as SUPERSEDED and keep the running one', async () => {
      // Arrange: transaction B (10:40) runs; the charger's queue then delivers an older start (10:00)
      const chargePointId = await aSite();
      const b = await s().sessions.start(chargePointId, aStartTransaction(await aToken(s()), { meterStart: 5000, timestamp: at(40) }));

      // Act
      const late = await s().sessions.start(chargePointId, aStartTransaction(await aToken(s()), { meterStart: 1000, timestamp: at(0) }));

      // Assert: answered Accepted (the charger keeps its id), closed at once, B untouched
      expect(late.idTagInfo.status).to.equal('Accepted');
      expect((await sessionRow(late.transactionId)).close_reason).to.equal('SUPERSEDED');
      expect(await activeOn(chargePointId)).to.deep.equal([b.transactionId]);
    });

    it('should leave exactly one ACTIVE session on a connector after concurrent starts of different tokens', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        // Arrange: the connector is known already (its first insert would serialize the starts by itself)
        const chargePointId = await aSite();
        await s().chargers.reportStatus(chargePointId, { connectorNumber: 1, status: 'Preparing', errorCode: 'NoError', timestamp: new Date(at(-1)) });
        const tags = [await aToken(s()), await aToken(s()), await aToken(s())];

        // Act: three starts at once on connector 1 (the latest start time wins)
        const answers = await Promise.all(tags.map((tag, i) => s().sessions.start(chargePointId, aStartTransaction(tag, { meterStart: 1000 + i, timestamp: at(i) }))));

        // Assert
        expect(await activeOn(chargePointId), `round ${round}`).to.deep.equal([answers[2].transactionId]);
        const closed = await t.db('sessions').whereIn('id', [answers[0].transactionId, answers[1].transactionId]).pluck('close_reason');
        expect(closed, `round ${round}`).to.deep.equal(['SUPERSEDED', 'SUPERSEDED']);
        for (const a of answers.slice(0, 2)) expect(await cdrsOf(a.transactionId), `round ${round}`).to.have.length(1);
      }
    });
  });

  describe('late StopTransaction of a session cpms closed', () => {
    it('cdrs §10.2.1.1: should credit the first CDR and issue a replacement when the stop carries newer data, pushed in that order', async () => {
      // Arrange: a roaming session closed by cpms at its last reading (4 kWh)
      const chargePointId = await aSite();
      const { partner } = await aRegisteredPartner(t.db);
      const a = await aRunningSession(chargePointId, await aRoamingToken(t.db, partner));
      await s().sessions.close(a, { reason: 'OPERATOR_FORCED', closedBy: 'apikey:1', note: 'stuck' });

      // Act: the charger's own stop arrives later, with 9 kWh until 11:00
      const answer = await s().sessions.stop(chargePointId, aStopTransaction(a, { meterStop: 10_000, timestamp: at(60), idTag: undefined }));
      const replayed = await s().sessions.stop(chargePointId, aStopTransaction(a, { meterStop: 10_000, timestamp: at(60), idTag: undefined }));

      // Assert
      expect([answer, replayed]).to.deep.equal([{}, {}]);
      const [first, credit, replacement] = await cdrsOf(a);
      expect([first.credit, credit.credit, replacement.credit]).to.deep.equal([false, true, false]);
      expect(first.body).to.include({ total_energy: 4, remark: 'Closed by the CPO: stopped by the operator' });
      expect(credit.body).to.include({ credit: true, credit_reference_id: first.cdr_id, total_energy: 4 });
      expect(credit.body.total_cost).to.deep.equal({ excl_vat: -1, incl_vat: -1 });
      expect(replacement.body).to.include({ total_energy: 9, end_date_time: '2024-05-01T11:00:00Z', remark: `Replaces CDR ${first.cdr_id}: the charger's own stop arrived after the CPO closed the session (OPERATOR_FORCED)` });
      expect(replacement.replaces_cdr_fk).to.equal(first.id);
      for (const c of [credit, replacement]) expect(validateOcpi('CDR', c.body, { strict: true })).to.deep.equal({ ok: true });
      const pushed = await t.db('ocpi_outbox').where({ partner_fk: partner.id, module: 'cdrs' }).orderBy('id');
      expect(pushed.map((r) => [r.body.id, r.object_key])).to.deep.equal([first.cdr_id, credit.cdr_id, replacement.cdr_id].map((id) => [id, `cdr:${first.cdr_id}`]));
      // sessions §9.2.2.3: the close and the restated stop each PATCH the Session COMPLETED with its end
      const patches = (await t.db('ocpi_outbox').where({ partner_fk: partner.id, module: 'sessions', method: 'PATCH' }).orderBy('id')).filter((r) => r.body.status === 'COMPLETED');
      expect(patches.map((r) => [new Date(r.body.end_date_time).toISOString(), r.body.kwh])).to.deep.equal([[at(30), 4], [at(60), 9]]);
      const row = await sessionRow(a);
      expect([row.status, row.close_reason, Number(row.energy_wh), row.total_cost_excl_vat === null ? null : Number(row.total_cost_excl_vat)]).to.deep.equal(['COMPLETED', 'OPERATOR_FORCED', 9000, 2.25]);
    });

    it('should acknowledge and ignore a late stop without newer data', async () => {
      const chargePointId = await aSite();
      const a = await aRunningSession(chargePointId, await aToken(s()));
      await s().sessions.close(a, { reason: 'CONNECTOR_IDLE' });

      const answer = await s().sessions.stop(chargePointId, aStopTransaction(a, { meterStop: 5000, timestamp: at(20), idTag: undefined }));

      expect(answer).to.deep.equal({});
      expect((await cdrsOf(a)).map((c) => c.credit)).to.deep.equal([false]);
      expect(new Date((await sessionRow(a)).stop_at).toISOString()).to.equal(at(30));
    });

    it('should keep the CDR in force equal to the session when the charger\'s stop and a close by cpms race', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        // Arrange
        const chargePointId = await aSite();
        const a = await aRunningSession(chargePointId, await aToken(s()));

        // Act: the charger's stop (9 kWh until 11:00) and the operator's close at once
        await Promise.all([
          s().sessions.stop(chargePointId, aStopTransaction(a, { meterStop: 10_000, timestamp: at(60), idTag: undefined })),
          s().sessions.close(a, { reason: 'OPERATOR_FORCED' }),
        ]);

        // Assert: whichever came first, the session ends with the charger's data and one CDR in force says so
        const row = await sessionRow(a);
        const inForce = (await cdrsOf(a)).filter((c: { credit: boolean; id: number }, _i: number, all: Array<{ replaces_cdr_fk: number | null }>) => !c.credit && !all.some((r) => r.replaces_cdr_fk === c.id));
        expect([Number(row.energy_wh), inForce.length, inForce[0]?.body.total_energy], `round ${round}`).to.deep.equal([9000, 1, 9]);
      }
    });

    it('should close nothing when the session is not ACTIVE', async () => {
      const chargePointId = await aSite();
      const a = await aRunningSession(chargePointId, await aToken(s()));
      await s().sessions.stop(chargePointId, aStopTransaction(a, { meterStop: 6000, timestamp: at(40) }));

      const closed = await s().sessions.close(a, { reason: 'OPERATOR_FORCED' });

      expect(closed).to.equal(undefined);
      expect((await sessionRow(a)).close_reason).to.equal(null);
    });
  });

  describe('zombie rules with action alert', () => {
    it('should open one alert per session and rule, keep the session running, and close the alert once the session ends', async () => {
      // Arrange: NO_ENERGY after 30 min, alert only
      const chargePointId = await aSite();
      const { transactionId } = await s().sessions.start(chargePointId, aStartTransaction(await aToken(s()), { meterStart: 1000, timestamp: clock.now().toISOString() }));
      const logger = createLogger('error');
      logger.silent = true;
      const off = { afterMin: 0, action: 'close' as const };
      const stuck = new StuckSessionService({
        db: t.db, clock, logger, events: app.events, sessions: s().sessions, commands: app.commands, alerts: s().alerts,
        zombieRules: { noEnergy: { afterMin: 30, action: 'alert' }, noProgress: off, tooLong: off }, callTimeoutMs: 1000, idleConnectorGraceMs: 120_000, remoteStopWaitMs: 1000,
        batchSize: 1, // pages of one: this session comes after the ACTIVE sessions of the other tests
      });
      expect(await t.db('sessions').where({ status: 'ACTIVE' }).where('id', '<', transactionId).first()).to.not.equal(undefined);
      const alertsOf = () => t.db('alerts').where({ session_id: transactionId });

      // Act
      clock.advance(31 * 60_000);
      await stuck.applyZombieRules();
      await stuck.applyZombieRules();
      const whileRunning = await alertsOf();
      await s().sessions.stop(chargePointId, aStopTransaction(transactionId, { meterStop: 1000, timestamp: clock.now().toISOString() }));
      await stuck.applyZombieRules();

      // Assert
      expect(whileRunning.map((a) => [a.kind, a.closed_at])).to.deep.equal([['ZOMBIE_NO_ENERGY', null]]);
      expect((await sessionRow(transactionId)).close_reason).to.equal(null);
      const [closed] = await alertsOf();
      expect(new Date(closed.closed_at).toISOString()).to.equal(clock.now().toISOString());
    });
  });
});
