// Idempotent meter values (issue 7: "after a replay one energy sample was stored twice"): a MeterValues
// repeated after a reconnect, concurrently (PostgreSQL), or repeated by a StopTransaction's
// transactionData stores each sample once and leaves the session's energy as it was.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createApp, type App } from '../../../src/app.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { getDefaultParty } from '../../../src/parties/party.repo.ts';
import type { MeterValuesRequest } from '../../../src/ocpp/v16/types.ts';
import * as sampleKey from '../../../migrations/20261204130002_meter_values_sample_key.ts';
import * as sampleKeyByTime from '../../../migrations/20261210000000_meter_values_sample_key_by_time.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { testConfig } from '../../helpers/app.ts';
import { aChargerId, aRegisteredCharger, aStartTransaction, aStopTransaction, aToken } from '../../fixtures/chargers.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

/** One MeterValues with a total register, per-phase voltages, and the register's SignedData (same key but the format). */
const aMeterValues = (transactionId: number, min: number, wh: number): MeterValuesRequest => ({
  connectorId: 1,
  transactionId,
  meterValue: [
    {
      timestamp: at(min),
      sampledValue: [
        { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
        { value: 'SIGNED-' + wh, measurand: 'Energy.Active.Import.Register', unit: 'Wh', format: 'SignedData' },
        { value: '230.1', measurand: 'Voltage', phase: 'L1-N', unit: 'V' },
        { value: '230.2', measurand: 'Voltage', phase: 'L2-N', unit: 'V' },
        { value: '54', measurand: 'SoC', location: 'EV' },
      ],
    },
  ],
});

describe('integration sessions: idempotent meter values', () => {
  let t: TestDb;
  let app: App;

  before(async () => {
    t = await createTestDb();
    const logger = createLogger('error');
    logger.silent = true; // expected failures (a session without a location gets no CDR) would flood the output
    app = createApp({ config: testConfig(t), db: t.db, logger, clock: { now: () => new Date() } });
  });
  after(async () => {
    await app.close();
    await t.destroy();
  });

  const s = () => app.services;
  const samplesOf = async (sessionId: number) => (await t.db('meter_values').where({ session_fk: sessionId }).orderBy('id')).map((r) => [r.timestamp.toISOString(), r.measurand, r.phase, r.format, r.value]);
  const energyOf = async (sessionId: number) => (await t.db('sessions').where({ id: sessionId }).first()).energy_wh;

  async function aRunningSession() {
    const chargePointId = await aRegisteredCharger(s());
    const { transactionId } = await s().sessions.start(chargePointId, aStartTransaction(await aToken(s()), { meterStart: 1000, timestamp: at(0) }));
    return { chargePointId, transactionId };
  }

  it('OCPP16 §4.7: should store each sample of a replayed MeterValues once and leave the energy unchanged', async () => {
    // Arrange
    const { chargePointId, transactionId } = await aRunningSession();
    await s().sessions.recordMeterValues(chargePointId, aMeterValues(transactionId, 5, 3000));
    await s().sessions.recordMeterValues(chargePointId, aMeterValues(transactionId, 10, 4000));
    const before = await samplesOf(transactionId);

    // Act: the charger reconnects and replays its queue
    await s().sessions.recordMeterValues(chargePointId, aMeterValues(transactionId, 5, 3000));
    await s().sessions.recordMeterValues(chargePointId, aMeterValues(transactionId, 10, 4000));

    // Assert
    expect(before).to.have.length(10);
    expect(await samplesOf(transactionId)).to.deep.equal(before);
    expect(await energyOf(transactionId)).to.equal('3000');
  });

  it('OCPP16 §4.7: should store each sample once when the same MeterValues arrives several times at once', async () => {
    const { chargePointId, transactionId } = await aRunningSession();

    await Promise.all(Array.from({ length: 6 }, () => s().sessions.recordMeterValues(chargePointId, aMeterValues(transactionId, 5, 2500))));

    expect(await samplesOf(transactionId)).to.have.length(5);
    expect(await energyOf(transactionId)).to.equal('1500');
  });

  it('OCPP16 §4.10: should not store again the transactionData samples a MeterValues already delivered, and add the new ones', async () => {
    const { chargePointId, transactionId } = await aRunningSession();
    await s().sessions.recordMeterValues(chargePointId, aMeterValues(transactionId, 5, 3000));

    await s().sessions.stop(chargePointId, aStopTransaction(transactionId, { meterStop: 5000, timestamp: at(20), transactionData: [...aMeterValues(transactionId, 5, 3000).meterValue, ...aMeterValues(transactionId, 20, 5000).meterValue] }));

    expect(await samplesOf(transactionId)).to.have.length(10);
    expect(await energyOf(transactionId)).to.equal('4000');
  });

  it('should keep a different value reported again under the same sample key as first stored', async () => {
    const { chargePointId, transactionId } = await aRunningSession();
    await s().sessions.recordMeterValues(chargePointId, aMeterValues(transactionId, 5, 3000));

    await s().sessions.recordMeterValues(chargePointId, aMeterValues(transactionId, 5, 3500));

    expect((await samplesOf(transactionId)).filter((x) => x[1] === 'Energy.Active.Import.Register' && x[3] === 'Raw').map((x) => x[4])).to.deep.equal(['3000']);
    expect(await energyOf(transactionId)).to.equal('2000');
  });

  it('migration 20261210000000: should lead the sample key with the time (appended at its end), keep it unique on the same columns, and restore the charger-led key on down', async () => {
    const keyColumns = async () => {
      const { rows } = await t.db.raw(`select a.attname from pg_index i join pg_class c on c.oid = i.indexrelid
        join lateral unnest(i.indkey::int2[]) with ordinality k(attnum, n) on true join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
        where c.relname = 'meter_values_sample_key' and i.indisunique order by k.n`);
      return rows.map((r: { attname: string }) => r.attname);
    };
    const byTime = ['timestamp', 'charge_point_id', 'connector_number', 'measurand', 'phase', 'location', 'unit', 'context', 'format'];
    expect(await keyColumns()).to.deep.equal(byTime);

    await t.db.transaction((trx) => sampleKeyByTime.down(trx));
    expect(await keyColumns()).to.deep.equal(['charge_point_id', 'connector_number', 'timestamp', 'measurand', 'phase', 'location', 'unit', 'context', 'format']);
    await t.db.transaction((trx) => sampleKeyByTime.up(trx));
    expect(await keyColumns()).to.deep.equal(byTime);

    // The same sample (a unit-less one: NULLS NOT DISTINCT) is still refused a second time
    const cp = aChargerId('mvtime');
    await t.db('charge_points').insert({ id: cp });
    const row = { charge_point_id: cp, connector_number: 1, session_fk: null, timestamp: new Date(T0), measurand: 'SoC', phase: null, unit: null, location: 'EV', context: 'Sample.Periodic', format: 'Raw', value: '54' };
    await t.db('meter_values').insert(row);
    expect(await t.db('meter_values').insert(row).catch((err: { code?: string }) => err.code)).to.equal('23505');
  });

  it('migration 20261204130002: should delete duplicated samples, keeping the one linked to a session, before creating the unique key', async () => {
    // Arrange: the schema before the migration, with a sample stored three times (once without its session)
    await t.db.transaction((trx) => sampleKey.down(trx));
    const party = await getDefaultParty(t.db);
    const cp = aChargerId('mvmig');
    await t.db('charge_points').insert({ id: cp });
    const [session] = await t.db('sessions').insert({ uid: randomUUID(), party_fk: party.id, charge_point_id: cp, connector_number: 1, id_tag: 'T', meter_start_wh: 0, start_at: new Date(T0) }).returning('id');
    const row = (sessionFk: number | null) => ({ charge_point_id: cp, connector_number: 1, session_fk: sessionFk, timestamp: new Date(T0), measurand: 'Voltage', phase: null, unit: 'V', location: 'Outlet', context: 'Sample.Periodic', format: 'Raw', value: '230' });
    const [orphan] = await t.db('meter_values').insert(row(null)).returning('id');
    const [linked] = await t.db('meter_values').insert(row(session.id)).returning('id');
    await t.db('meter_values').insert(row(session.id));

    // Act
    await t.db.transaction((trx) => sampleKey.up(trx));

    // Assert
    expect((await t.db('meter_values').where({ charge_point_id: cp })).map((r) => r.id)).to.deep.equal([linked.id]);
    expect(Number(orphan.id)).to.be.below(Number(linked.id));
    const again = await t.db('meter_values').insert(row(null)).catch((err: { code?: string }) => err.code);
    expect(again).to.equal('23505');
  });
});
