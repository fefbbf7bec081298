// Live monitoring (issue 9): GET /api/v1/events, a server-sent-events stream read by a real HTTP client,
// fed by real OCPP messages. HTML Living Standard §9.2 (server-sent events): text/event-stream, `id:` for
// Last-Event-ID, comment lines as heartbeats.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, type ChargerClient } from '../../helpers/charger.ts';
import { openSse, type SseClient } from '../../helpers/sse.ts';
import { eventually } from '../../helpers/wait.ts';
import { insertEvents } from '../../../src/events/event.repo.ts';
import { aBootNotification, aLocation, aRegisteredCharger, aStartTransaction, aStatusNotification, aStopTransaction, aToken, anEvseUid, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e admin API live events (GET /events)', () => {
  const t = useTestApp({ overrides: { 'events.heartbeatSec': 1, 'events.pollIntervalMs': 200 } });
  const open: Array<SseClient | ChargerClient> = [];
  afterEach(async () => {
    for (const c of open.splice(0)) 'state' in c ? await c.close({ force: true }) : c.close();
  });

  const stream = async (query = '', headers: Record<string, string> = {}) => {
    const c = await openSse(`${t.httpUrl}/api/v1/events${query}`, { authorization: `Bearer ${t.adminKey}`, ...headers });
    open.push(c);
    return c;
  };
  async function aBootedCharger(locationId?: string) {
    const id = await aRegisteredCharger(t.app.services, { locationId, evseUid: locationId ? anEvseUid() : undefined });
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    open.push(client);
    await client.call('BootNotification', aBootNotification());
    return { id, client };
  }
  const powerReading = (transactionId: number, w: string) => ({
    connectorId: 1,
    transactionId,
    meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: '3500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }, { value: w, measurand: 'Power.Active.Import', unit: 'W' }] }],
  });

  it('should answer text/event-stream with no caching or proxy buffering, and send heartbeat comments', async () => {
    // Act
    const sse = await stream();
    // Assert
    expect(sse.status).to.equal(200);
    expect(sse.headers['content-type']).to.equal('text/event-stream; charset=utf-8');
    expect(sse.headers['cache-control']).to.equal('no-cache, no-transform');
    expect(sse.headers['x-accel-buffering']).to.equal('no');
    expect(sse.headers['content-encoding']).to.equal(undefined);
    expect(await sse.nextComment()).to.equal('heartbeat');
  });

  it("should stream a charger's connection, connector status and session start, update and stop with kWh and power", async () => {
    // Arrange
    const locationId = await aLocation(t.app.services);
    const idTag = await aToken(t.app.services);
    const sse = await stream();
    // Act
    const { id, client } = await aBootedCharger(locationId);
    await client.call('StatusNotification', aStatusNotification({ status: 'Charging' }));
    const { transactionId } = (await client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 1000 }))) as { transactionId: number };
    await client.call('MeterValues', powerReading(transactionId, '7400'));
    await client.call('StopTransaction', aStopTransaction(transactionId, { meterStop: 4000 }));
    await client.close();
    // Assert
    const of = (type: string) => sse.next((e) => e.event === type && e.data.chargePointId === id, `${type} of ${id}`);
    expect((await of('charger.connected')).data).to.include({ locationId });
    expect((await of('connector.status')).data).to.include({ connectorId: 1, status: 'Charging', errorCode: 'NoError', locationId });
    expect((await of('session.started')).data).to.include({ connectorId: 1, kWh: 0, status: 'ACTIVE', locationId });
    expect((await of('session.updated')).data).to.include({ kWh: 2.5, powerW: 7400 });
    expect((await of('session.stopped')).data).to.include({ kWh: 3 });
    await of('charger.disconnected');
    const ids = sse.events.map((e) => Number(e.id));
    expect(ids).to.deep.equal([...ids].sort((a, b) => a - b), 'ids increase');
  });

  it('should send only the events of the charger, location and types asked for', async () => {
    // Arrange
    const [locA, locB] = [await aLocation(t.app.services), await aLocation(t.app.services)];
    const byCharger = await stream(`?chargePointId=${encodeURIComponent('CP-none')}`);
    const byLocation = await stream(`?locationId=${locA}&types=connector.status`);
    // Act
    const a = await aBootedCharger(locA);
    const b = await aBootedCharger(locB);
    await b.client.call('StatusNotification', aStatusNotification({ status: 'Faulted', errorCode: 'GroundFailure' }));
    await a.client.call('StatusNotification', aStatusNotification({ status: 'Preparing' }));
    // Assert
    const got = await byLocation.next((e) => e.event === 'connector.status', 'a status at location A');
    expect(got.data).to.include({ chargePointId: a.id, status: 'Preparing' });
    expect(byLocation.events.map((e) => `${e.event} ${e.data.chargePointId}`)).to.deep.equal([`connector.status ${a.id}`]);
    expect(byCharger.events).to.deep.equal([]);
  });

  it('should replay the events after Last-Event-ID in order, once each, then go on live', async () => {
    // Arrange: a client saw three statuses, the first one last acknowledged
    const { id, client } = await aBootedCharger();
    const first = await stream(`?chargePointId=${id}&types=connector.status`);
    for (const status of ['Preparing', 'Charging', 'Finishing'] as const) await client.call('StatusNotification', aStatusNotification({ status }));
    const seen = await first.next((e) => e.data.status === 'Finishing', 'Finishing');
    const [preparing] = first.events;
    first.close();
    // Act
    const resumed = await stream(`?chargePointId=${id}&types=connector.status`, { 'Last-Event-ID': preparing!.id! });
    await client.call('StatusNotification', aStatusNotification({ status: 'Available' }));
    // Assert
    await resumed.next((e) => e.data.status === 'Available', 'the live Available');
    expect(resumed.events.map((e) => e.data.status)).to.deep.equal(['Charging', 'Finishing', 'Available']);
    expect(resumed.events[1]!.id).to.equal(seen.id);
  });

  it('should free the subscription of a client that disconnects', async () => {
    // Arrange
    const before = t.app.eventHub.size;
    const sse = await stream();
    await eventually(async () => t.app.eventHub.size === before + 1, 'the subscription');
    // Act
    sse.close();
    // Assert
    await eventually(async () => t.app.eventHub.size === before, 'the subscription to go');
  });

  it('should stream an alert of a charger as it is opened, acknowledged and closed', async () => {
    // Arrange
    const chargePointId = await aRegisteredCharger(t.app.services);
    const sse = await stream(`?chargePointId=${chargePointId}`);
    // Act
    const alert = await t.app.services.alerts.raise({ kind: 'TEST_ALERT', severity: 'warning', message: 'look here', chargePointId, connectorId: 1, subject: `test:${chargePointId}` });
    await t.api('POST', `/api/v1/alerts/${alert!.id}/ack`, { note: 'on it' });
    await t.app.services.alerts.close([alert!.id]);
    // Assert
    const opened = await sse.next((x) => x.event === 'alert.opened', 'the alert opened');
    expect(opened.data).to.include({ alertId: alert!.id, kind: 'TEST_ALERT', severity: 'warning', message: 'look here', connectorId: 1 });
    expect((await sse.next((x) => x.event === 'alert.acknowledged', 'the acknowledgement')).data).to.include({ alertId: alert!.id });
    expect((await sse.next((x) => x.event === 'alert.closed', 'the alert closed')).data).to.include({ alertId: alert!.id });
  });

  it('should deliver an event another node stored without telling this one (the safety-net poll)', async () => {
    // Arrange
    const sse = await stream('?chargePointId=CP-elsewhere');
    await eventually(async () => t.app.eventHub.size > 0, 'the subscription');
    // Act: stored as a node without the Redis bus would
    const [id] = await insertEvents(t.db, [{ type: 'charger.connected', chargePointId: 'CP-elsewhere', locationId: null, occurredAt: new Date(), data: { chargePointId: 'CP-elsewhere' } }]);
    // Assert
    const e = await sse.next((x) => x.event === 'charger.connected', 'the event stored elsewhere');
    expect(Number(e.id)).to.equal(id);
  });

  it('should delete the events older than the retention with the events-retention job', async () => {
    // Arrange
    const old = new Date(Date.now() - 25 * 3_600_000);
    const [oldId, newId] = await insertEvents(t.db, [
      { type: 'charger.offline', chargePointId: 'CP-old', locationId: null, occurredAt: old, data: {} },
      { type: 'charger.offline', chargePointId: 'CP-old', locationId: null, occurredAt: new Date(), data: {} },
    ]);
    // Act
    const run = await t.api('POST', '/api/v1/jobs/events-retention/run');
    // Assert
    expect(run.status).to.equal(200);
    expect((await t.db('events').whereIn('id', [oldId!, newId!]).pluck('id')).map(Number)).to.deep.equal([newId]);
  });

  it('should refuse an unknown event type or a malformed Last-Event-ID with 400', async () => {
    // Act
    const badType = await t.api('GET', '/api/v1/events?types=connector.status,nope');
    const badId = await t.api('GET', '/api/v1/events?lastEventId=-1');
    // Assert
    expect(badType.status).to.equal(400);
    expect(badType.body.error.message).to.include('nope');
    expect(badId.status).to.equal(400);
  });
});
