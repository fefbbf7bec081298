// Issue 12: "a malformed or out-of-order 2.0.1 message gets the right CALLERROR (2.0.1 error codes) and
// changes nothing". Cases are derived from the official 2.0.1 schemas for EVERY station→CSMS request
// (test/fixtures/malformed-frames-201.ts), whatever handler exists; codes per OCPP-J 2.0.1 §4.3.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectRaw, rawCall, type RawSocket } from '../../helpers/charger.ts';
import { nextEvent } from '../../helpers/wait.ts';
import { aRegisteredCharger, aToken, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootNotification201, aTransactionEvent, anEnergyReading201 } from '../../fixtures/ocpp201.ts';
import { STATION_TO_CSMS_ACTIONS } from '../../../src/ocpp/v201/actions.ts';
import { allSchemaCases, oddCases, STATION_TO_CSMS, validRequest } from '../../fixtures/malformed-frames-201.ts';

describe('e2e OCPP 2.0.1 malformed and out-of-order frames', () => {
  // More frames than one charger's rate limit allows in a burst: the limit is tested elsewhere (limits.test.ts).
  const t = useTestApp({ overrides: { 'ocpp.rateLimit': { callsPerSec: 0, burst: 1 } } });
  const at = (min: number) => new Date(Date.parse('2026-12-01T10:00:00Z') + min * 60_000).toISOString();

  /**
   * What a station's messages can change: row counts and last ids, and a digest of its mutable rows; all of
   * this station only (work left behind by an earlier test's station must not show up here).
   */
  async function fingerprint(chargePointId: string): Promise<string> {
    const { rows } = await t.db.raw(
      `select
        (select count(*) || ':' || coalesce(max(id), 0) from meter_values where charge_point_id = :cp) as meter_values,
        (select count(*) || ':' || coalesce(max(id), 0) from status_history where charge_point_id = :cp) as status_history,
        (select count(*) || ':' || coalesce(max(id), 0) from charge_point_events where charge_point_id = :cp) as events,
        (select count(*) || ':' || coalesce(max(id), 0) from faults where charge_point_id = :cp) as faults,
        (select count(*) from alerts where charge_point_id = :cp) as alerts,
        (select count(*) from security_events where charge_point_id = :cp) as security_events,
        (select count(*) from reservations where charge_point_id = :cp) as reservations,
        (select count(*) from cdrs where session_fk in (select id from sessions where charge_point_id = :cp)) as cdrs,
        (select md5(coalesce(string_agg(x::text, ',' order by x.transaction_id), '')) from ocpp201_transactions x where x.charge_point_id = :cp) as transactions,
        (select md5(coalesce(string_agg(d::text, ',' order by d::text), '')) from device_model_variables d where d.charge_point_id = :cp) as device_model,
        (select md5(coalesce(string_agg(c::text, ',' order by c.id), '')) from connectors c where c.charge_point_id = :cp) as connectors,
        (select md5(coalesce(string_agg(s::text, ',' order by s.id), '')) from sessions s where s.charge_point_id = :cp) as sessions,
        (select md5((to_jsonb(cp) - array['last_seen_at', 'updated_at', 'is_online'])::text) from charge_points cp where cp.id = :cp) as charger`,
      { cp: chargePointId },
    );
    return JSON.stringify(rows[0]);
  }

  /** A registered station on a raw 2.0.1 socket, booted (Accepted unless registered otherwise). */
  async function aRawStation(status: 'Accepted' | 'Pending' | 'Rejected' = 'Accepted'): Promise<{ id: string; sock: RawSocket }> {
    const id = await aRegisteredCharger(t.app.services, { status });
    const connected = nextEvent(t.app.events, 'charger.connected', (e) => e.chargePointId === id);
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });
    await connected;
    expect((await rawCall(sock, 'BootNotification', aBootNotification201()))[0]).to.equal(3);
    return { id, sock };
  }

  /** Sends `frame` and returns the reply to `id`, and whether the station's data changed. */
  async function sendChecked(id: string, sock: RawSocket, call: () => Promise<any>): Promise<{ reply: any; changed: boolean }> {
    const before = await fingerprint(id);
    const reply = await call();
    return { reply, changed: (await fingerprint(id)) !== before };
  }

  it('OCPP-J 2.0.1 §4.3: should answer every schema violation of every station→CSMS request with its CALLERROR code and store nothing', async () => {
    // Arrange: an Accepted station with a running transaction (so TransactionEvent cases hit a known one)
    const { id, sock } = await aRawStation();
    const uid = await aToken(t.app.services);
    const txId = randomUUID();
    expect((await rawCall(sock, 'TransactionEvent', aTransactionEvent(txId, { timestamp: at(0), idToken: { idToken: uid, type: 'ISO14443' } })))[0]).to.equal(3);
    const cases = allSchemaCases();

    // Act
    const wrong: string[] = [];
    const changed: string[] = [];
    let n = 0;
    for (const c of cases) {
      const r = await sendChecked(id, sock, () => rawCall(sock, c.action, c.payload, `neg-${n++}`));
      if (r.reply[0] !== 4 || r.reply[2] !== c.code) wrong.push(`${c.action} ${c.mutation}: got ${JSON.stringify(r.reply.slice(0, 4))}, want ${c.code}`);
      if (r.changed) changed.push(`${c.action} ${c.mutation}`);
    }
    const heartbeat = await rawCall(sock, 'Heartbeat', {});
    await sock.close();

    // Assert
    expect(new Set(cases.map((c) => c.action))).to.have.all.keys(...STATION_TO_CSMS);
    expect(wrong).to.deep.equal([]);
    expect(changed).to.deep.equal([]);
    expect(heartbeat[0]).to.equal(3);
  }).timeout(120_000); // ~1,300 frames, each between two fingerprints

  it('should answer schema-valid but odd values (negative or huge numbers, odd years, NUL bytes) of every station→CSMS request without InternalError, and store nothing of a refused one', async () => {
    // Arrange: an Accepted station with a running transaction; TransactionEvent cases are Updated events of it
    const { id, sock } = await aRawStation();
    const uid = await aToken(t.app.services);
    const txId = randomUUID();
    expect((await rawCall(sock, 'TransactionEvent', aTransactionEvent(txId, { timestamp: at(0), idToken: { idToken: uid, type: 'ISO14443' } })))[0]).to.equal(3);
    // An energy register sample in Wh, so that odd values reach the session's meter values and energy
    const withRegister = (index: number, eventType: string, transactionId: string) => {
      const p = validRequest('TransactionEvent') as any;
      p.meterValue[0].sampledValue[0] = { ...p.meterValue[0].sampledValue[0], value: 1000 + index, measurand: 'Energy.Active.Import.Register', phase: undefined, unitOfMeasure: { unit: 'Wh', multiplier: 0 } };
      return { ...p, eventType, seqNo: eventType === 'Started' ? 0 : 1000 + index, transactionInfo: { ...p.transactionInfo, transactionId }, idToken: { ...p.idToken, idToken: uid, type: 'ISO14443' } };
    };
    // Each odd value three times: in an Updated and an Ended event of the running transaction, and in a Started one of a new one
    // (an Ended event ends a transaction of its own, started just before it)
    const cases = ['Updated', 'Ended', 'Started'].flatMap((eventType) =>
      oddCases(20261205, { TransactionEvent: (index) => withRegister(index, eventType, eventType === 'Updated' ? txId : randomUUID()) }).filter((c) => c.action === 'TransactionEvent' || eventType === 'Updated'),
    );

    // Act
    const internal: string[] = [];
    const storedWhenRefused: string[] = [];
    let n = 0;
    for (const c of cases) {
      const ended = c.action === 'TransactionEvent' && (c.payload as { eventType: string }).eventType === 'Ended' ? (c.payload as { transactionInfo: { transactionId: unknown } }).transactionInfo.transactionId : undefined;
      if (typeof ended === 'string') await rawCall(sock, 'TransactionEvent', aTransactionEvent(ended, { timestamp: at(0), idToken: { idToken: uid, type: 'ISO14443' } }));
      const r = await sendChecked(id, sock, () => rawCall(sock, c.action, c.payload, `odd-${n++}`));
      if (r.reply[0] === 4 && r.reply[2] === 'InternalError') internal.push(`${c.action} ${c.mutation}`);
      if (r.reply[0] === 4 && r.changed) storedWhenRefused.push(`${c.action} ${c.mutation} → ${r.reply[2]}`);
    }
    const heartbeat = await rawCall(sock, 'Heartbeat', {});
    await sock.close();

    // Assert
    expect(internal).to.deep.equal([]);
    expect(storedWhenRefused).to.deep.equal([]);
    expect(heartbeat[0]).to.equal(3);
    // Every action with a field (Heartbeat has none)
    expect(new Set(cases.map((c) => c.action))).to.have.all.keys(...STATION_TO_CSMS.filter((a) => a !== 'Heartbeat'));
  }).timeout(120_000); // ~300 frames, each between two fingerprints

  it('OCPP-J 2.0.1 §4.2.3/§4.3: should answer malformed frames with RpcFrameworkError (message id "-1" when it cannot be read), MessageTypeNotSupported or NotImplemented, and store nothing', async () => {
    const { id, sock } = await aRawStation();
    const cases: Array<{ name: string; frame: unknown; want: [string, string] }> = [
      { name: 'not JSON', frame: '[2, "a", "Heartbeat", {', want: ['-1', 'RpcFrameworkError'] },
      { name: 'not an array', frame: { messageTypeId: 2, id: 'a', action: 'Heartbeat' }, want: ['-1', 'RpcFrameworkError'] },
      { name: 'an empty array', frame: [], want: ['-1', 'RpcFrameworkError'] },
      { name: 'a string message type', frame: ['2', 'f-1', 'Heartbeat', {}], want: ['-1', 'RpcFrameworkError'] },
      { name: 'a numeric message id', frame: [2, 42, 'Heartbeat', {}], want: ['-1', 'RpcFrameworkError'] },
      { name: 'an empty message id', frame: [2, '', 'Heartbeat', {}], want: ['-1', 'RpcFrameworkError'] },
      { name: 'a message id over 36 characters', frame: [2, 'x'.repeat(37), 'Heartbeat', {}], want: ['-1', 'RpcFrameworkError'] },
      { name: 'an unknown message type', frame: [7, 'f-2', 'Heartbeat', {}], want: ['f-2', 'MessageTypeNotSupported'] },
      { name: 'a CALL without payload', frame: [2, 'f-3', 'Heartbeat'], want: ['f-3', 'RpcFrameworkError'] },
      { name: 'a CALL with a fifth element', frame: [2, 'f-4', 'Heartbeat', {}, {}], want: ['f-4', 'RpcFrameworkError'] },
      { name: 'a non-string action', frame: [2, 'f-5', 42, {}], want: ['f-5', 'RpcFrameworkError'] },
      { name: 'an unknown action', frame: [2, 'f-6', 'FlyToTheMoon', {}], want: ['f-6', 'NotImplemented'] },
      { name: 'an action in the wrong case', frame: [2, 'f-7', 'heartbeat', {}], want: ['f-7', 'NotImplemented'] },
      { name: 'a 1.6-only action', frame: [2, 'f-8', 'StartTransaction', { connectorId: 1, idTag: 'A', meterStart: 0, timestamp: at(0) }], want: ['f-8', 'NotImplemented'] },
    ];

    const wrong: string[] = [];
    for (const c of cases) {
      const r = await sendChecked(id, sock, async () => {
        sock.send(typeof c.frame === 'string' ? c.frame : JSON.stringify(c.frame));
        return sock.next();
      });
      if (JSON.stringify(r.reply.slice(0, 3)) !== JSON.stringify([4, ...c.want])) wrong.push(`${c.name}: got ${JSON.stringify(r.reply.slice(0, 4))}`);
      if (r.changed) wrong.push(`${c.name}: stored something`);
    }
    await sock.close();

    expect(wrong).to.deep.equal([]);
  });

  it('OCPP-J 2.0.1 §4.1: should ignore a CALLRESULT or CALLERROR for a message id it never sent, answer nothing and keep the socket working', async () => {
    const { id, sock } = await aRawStation();
    const before = await fingerprint(id);

    sock.send([3, 'never-sent', { status: 'Accepted' }]);
    sock.send([4, 'never-sent-either', 'GenericError', 'x', {}]);
    // Frames are read in order: once a later CALL is answered, the two before it have been dealt with.
    const probe = await rawCall(sock, 'Heartbeat', { probe: 1 }, 'probe');
    const after = await fingerprint(id);
    const heartbeat = await rawCall(sock, 'Heartbeat', {}, 'hb-after');
    const unread = [...sock.buffered];
    await sock.close();

    expect([probe.slice(0, 3), heartbeat.slice(0, 2)]).to.deep.equal([[4, 'probe', 'FormatViolation'], [3, 'hb-after']]);
    expect(unread).to.deep.equal([]);
    expect(after).to.equal(before);
  });

  it('OCPP-J 2.0.1 §4.3: should answer a valid request of every station→CSMS action without NotImplemented, InternalError or NotSupported', async () => {
    const { id, sock } = await aRawStation();

    const wrong: string[] = [];
    const outcomes: Record<string, string> = {};
    for (const action of STATION_TO_CSMS) {
      const r = await sendChecked(id, sock, () => rawCall(sock, action, validRequest(action)));
      outcomes[action] = r.reply[0] === 3 ? 'CALLRESULT' : r.reply[2];
      if (['NotImplemented', 'InternalError'].includes(outcomes[action]!)) wrong.push(`${action}: ${JSON.stringify(r.reply.slice(0, 4))}`);
      if (outcomes[action] === 'NotSupported' && r.changed) wrong.push(`${action}: NotSupported but stored something`);
    }
    await sock.close();

    expect(wrong).to.deep.equal([]);
    // The server's own list of the actions it recognizes is the spec's.
    expect([...STATION_TO_CSMS_ACTIONS].sort()).to.deep.equal([...STATION_TO_CSMS].sort());
    expect(outcomes.Heartbeat).to.equal('CALLRESULT');
    // Issue 12: every action of the 2.0.1 message list has a handler now (blocks M, N09 and L03/L04 last).
    expect(Object.entries(outcomes).filter(([, o]) => o === 'NotSupported')).to.deep.equal([]);
    expect(['Get15118EVCertificate', 'GetCertificateStatus', 'NotifyCustomerInformation', 'PublishFirmwareStatusNotification'].map((a) => outcomes[a])).to.deep.equal(['CALLRESULT', 'CALLRESULT', 'CALLRESULT', 'CALLRESULT']);
  });

  for (const status of ['Pending', 'Rejected'] as const) {
    it(`OCPP201 B02/B03: should answer SecurityError to every valid station→CSMS request a ${status} station may not send, and store nothing`, async () => {
      const { id, sock } = await aRawStation(status);
      const allowed = new Set(['BootNotification', 'Heartbeat', 'StatusNotification', 'NotifyEvent', 'NotifyReport', 'FirmwareStatusNotification', 'DataTransfer']);

      const wrong: string[] = [];
      for (const action of STATION_TO_CSMS.filter((a) => !allowed.has(a))) {
        const r = await sendChecked(id, sock, () => rawCall(sock, action, validRequest(action)));
        if (r.reply[0] !== 4 || r.reply[2] !== 'SecurityError') wrong.push(`${action}: got ${JSON.stringify(r.reply.slice(0, 4))}`);
        if (r.changed) wrong.push(`${action}: stored something`);
      }
      await sock.close();

      expect(wrong).to.deep.equal([]);
    });
  }

  describe('out-of-order TransactionEvent (OCPP201 E01 FR.17)', () => {
    it('should refuse an Updated or Ended event of a transaction that never started with PropertyConstraintViolation and store nothing', async () => {
      const { id, sock } = await aRawStation();

      const updated = await sendChecked(id, sock, () => rawCall(sock, 'TransactionEvent', aTransactionEvent(randomUUID(), { eventType: 'Updated', triggerReason: 'MeterValuePeriodic', seqNo: 1, timestamp: at(1), meterValue: anEnergyReading201(500, at(1)) })));
      const ended = await sendChecked(id, sock, () => rawCall(sock, 'TransactionEvent', aTransactionEvent(randomUUID(), { eventType: 'Ended', triggerReason: 'EVCommunicationLost', seqNo: 2, timestamp: at(2), idToken: { idToken: 'ANY', type: 'ISO14443' } })));
      await sock.close();

      expect([updated.reply[2], updated.changed, ended.reply[2], ended.changed]).to.deep.equal(['PropertyConstraintViolation', false, 'PropertyConstraintViolation', false]);
      expect(await t.db('ocpp201_transactions').where({ charge_point_id: id })).to.deep.equal([]);
    });

    it('should refuse an Updated or a second Ended event after the station ended the transaction, and answer a replayed Ended as before', async () => {
      const { id, sock } = await aRawStation();
      const uid = await aToken(t.app.services);
      const txId = randomUUID();
      await rawCall(sock, 'TransactionEvent', aTransactionEvent(txId, { timestamp: at(0), idToken: { idToken: uid, type: 'ISO14443' }, meterValue: anEnergyReading201(0, at(0)) }));
      const ended = aTransactionEvent(txId, { eventType: 'Ended', triggerReason: 'StopAuthorized', seqNo: 1, timestamp: at(10), evse: undefined, transactionInfo: { transactionId: txId, stoppedReason: 'Local' }, meterValue: anEnergyReading201(3000, at(10)) });
      await rawCall(sock, 'TransactionEvent', ended);

      const updated = await sendChecked(id, sock, () => rawCall(sock, 'TransactionEvent', aTransactionEvent(txId, { eventType: 'Updated', triggerReason: 'MeterValuePeriodic', seqNo: 2, timestamp: at(11), evse: undefined, meterValue: anEnergyReading201(3500, at(11)) })));
      const endedAgain = await sendChecked(id, sock, () => rawCall(sock, 'TransactionEvent', { ...ended, seqNo: 3, timestamp: at(12), meterValue: anEnergyReading201(4000, at(12)) }));
      const replay = await sendChecked(id, sock, () => rawCall(sock, 'TransactionEvent', { ...ended, offline: true }));
      await sock.close();

      expect([updated, endedAgain].map((r) => [r.reply[0], r.reply[2], r.changed])).to.deep.equal([[4, 'PropertyConstraintViolation', false], [4, 'PropertyConstraintViolation', false]]);
      expect([replay.reply[0], replay.changed]).to.deep.equal([3, false]);
      expect((await t.db('sessions').where({ charge_point_id: id })).map((s) => [s.status, s.meter_stop_wh])).to.deep.equal([['COMPLETED', '3000']]);
    });

    it('should refuse an event with a NUL character in any string before storing any part of it (its meter values included)', async () => {
      const { id, sock } = await aRawStation();
      const uid = await aToken(t.app.services);
      const txId = randomUUID();
      await rawCall(sock, 'TransactionEvent', aTransactionEvent(txId, { timestamp: at(0), idToken: { idToken: uid, type: 'ISO14443' } }));

      const r = await sendChecked(id, sock, () => rawCall(sock, 'TransactionEvent', aTransactionEvent(txId, { eventType: 'Updated', triggerReason: 'StopAuthorized', seqNo: 1, timestamp: at(1), evse: undefined, idToken: { idToken: 'A\u0000', type: 'ISO14443' }, meterValue: anEnergyReading201(700, at(1)) })));
      await sock.close();

      expect([r.reply[0], r.reply[2], r.changed]).to.deep.equal([4, 'PropertyConstraintViolation', false]);
    });

    it('should refuse a seqNo below the last one and a second Started with PropertyConstraintViolation, store nothing, and still take the next event', async () => {
      // Arrange: Started (0), Updated (1), Updated (2)
      const { id, sock } = await aRawStation();
      const uid = await aToken(t.app.services);
      const txId = randomUUID();
      const started = aTransactionEvent(txId, { timestamp: at(0), idToken: { idToken: uid, type: 'ISO14443' }, meterValue: anEnergyReading201(0, at(0)) });
      await rawCall(sock, 'TransactionEvent', started);
      for (const seqNo of [1, 2]) await rawCall(sock, 'TransactionEvent', aTransactionEvent(txId, { eventType: 'Updated', triggerReason: 'MeterValuePeriodic', seqNo, timestamp: at(seqNo), evse: undefined, meterValue: anEnergyReading201(seqNo * 1000, at(seqNo)) }));

      // Act
      const back = await sendChecked(id, sock, () => rawCall(sock, 'TransactionEvent', aTransactionEvent(txId, { eventType: 'Updated', triggerReason: 'MeterValuePeriodic', seqNo: 1, timestamp: at(5), evse: undefined, meterValue: anEnergyReading201(9000, at(5)) })));
      const endedBack = await sendChecked(id, sock, () => rawCall(sock, 'TransactionEvent', aTransactionEvent(txId, { eventType: 'Ended', triggerReason: 'StopAuthorized', seqNo: 0, timestamp: at(6), evse: undefined, transactionInfo: { transactionId: txId, stoppedReason: 'Local' } })));
      const restarted = await sendChecked(id, sock, () => rawCall(sock, 'TransactionEvent', { ...started, seqNo: 3, timestamp: at(7) }));
      const replay = await rawCall(sock, 'TransactionEvent', aTransactionEvent(txId, { eventType: 'Updated', triggerReason: 'MeterValuePeriodic', seqNo: 2, timestamp: at(2), evse: undefined, offline: true, meterValue: anEnergyReading201(2000, at(2)) }));
      const next = await rawCall(sock, 'TransactionEvent', aTransactionEvent(txId, { eventType: 'Ended', triggerReason: 'StopAuthorized', seqNo: 3, timestamp: at(8), evse: undefined, transactionInfo: { transactionId: txId, stoppedReason: 'Local' }, meterValue: anEnergyReading201(4000, at(8)) }));
      await sock.close();

      // Assert
      expect([back, endedBack, restarted].map((r) => [r.reply[0], r.reply[2], r.changed])).to.deep.equal([
        [4, 'PropertyConstraintViolation', false],
        [4, 'PropertyConstraintViolation', false],
        [4, 'PropertyConstraintViolation', false],
      ]);
      expect([replay[0], next[0]]).to.deep.equal([3, 3]);
      const sessions = await t.db('sessions').where({ charge_point_id: id });
      expect(sessions.map((s) => [s.status, s.energy_wh])).to.deep.equal([['COMPLETED', '4000']]);
      expect((await t.db('ocpp201_transactions').where({ charge_point_id: id }).first()).last_seq_no).to.equal(3);
    });
  });
});
