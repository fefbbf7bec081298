// OCPP 1.6 §5 server-initiated commands, sent through the admin API and answered by the charger.
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { connectCharger, connectRaw } from '../../helpers/charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { aRegisteredCharger, aStartTransaction, aStopTransaction, aToken, anEnergyReading, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

/** Commands waiting behind the outstanding one on the server's socket for `id` (read for assertions only). */
function queuedCommands(t: TestApp, id: string): number {
  const conn = t.app.connections.get(id) as unknown as { queue: unknown[] } | undefined;
  return conn?.queue.length ?? 0;
}

describe('e2e OCPP 1.6 commands through the admin API', () => {
  const t = useTestApp();

  const command = (id: string, action: string, body: unknown, query = '') => t.api('POST', `/api/v1/chargers/${id}/commands/${action}${query}`, body);

  const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
  const commands: Array<{ action: string; req: Record<string, unknown>; conf: Record<string, unknown> }> = [
    { action: 'RemoteStartTransaction', req: { idTag: 'TAG-REMOTE', connectorId: 1 }, conf: { status: 'Accepted' } },
    { action: 'RemoteStopTransaction', req: { transactionId: 42 }, conf: { status: 'Rejected' } },
    { action: 'Reset', req: { type: 'Soft' }, conf: { status: 'Accepted' } },
    { action: 'UnlockConnector', req: { connectorId: 1 }, conf: { status: 'Unlocked' } },
    { action: 'ChangeAvailability', req: { connectorId: 0, type: 'Inoperative' }, conf: { status: 'Scheduled' } },
    { action: 'ChangeConfiguration', req: { key: 'HeartbeatInterval', value: '60' }, conf: { status: 'RebootRequired' } },
    { action: 'GetConfiguration', req: { key: ['HeartbeatInterval', 'Nope'] }, conf: { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '60' }], unknownKey: ['Nope'] } },
    { action: 'ClearCache', req: {}, conf: { status: 'Accepted' } },
    { action: 'TriggerMessage', req: { requestedMessage: 'StatusNotification', connectorId: 1 }, conf: { status: 'Accepted' } },
    {
      action: 'SetChargingProfile',
      req: { connectorId: 1, csChargingProfiles: { chargingProfileId: 7, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] } } },
      conf: { status: 'Accepted' },
    },
    { action: 'ClearChargingProfile', req: { id: 7 }, conf: { status: 'Accepted' } },
    { action: 'GetCompositeSchedule', req: { connectorId: 1, duration: 3600, chargingRateUnit: 'W' }, conf: { status: 'Accepted', connectorId: 1, scheduleStart: inAnHour, chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }] } } },
    { action: 'ReserveNow', req: { connectorId: 1, expiryDate: inAnHour, idTag: 'TAG-RES', reservationId: 3 }, conf: { status: 'Occupied' } },
    { action: 'CancelReservation', req: { reservationId: 3 }, conf: { status: 'Accepted' } },
    { action: 'SendLocalList', req: { listVersion: 2, updateType: 'Full', localAuthorizationList: [{ idTag: 'TAG-LOCAL', idTagInfo: { status: 'Accepted' } }] }, conf: { status: 'Accepted' } },
    { action: 'GetLocalListVersion', req: {}, conf: { listVersion: 2 } },
    { action: 'UpdateFirmware', req: { location: 'https://firmware.example.com/fw-2.bin', retrieveDate: inAnHour, retries: 2 }, conf: {} },
    { action: 'GetDiagnostics', req: { location: 'ftp://diag.example.com/upload/' }, conf: { fileName: 'diag-2026.zip' } },
    { action: 'DataTransfer', req: { vendorId: 'com.example', messageId: 'ping', data: 'x' }, conf: { status: 'Accepted', data: 'pong' } },
  ];

  it('should offer every OCPP 1.6 command the issue lists', () => {
    expect(commands.map((c) => c.action)).to.have.length(19);
  });

  for (const c of commands) {
    it(`OCPP16 §5 ${c.action}: should deliver the command to the charger and return its answer`, async () => {
      // Arrange
      const { id, client } = await aBootedCharger(t);
      const received: unknown[] = [];
      client.handle(c.action, async ({ params }) => {
        received.push(params);
        return c.conf;
      });

      // Act
      const res = await command(id, c.action, c.req);
      await client.close();

      // Assert
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.deep.equal({ action: c.action, response: c.conf });
      expect(received).to.deep.equal([c.req]);
    });
  }

  it('OCPP16 §5.11/§5.12: should start and stop a transaction remotely from the admin API', async () => {
    // Arrange
    const { id, client } = await aBootedCharger(t);
    const idTag = await aToken(t.app.services);
    const remote: string[] = [];
    client.handle('RemoteStartTransaction', async ({ params }) => {
      remote.push(`start ${params!.idTag}`);
      return { status: 'Accepted' };
    });
    client.handle('RemoteStopTransaction', async ({ params }) => {
      remote.push(`stop ${params!.transactionId}`);
      return { status: 'Accepted' };
    });

    // Act: the charger answers, then starts and stops the transaction as a real one would
    const startRes = await command(id, 'RemoteStartTransaction', { idTag, connectorId: 1 });
    const start = (await client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 100 }))) as { transactionId: number };
    await client.call('MeterValues', anEnergyReading(start.transactionId, '1.1', { unit: 'kWh' }));
    const stopRes = await command(id, 'RemoteStopTransaction', { transactionId: start.transactionId });
    await client.call('StopTransaction', aStopTransaction(start.transactionId, { meterStop: 2_345, reason: 'Remote' }));
    const sessions = await t.api('GET', `/api/v1/sessions?chargePointId=${id}`);
    await client.close();

    // Assert
    expect([startRes.status, startRes.body.response, stopRes.status, stopRes.body.response]).to.deep.equal([200, { status: 'Accepted' }, 200, { status: 'Accepted' }]);
    expect(remote).to.deep.equal([`start ${idTag}`, `stop ${start.transactionId}`]);
    expect(sessions.body.data.map((s: any) => [s.id, s.status, s.energyWh, s.kwh, s.stopReason])).to.deep.equal([[start.transactionId, 'COMPLETED', 2245, '2.245', 'Remote']]);
  });

  it('OCPP-J §4.1.1: should answer 504 with a clear message when the charger never answers, and keep the socket usable', async () => {
    // Arrange
    const { id, client } = await aBootedCharger(t);
    client.handle('Reset', () => new Promise(() => undefined));
    client.handle('ClearCache', async () => ({ status: 'Accepted' }));

    // Act
    const res = await command(id, 'Reset', { type: 'Hard' }, '?timeoutSec=1');
    const next = await command(id, 'ClearCache', {});
    await client.close({ force: true });

    // Assert
    expect(res.status).to.equal(504);
    expect(res.body.error.code).to.equal('TIMEOUT');
    expect(res.body.error.message).to.match(/Reset to .*no answer within 1000 ms/);
    expect(next.body).to.deep.equal({ action: 'ClearCache', response: { status: 'Accepted' } });
  });

  it('should refuse a timeoutSec that is not an integer from 1 to 300 with 400 naming it, without sending', async () => {
    const { id, client } = await aBootedCharger(t);
    let reached = 0;
    client.handle('ClearCache', async () => {
      reached++;
      return { status: 'Accepted' };
    });

    const answers = [];
    for (const bad of ['0.5', '1.5', '0', '301', '-1', 'abc', '']) answers.push(await command(id, 'ClearCache', {}, `?timeoutSec=${bad}`));
    const good = await command(id, 'ClearCache', {}, '?timeoutSec=300');
    await client.close();

    expect(answers.map((a) => [a.status, a.body.error?.message])).to.deep.equal(answers.map(() => [400, 'timeoutSec: must be an integer from 1 to 300']));
    expect([good.status, reached]).to.deep.equal([200, 1]);
  });

  it('should time out after ocpp.callTimeoutSec when no timeout is given', async () => {
    const quick = await startTestApp(t.testDb, { overrides: { 'ocpp.callTimeoutSec': 1 } });
    const id = await aRegisteredCharger(quick.app.services);
    const client = await connectCharger(quick, id, { password: CHARGER_PASSWORD });
    client.handle('Reset', () => new Promise(() => undefined));

    const res = await quick.api('POST', `/api/v1/chargers/${id}/commands/Reset`, { type: 'Soft' });
    await client.close({ force: true });
    await quick.close();

    expect(res.status).to.equal(504);
  });

  it('OCPP-J §4.2.3: should answer 502 with the charger\'s CALLERROR code when the charger refuses', async () => {
    const { id, client } = await aBootedCharger(t);
    client.handle('UnlockConnector', async () => {
      throw Object.assign(new Error('no such connector'), { rpcErrorCode: 'PropertyConstraintViolation' });
    });

    const res = await command(id, 'UnlockConnector', { connectorId: 9 });
    await client.close();

    expect(res.status).to.equal(502);
    expect(res.body.error.ocppErrorCode).to.be.a('string').and.not.equal('');
  });

  it('should answer 502 when the charger\'s answer violates the response schema', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD });

    const pending = command(id, 'GetConfiguration', {});
    const call = await sock.next();
    sock.send([3, call[1], { configurationKey: 'not-a-list' }]);
    const res = await pending;
    await sock.close();

    expect(call.slice(0, 3)).to.deep.equal([2, call[1], 'GetConfiguration']);
    expect(res.status).to.equal(502);
    expect(res.body.error.message).to.match(/configurationKey/);
  });

  it('should refuse a payload that violates the request schema with 400 naming the field, without sending it', async () => {
    const { id, client } = await aBootedCharger(t);
    let reached = false;
    client.handle('Reset', async () => {
      reached = true;
      return { status: 'Accepted' };
    });

    const res = await command(id, 'Reset', { type: 'Gentle' });
    await client.close();

    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.match(/type/);
    expect(reached).to.equal(false);
  });

  it('should refuse an action that is not a command with 400 and 404 for an unknown charger', async () => {
    const { id, client } = await aBootedCharger(t);

    const notCommand = await command(id, 'BootNotification', {});
    const unknown = await command('CP-does-not-exist', 'Reset', { type: 'Soft' });
    await client.close();

    expect(notCommand.status).to.equal(400);
    expect(notCommand.body.error.message).to.match(/^action: /);
    expect(unknown.status).to.equal(404);
  });

  it('should refuse a command to a registered charger that is not connected with 409, unlike an unknown one', async () => {
    const id = await aRegisteredCharger(t.app.services);

    const res = await command(id, 'Reset', { type: 'Soft' });

    expect(res.status).to.equal(409);
    expect(res.body.error).to.deep.equal({ code: 'CONFLICT', message: `charger ${id} is not connected` });
  });

  it('OCPP-J §4.1.1: should send two simultaneous commands to the charger one after the other', async () => {
    // Arrange
    const { id, client } = await aBootedCharger(t);
    const seen: string[] = [];
    client.handle('ChangeConfiguration', async ({ params }) => {
      seen.push(`received ${params!.key}`);
      // Hold the first answer until the second command waits on the server behind it.
      if (params!.key === 'A') await eventually(async () => queuedCommands(t, id) === 1, 'second command queued');
      seen.push(`answered ${params!.key}`);
      return { status: 'Accepted' };
    });

    // Act
    const first = command(id, 'ChangeConfiguration', { key: 'A', value: '1' });
    await eventually(async () => seen.length > 0, 'first command received');
    const second = command(id, 'ChangeConfiguration', { key: 'B', value: '2' });
    const [r1, r2] = await Promise.all([first, second]);
    await client.close();

    // Assert
    expect([r1.status, r2.status]).to.deep.equal([200, 200]);
    expect(seen).to.deep.equal(['received A', 'answered A', 'received B', 'answered B']);
  });

  it('OCPP-J §4.1.1: should deliver a command while a call from the charger is still being handled', async () => {
    // Arrange: hold the charger's row so that its Heartbeat cannot complete
    const { id, client } = await aBootedCharger(t);
    client.handle('GetLocalListVersion', async () => ({ listVersion: 5 }));
    const trx = await t.db.transaction();
    await trx('charge_points').where({ id }).forUpdate();
    let heartbeatDone = false;
    const heartbeat = client.call('Heartbeat', {}).then(() => (heartbeatDone = true));

    // Act: from code, as the admin API itself needs the database
    const answer = await t.app.commands.send(id, 'GetLocalListVersion', {});
    const heartbeatDoneWhileHeld = heartbeatDone;
    await trx.commit();
    await heartbeat;
    await client.close();

    // Assert
    expect(answer).to.deep.equal({ listVersion: 5 });
    expect(heartbeatDoneWhileHeld).to.equal(false);
    expect(heartbeatDone).to.equal(true);
  });
});
