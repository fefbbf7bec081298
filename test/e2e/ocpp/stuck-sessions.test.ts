// Stuck sessions (issue 15), played by scripted OCPP 1.6 chargers on a real database: a late replayed
// start, a second start on a busy connector, Available before the stop, a rejected remote stop, a reboot
// with a lost stop and a zombie session. Each ends with exactly one ACTIVE session per connector at most,
// no token left blocked (its driver can start elsewhere) and exactly one CDR in force per stopped session.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, type ChargerClient } from '../../helpers/charger.ts';
import { eventually, nextEvent } from '../../helpers/wait.ts';
import { aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { aBootNotification, anEnergyReading, aStartTransaction, aStatusNotification, aStopTransaction, aToken, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

const T0 = Date.parse('2026-06-01T08:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();

describe('e2e stuck sessions: scripted chargers', () => {
  const clock = fixedClock(new Date(T0));
  const t = useTestApp({ clock, overrides: { 'sessions.remoteStopWaitSec': 1, 'sessions.idleConnectorGraceSec': 120 } });
  const open: ChargerClient[] = [];
  // Each scenario plays on its own charger from T0 on; the job counts include other scenarios' sessions.
  beforeEach(() => clock.set(new Date(T0)));
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });

  /** A booted charger on a location with a 0.30 EUR/kWh tariff; its client is closed after the test. */
  async function aSite(): Promise<{ id: string; client: ChargerClient }> {
    const site = await aBootedChargerAtEvse(t);
    const tariffId = `T-${Math.random().toString(36).slice(2, 8)}`;
    await t.app.services.tariffs.put(tariffId, { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }] });
    await t.app.services.tariffs.assign(tariffId, { target: { locationId: site.locationId } });
    open.push(site.client);
    return site;
  }

  const start = async (c: ChargerClient, idTag: string, min: number, meterStart = 1000) =>
    (await c.call('StartTransaction', aStartTransaction(idTag, { meterStart, timestamp: at(min) }))) as { transactionId: number; idTagInfo: { status: string } };
  const session = async (id: number) => (await t.api('GET', `/api/v1/sessions/${id}`)).body;
  const jobs = () => t.app.services.stuckSessions;

  /** The invariants every scenario ends with. */
  async function expectSettled(chargePointId: string, idTags: string[]): Promise<void> {
    const active: number[] = await t.db('sessions').where({ charge_point_id: chargePointId, status: 'ACTIVE' }).pluck('connector_number');
    expect(new Set(active).size, 'one ACTIVE session per connector at most').to.equal(active.length);
    const stopped = await t.db('sessions').where({ charge_point_id: chargePointId, status: 'COMPLETED' }).pluck('id');
    for (const id of stopped) {
      const inForce = await t.db('cdrs as c').where({ session_fk: id, credit: false }).whereNotExists((q) => q.select(t.db.raw('1')).from('cdrs as r').whereRaw('r.replaces_cdr_fk = c.id'));
      expect(inForce, `CDRs in force of session ${id}`).to.have.length(1);
    }
    const other = await aSite();
    for (const tag of idTags) {
      const active = await t.db('sessions').where({ id_tag: tag, status: 'ACTIVE' }).first();
      if (active) continue; // still charging where it is: not blocked, just busy
      const elsewhere = await start(other.client, tag, 200);
      expect(elsewhere.idTagInfo.status, `token ${tag} at another charger`).to.equal('Accepted');
      await other.client.call('StopTransaction', aStopTransaction(elsewhere.transactionId, { meterStop: 1000, timestamp: at(201) }));
    }
  }

  it('should keep the first answer of a late replayed start and close older transactions when newer ones start on the connector', async () => {
    // Arrange: the report's transactions 60, 66 and 82 on one connector, 60's start replayed after a reconnect
    const { id, client } = await aSite();
    const tags = [await aToken(t.app.services), await aToken(t.app.services), await aToken(t.app.services)];
    const a = await start(client, tags[0], 0);

    // Act
    const b = await start(client, tags[1], 10, 2000);
    const replayed = await start(client, tags[0], 0);
    const c = await start(client, tags[2], 20, 3000);

    // Assert
    expect(replayed).to.deep.equal(a);
    expect([(await session(a.transactionId)).closeReason, (await session(b.transactionId)).closeReason, (await session(c.transactionId)).status]).to.deep.equal(['SUPERSEDED', 'SUPERSEDED', 'ACTIVE']);
    const remark = (await t.db('cdrs').where({ session_fk: b.transactionId }).first()).body.remark;
    expect(remark).to.equal('Closed by the CPO: a newer transaction started on the connector');
    await expectSettled(id, tags);
  });

  it('should leave a session stopped by its charger after Available within the grace time as the charger closed it', async () => {
    const { id, client } = await aSite();
    const tag = await aToken(t.app.services);
    const a = await start(client, tag, 0);
    let triggers = 0;
    client.handle('TriggerMessage', async () => {
      triggers++;
      return { status: 'Rejected' };
    });

    await client.call('StatusNotification', aStatusNotification({ status: 'Available', timestamp: at(30) }));
    clock.set(new Date(at(30)));
    await jobs().checkIdleConnectors();
    await client.call('StopTransaction', aStopTransaction(a.transactionId, { meterStop: 4000, timestamp: at(30) }));
    clock.set(new Date(at(33)));
    await jobs().checkIdleConnectors();

    expect(triggers).to.equal(1);
    expect(await session(a.transactionId)).to.include({ status: 'COMPLETED', closeReason: null, stopReason: 'Local' });
    await expectSettled(id, [tag]);
  });

  it('should close a session whose connector went Available as CONNECTOR_IDLE once the grace time passed without confirmation, not before', async () => {
    // Arrange: the charger reports Available and answers TriggerMessage Rejected
    const { id, client } = await aSite();
    const tag = await aToken(t.app.services);
    const a = await start(client, tag, 0);
    await client.call('MeterValues', anEnergyReading(a.transactionId, '6000', { timestamp: at(20) }));
    const triggers: unknown[] = [];
    client.handle('TriggerMessage', async ({ params }) => {
      triggers.push(params);
      return { status: 'Rejected' };
    });
    await client.call('StatusNotification', aStatusNotification({ status: 'Available', timestamp: at(25) }));

    // Act
    clock.set(new Date(at(26)));
    await jobs().checkIdleConnectors();
    clock.set(new Date(Date.parse(at(26)) + 119_000));
    await jobs().checkIdleConnectors();
    const early = await session(a.transactionId);
    clock.set(new Date(at(28)));
    await jobs().checkIdleConnectors();

    // Assert: closed at the idle report with the last reading (5 kWh)
    expect(triggers).to.deep.equal([{ requestedMessage: 'MeterValues', connectorId: 1 }]);
    expect(early.status).to.equal('ACTIVE');
    expect(await session(a.transactionId)).to.include({ status: 'COMPLETED', closeReason: 'CONNECTOR_IDLE', stopAt: at(25), kwh: '5.000' });
    await expectSettled(id, [tag]);
  });

  it('should keep a session whose charger confirms it with MeterValues of the transaction after TriggerMessage', async () => {
    const { id, client } = await aSite();
    const tag = await aToken(t.app.services);
    const a = await start(client, tag, 0);
    client.handle('TriggerMessage', async () => {
      setImmediate(() => void client.call('MeterValues', anEnergyReading(a.transactionId, '7000', { timestamp: at(41) })));
      return { status: 'Accepted' };
    });
    await client.call('StatusNotification', aStatusNotification({ status: 'Faulted', errorCode: 'GroundFailure', timestamp: at(40) }));

    clock.set(new Date(at(40)));
    await jobs().checkIdleConnectors();
    await eventually(async () => (await t.db('meter_values').where({ session_fk: a.transactionId })).length > 0, 'the triggered MeterValues');
    clock.set(new Date(at(43)));
    await jobs().checkIdleConnectors();

    expect((await session(a.transactionId)).status).to.equal('ACTIVE');
    expect((await session(a.transactionId)).idleProbeAt).to.equal(at(43)); // asked again: kept while it confirms
    await expectSettled(id, [tag]);
  });

  it("should name the operator who force-closed a session in closedBy and the audit log when an operator's session asked", async () => {
    // Arrange
    const { id, client } = await aSite();
    const tag = await aToken(t.app.services);
    const a = await start(client, tag, 0);
    client.handle('RemoteStopTransaction', async () => ({ status: 'Rejected' }));
    await t.app.services.operators.add({ email: 'night.shift@example.com', role: 'operator', password: 'night shift password' });
    const { token } = (await t.api('POST', '/api/v1/auth/login', { email: 'night.shift@example.com', password: 'night shift password' }, { key: null })).body;

    // Act
    const res = await t.api('POST', `/api/v1/sessions/${a.transactionId}/stop`, { reason: 'blocked bay' }, { key: token });

    // Assert
    expect(res.status).to.equal(200);
    expect(res.body.session).to.include({ closeReason: 'OPERATOR_FORCED', closedBy: 'operator:night.shift@example.com' });
    const audit = await t.api('GET', '/api/v1/audit?actor=night.shift@example.com');
    expect(audit.body.data.map((e: { action: string }) => e.action)).to.include('POST /sessions/:id/stop');
    await expectSettled(id, [tag]);
  });

  it('should force-close a session whose charger rejects the remote stop, with the operator reason, and release its token', async () => {
    // Arrange
    const { id, client } = await aSite();
    const tag = await aToken(t.app.services);
    const a = await start(client, tag, 0);
    client.handle('RemoteStopTransaction', async () => ({ status: 'Rejected' }));
    const keyId = (await t.db('api_keys').where({ name: 'test-admin' }).first()).id;

    // Act
    const res = await t.api('POST', `/api/v1/sessions/${a.transactionId}/stop`, { reason: 'driver called: car left an hour ago' });
    const again = await t.api('POST', `/api/v1/sessions/${a.transactionId}/stop`, { reason: 'again' });

    // Assert
    expect(res.status).to.equal(200);
    expect([res.body.outcome, res.body.remoteStop]).to.deep.equal(['FORCE_CLOSED', 'Rejected']);
    expect(res.body.session).to.include({ status: 'COMPLETED', closeReason: 'OPERATOR_FORCED', closedBy: `apikey:${keyId}`, closeNote: 'driver called: car left an hour ago' });
    expect([again.status, again.body.error.code]).to.deep.equal([409, 'CONFLICT']);
    expect((await t.db('cdrs').where({ session_fk: a.transactionId }).first()).body.remark).to.equal('Closed by the CPO: stopped by the operator');
    await expectSettled(id, [tag]);
  });

  it('should report STOPPED_BY_CHARGER when the charger accepts the remote stop and sends its StopTransaction', async () => {
    const { id, client } = await aSite();
    const tag = await aToken(t.app.services);
    const a = await start(client, tag, 0);
    client.handle('RemoteStopTransaction', async ({ params }) => {
      setImmediate(() => void client.call('StopTransaction', aStopTransaction((params as { transactionId: number }).transactionId, { meterStop: 3000, timestamp: at(15), reason: 'Remote' })));
      return { status: 'Accepted' };
    });

    const res = await t.api('POST', `/api/v1/sessions/${a.transactionId}/stop`, { reason: 'customer request' });

    expect([res.status, res.body.outcome, res.body.remoteStop]).to.deep.equal([200, 'STOPPED_BY_CHARGER', 'Accepted']);
    expect(res.body.session).to.include({ status: 'COMPLETED', closeReason: null, stopReason: 'Remote' });
    await expectSettled(id, [tag]);
  });

  it('should force-close the session of an offline charger, and answer 404 for an unknown session and 400 without a reason', async () => {
    const { id, client } = await aSite();
    const tag = await aToken(t.app.services);
    const a = await start(client, tag, 0);
    const gone = nextEvent(t.app.events, 'charger.disconnected', (e) => e.chargePointId === id);
    await client.close();
    await gone;

    const res = await t.api('POST', `/api/v1/sessions/${a.transactionId}/stop`, { reason: 'charger offline for days' });
    const unknown = await t.api('POST', '/api/v1/sessions/2147483647/stop', { reason: 'x' });
    const noReason = await t.api('POST', `/api/v1/sessions/${a.transactionId}/stop`, {});

    expect([res.body.outcome, res.body.remoteStop, res.body.session.closeReason]).to.deep.equal(['FORCE_CLOSED', 'Offline', 'OPERATOR_FORCED']);
    expect(unknown.status).to.equal(404);
    expect(noReason.status).to.equal(400);
    await expectSettled(id, [tag]);
  });

  it('should close the transaction a reboot lost as CONNECTOR_IDLE, then credit and replace its CDR when the lost stop turns up with newer data', async () => {
    // Arrange: a transaction with 5 kWh, then the charger reboots and reports its connector Available
    const { id, client } = await aSite();
    const tag = await aToken(t.app.services);
    const a = await start(client, tag, 0);
    await client.call('MeterValues', anEnergyReading(a.transactionId, '6000', { timestamp: at(20) }));
    const gone = nextEvent(t.app.events, 'charger.disconnected', (e) => e.chargePointId === id);
    await client.close();
    await gone;
    const back = nextEvent(t.app.events, 'charger.connected', (e) => e.chargePointId === id);
    const rebooted = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    open.push(rebooted);
    await back;
    await rebooted.call('BootNotification', aBootNotification());
    // After the reboot no transaction runs: MeterValues without a transactionId
    rebooted.handle('TriggerMessage', async () => {
      setImmediate(() => void rebooted.call('MeterValues', anEnergyReading(undefined, '8000', { timestamp: at(50) })));
      return { status: 'Accepted' };
    });
    await rebooted.call('StatusNotification', aStatusNotification({ status: 'Available', timestamp: at(50) }));

    // Act: probed, closed after the grace; then the lost stop arrives (8 kWh until 08:45)
    clock.set(new Date(at(50)));
    await jobs().checkIdleConnectors();
    clock.set(new Date(at(53)));
    await jobs().checkIdleConnectors();
    const closed = await session(a.transactionId);
    const lateStop = await rebooted.call('StopTransaction', aStopTransaction(a.transactionId, { meterStop: 9000, timestamp: at(45), idTag: tag }));

    // Assert
    expect([closed.closeReason, closed.kwh]).to.deep.equal(['CONNECTOR_IDLE', '5.000']);
    expect(lateStop).to.deep.equal({ idTagInfo: { status: 'Accepted' } });
    const cdrs = await t.db('cdrs').where({ session_fk: a.transactionId }).orderBy('id');
    expect(cdrs.map((c) => [c.credit, c.body.total_energy, c.body.total_cost.excl_vat])).to.deep.equal([[false, 5, 1.5], [true, 5, -1.5], [false, 8, 2.4]]);
    expect(cdrs[1].body.credit_reference_id).to.equal(cdrs[0].cdr_id);
    expect(cdrs[2].replaces_cdr_fk).to.equal(cdrs[0].id);
    expect(await session(a.transactionId)).to.include({ closeReason: 'CONNECTOR_IDLE', kwh: '8.000', stopAt: at(45) });
    await expectSettled(id, [tag]);
  });

  it('should close a session that delivered no energy after the NO_ENERGY threshold, with an alert listed by the admin API', async () => {
    const { id, client } = await aSite();
    const tag = await aToken(t.app.services);
    const a = await start(client, tag, 0);
    clock.set(new Date(at(29)));
    await jobs().applyZombieRules();
    const early = await session(a.transactionId);

    clock.set(new Date(at(30)));
    const applied = await jobs().applyZombieRules();
    const alerts = await t.api('GET', `/api/v1/alerts?status=closed&chargePointId=${encodeURIComponent(id)}`);
    const badFilter = await t.api('GET', '/api/v1/alerts?status=maybe');

    expect(early.status).to.equal('ACTIVE');
    expect(applied.closed).to.be.at.least(1);
    expect(await session(a.transactionId)).to.include({ status: 'COMPLETED', closeReason: 'NO_ENERGY' });
    expect(alerts.body.data).to.have.length(1);
    expect(alerts.body.data[0]).to.include({ kind: 'ZOMBIE_NO_ENERGY', severity: 'warning', sessionId: a.transactionId, connectorId: 1, message: 'no energy delivered 30 min after the start: closed' });
    expect(alerts.body.data[0].closedAt).to.not.equal(null);
    expect(badFilter.status).to.equal(400);
    await expectSettled(id, [tag]);
  });

  it('should count NO_PROGRESS from the last MeterValues that changed the energy, not from the start', async () => {
    // Arrange: energy rises at 10 min, then the car pauses (SuspendedEV) and the register stays put for hours
    const { id, client } = await aSite();
    const tag = await aToken(t.app.services);
    const a = await start(client, tag, 0);
    await client.call('MeterValues', anEnergyReading(a.transactionId, '5000', { timestamp: at(10) }));
    await client.call('StatusNotification', aStatusNotification({ connectorId: 1, status: 'SuspendedEV', timestamp: at(20) }));
    for (const min of [30, 120, 300]) await client.call('MeterValues', anEnergyReading(a.transactionId, '5000', { timestamp: at(min) }));

    // Act: the default rule is 6 hours without progress, counted from 10 min
    clock.set(new Date(at(6 * 60 + 9)));
    await jobs().applyZombieRules();
    const before = await session(a.transactionId);
    clock.set(new Date(at(6 * 60 + 11)));
    await jobs().applyZombieRules();

    // Assert
    expect(before.status).to.equal('ACTIVE');
    expect(await session(a.transactionId)).to.include({ status: 'COMPLETED', closeReason: 'NO_PROGRESS' });
    await expectSettled(id, [tag]);
  });

  it('should list the sessions cpms closed with their reason in the settlement statement, as JSON and CSV', async () => {
    // Arrange: one session superseded, its successor stopped by the charger (local tokens)
    const { client } = await aSite();
    const a = await start(client, await aToken(t.app.services), 0);
    const b = await start(client, await aToken(t.app.services), 10, 2000);
    await client.call('StopTransaction', aStopTransaction(b.transactionId, { meterStop: 3000, timestamp: at(20) }));
    const [cdrA, cdrB] = [(await t.db('cdrs').where({ session_fk: a.transactionId }).first()).cdr_id, (await t.db('cdrs').where({ session_fk: b.transactionId }).first()).cdr_id];

    // Act: the day is settled
    clock.set(new Date(T0 + 2 * 86_400_000));
    await t.app.services.statements.settleClosedPeriods();
    const [statement] = (await t.api('GET', '/api/v1/statements?partner=local&granularity=DAILY')).body.data;
    const json = await t.api('GET', `/api/v1/statements/${statement.id}`);
    const csv: string = (await t.api('GET', `/api/v1/statements/${statement.id}.csv`)).body;

    // Assert
    const reasons = new Map(json.body.lines.map((l: { cdrId: string; closeReason: string | null }) => [l.cdrId, l.closeReason]));
    expect([reasons.get(cdrA), reasons.get(cdrB)]).to.deep.equal(['SUPERSEDED', null]);
    expect(csv.split('\r\n').find((l) => l.includes(cdrA))).to.match(/,SUPERSEDED$/);
    expect(csv.split('\r\n').find((l) => l.includes(cdrB))).to.match(/,$/);
  });
});
