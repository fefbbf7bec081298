// One clock (issue 7): every time cpms stores comes from the injected clock, never from the database's
// now() (which some repos used while the rest used the app clock; the outbox needed a 1 ms workaround).
// The app runs on a clock five years ahead: any stored time near the real time came from the database.
import { expect } from 'chai';
import nock from 'nock';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { aBootNotification, aLocation, anEvseUid, aRegisteredCharger, aStartTransaction, aStatusNotification, aStopTransaction, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aRegisteredEmsp } from '../../fixtures/partners.ts';
import { aRoamingToken } from '../../fixtures/billing.ts';

const APP_NOW = new Date('2031-03-01T09:00:00Z');
const at = (min: number) => new Date(APP_NOW.getTime() + min * 60_000).toISOString();
const OK = { status_code: 1000, timestamp: at(0) };

/** Every timestamptz column of the application's tables (the migrations' bookkeeping excluded). */
async function timestampColumns(db: ReturnType<typeof useTestApp>['db']): Promise<Array<{ table: string; column: string }>> {
  const { rows } = await db.raw(
    `select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type = 'timestamp with time zone' and table_name not like 'knex_%'
      order by table_name, column_name`,
  );
  return rows.map((r: { table_name: string; column_name: string }) => ({ table: r.table_name, column: r.column_name }));
}

describe('e2e one clock: stored times come from the app clock, never from the database', () => {
  const clock = fixedClock(APP_NOW);
  afterEach(() => t.app.pushWorker.stop());
  const t = useTestApp({ clock, nock: true });

  it('should store no time of the real clock anywhere after a charging session with OCPI pushes, run on a clock years ahead', async () => {
    // Arrange: the rows the database itself makes before the app runs (the operator's party) are older than this
    const realStart = new Date(Date.now() - 60_000);
    const emsp = await aRegisteredEmsp(t.db, { modules: ['locations', 'sessions', 'cdrs'] });
    const uid = await aRoamingToken(t.db, emsp.partner);
    // Written by the test's fixtures straight into the database, not by cpms: dated by the app clock here.
    await t.db('id_tokens').where({ uid }).update({ last_updated: APP_NOW });
    await t.db('ocpi_partners').where({ id: emsp.partner.id }).update({ registered_at: APP_NOW, created_at: APP_NOW, updated_at: APP_NOW });
    nock(emsp.origin).persist().put(/.*/).reply(200, OK).patch(/.*/).reply(200, OK).post(/.*/).reply(201, OK);
    const locationId = await aLocation(t.app.services);
    const chargePointId = await aRegisteredCharger(t.app.services, { locationId, evseUid: anEvseUid() });
    t.app.pushWorker.start();

    // Act: a whole session, its OCPI pushes delivered
    const client = await connectCharger(t, chargePointId, { password: CHARGER_PASSWORD });
    await client.call('BootNotification', aBootNotification());
    await client.call('StatusNotification', aStatusNotification({ status: 'Charging', timestamp: at(0) }));
    const { transactionId } = (await client.call('StartTransaction', aStartTransaction(uid, { meterStart: 1000, timestamp: at(0) }))) as { transactionId: number };
    await client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: at(10), sampledValue: [{ value: '3000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
    await client.call('StopTransaction', aStopTransaction(transactionId, { meterStop: 4000, timestamp: at(20) }));
    await client.close();
    await eventually(async () => (await t.db('ocpi_outbox').whereNot({ status: 'DELIVERED' })).length === 0 && (await t.db('cdrs')).length === 1, 'every push delivered');
    await t.app.pushWorker.stop();
    const realEnd = new Date(Date.now() + 60_000);

    // Assert: no stored time lies in the real clock's window of this test
    const fromDatabaseClock: string[] = [];
    for (const { table, column } of await timestampColumns(t.db)) {
      if (table === 'parties') continue; // made by the test harness before the app existed
      const [{ n }] = await t.db(table).whereBetween(column, [realStart, realEnd]).count({ n: '*' });
      if (Number(n) > 0) fromDatabaseClock.push(`${table}.${column}`);
    }
    expect(fromDatabaseClock).to.deep.equal([]);
    expect((await t.db('sessions').where({ id: transactionId }).first()).last_updated.getTime()).to.be.at.least(APP_NOW.getTime());
  });
});
