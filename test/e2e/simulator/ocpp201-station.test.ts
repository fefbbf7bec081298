// The simulated OCPP 2.0.1 charging station against a scripted CSMS on a raw `ws` socket: what it sends (each
// frame of its own checked against the official 2.0.1 schemas: a violation counts as an error in the summary)
// and how it answers the CSMS's requests. Section numbers are those of OCPP 2.0.1 Part 2.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { FleetOptions } from '../../../src/simulator/index.ts';
import { eventually } from '../../helpers/wait.ts';
import { aFleet, FLEET_PASSWORD } from '../../fixtures/simulator.ts';
import { aScriptedServer, callCharger, type Scripted } from '../../fixtures/scripted-ocpp-server.ts';

const EV_32A = { spec: { maxCurrentA: 32, phases: 3, batteryWh: 60_000 }, socPct: 20 };
const TAG = 'TAG-201';

/** A CSMS that accepts everything: the answers a 2.0.1 station expects. */
function answer201(action: string, payload: any): unknown {
  const now = new Date().toISOString();
  if (action === 'BootNotification') return { status: 'Accepted', currentTime: now, interval: 300 };
  if (action === 'Heartbeat') return { currentTime: now };
  if (action === 'Authorize') return { idTokenInfo: { status: payload.idToken.idToken === 'BLOCKED' ? 'Blocked' : 'Accepted' } };
  if (action === 'TransactionEvent' && payload.eventType === 'Started') return { idTokenInfo: { status: 'Accepted' } };
  return {};
}

describe('e2e simulator: the OCPP 2.0.1 station against a scripted CSMS', () => {
  /** A booted 2.0.1 station; `call` sends a CSMS request and gives the answer payload (or `{ error: code }`). */
  async function aStation(o: Partial<FleetOptions> = {}, server?: Scripted) {
    const s = server ?? (await aScriptedServer('ocpp2.0.1'));
    if (!server) s.answer = answer201;
    const fleet = aFleet({ ocppUrl: s.url }, { protocol: 'ocpp2.0.1', ...o });
    const charger = fleet.chargers[0];
    fleet.start();
    await fleet.whenOnline();
    const call = async (action: string, payload: unknown) => {
      const f = await callCharger(s, randomUUID(), action, payload);
      return f[0] === 3 ? f[2] : { error: f[2] };
    };
    const sent = (action: string) => s.frames.filter((f) => f[0] === 2 && f[2] === action).map((f) => f[3]);
    /** Stops; every error but the `expected` ones fails the test. */
    const finish = async (expected?: RegExp) => {
      const summary = await fleet.stop();
      await s.close();
      const unexpected = summary.errorSamples.filter((e) => !expected?.test(e));
      expect(unexpected, unexpected.join('\n')).to.deep.equal([]);
      if (!expected) expect(summary.errors).to.equal(0);
      return summary;
    };
    return { server: s, fleet, charger, call, sent, finish };
  }

  it('B01/B02, G01: should connect with subprotocol ocpp2.0.1, boot with reason PowerUp (again after a Pending interval), then report each EVSE', async () => {
    // Arrange: the CSMS keeps the station Pending once, for one second
    const server = await aScriptedServer('ocpp2.0.1');
    let boots = 0;
    server.answer = (action, p) => (action === 'BootNotification' && ++boots === 1 ? { status: 'Pending', currentTime: new Date().toISOString(), interval: 1 } : answer201(action, p));

    // Act
    const s = await aStation({ connectors: 2 }, server);
    await eventually(async () => s.sent('StatusNotification').length === 2, 'two status notifications');
    await s.finish();

    // Assert
    expect(server.request?.headers['sec-websocket-protocol']).to.equal('ocpp2.0.1');
    expect(server.request?.headers.authorization).to.equal(`Basic ${Buffer.from(`${s.charger.id}:${FLEET_PASSWORD}`).toString('base64')}`);
    expect(s.sent('BootNotification').map((b) => [b.reason, b.chargingStation.model])).to.deep.equal([['PowerUp', 'Simulator'], ['PowerUp', 'Simulator']]);
    expect(s.sent('StatusNotification').map((x) => [x.evseId, x.connectorId, x.connectorStatus])).to.deep.equal([[1, 1, 'Available'], [2, 1, 'Available']]);
  });

  it('OCPP-J 2.0.1 §4.3: should answer an unknown action NotImplemented and schema violations with the 2.0.1 error codes', async () => {
    const s = await aStation();
    const codes = [
      await s.call('FlyToTheMoon', {}),
      await s.call('Reset', {}),
      await s.call('Reset', { type: 'Medium' }),
      await s.call('UnlockConnector', { evseId: 'one', connectorId: 1 }),
      await s.call('ClearCache', { please: true }),
    ].map((a) => a.error);
    await s.finish();
    expect(codes).to.deep.equal(['NotImplemented', 'OccurrenceConstraintViolation', 'PropertyConstraintViolation', 'TypeConstraintViolation', 'FormatViolation']);
  });

  it('C01, E01-E07: should authorize the tag (ISO14443) and run TransactionEvent Started/Updated/Ended with seqNo, trigger reasons and meter values', async () => {
    // Arrange
    const s = await aStation();

    // Act
    const blocked = await s.charger.startSession(1, 'BLOCKED', EV_32A);
    s.charger.model.unplug(1);
    const started = await s.charger.startSession(1, TAG, EV_32A);
    await eventually(async () => s.sent('TransactionEvent').length >= 4, 'three Updated events');
    await s.charger.stopSession(1);
    await eventually(async () => s.sent('TransactionEvent').some((e) => e.eventType === 'Ended'), 'the Ended event');
    const summary = await s.finish();

    // Assert
    expect([blocked, started]).to.deep.equal(['refused', 'started']);
    expect(s.sent('Authorize').map((a) => a.idToken)).to.deep.equal([{ idToken: 'BLOCKED', type: 'ISO14443' }, { idToken: TAG, type: 'ISO14443' }]);
    const events = s.sent('TransactionEvent');
    const [first, second] = events;
    const last = events.at(-1);
    expect(events.map((e) => e.seqNo)).to.deep.equal(events.map((_, i) => i));
    expect(new Set(events.map((e) => e.transactionInfo.transactionId)).size).to.equal(1);
    expect([first.eventType, first.triggerReason, first.evse, first.idToken, first.meterValue[0].sampledValue[0].context]).to.deep.equal(['Started', 'Authorized', { id: 1, connectorId: 1 }, { idToken: TAG, type: 'ISO14443' }, 'Transaction.Begin']);
    expect([second.eventType, second.triggerReason]).to.deep.equal(['Updated', 'MeterValuePeriodic']);
    expect(second.meterValue[0].sampledValue.map((v: any) => `${v.measurand}${v.phase ? `/${v.phase}` : ''} ${v.unitOfMeasure.unit}`)).to.deep.equal(['Energy.Active.Import.Register Wh', 'Power.Active.Import W', 'Current.Import/L1 A', 'Current.Import/L2 A', 'Current.Import/L3 A', 'SoC Percent']);
    expect(second.meterValue[0].sampledValue[2].value).to.equal(32);
    expect([last.eventType, last.triggerReason, last.transactionInfo.stoppedReason, last.idToken.idToken]).to.deep.equal(['Ended', 'StopAuthorized', 'Local', TAG]);
    // the register of the End reading, never below the Begin one (a few tenths of a second at 22 kW may not make a whole Wh)
    expect(last.meterValue[0].sampledValue[0]).to.include({ measurand: 'Energy.Active.Import.Register', context: 'Transaction.End' });
    expect(last.meterValue[0].sampledValue[0].value).to.be.at.least(first.meterValue[0].sampledValue[0].value);
    expect([summary.sessionsStarted, summary.sessionsStopped]).to.deep.equal([1, 1]);
  });

  it('F01-F03: should start on RequestStartTransaction (remoteStartId echoed, idToken Central) and stop on RequestStopTransaction', async () => {
    const s = await aStation();
    const start = await s.call('RequestStartTransaction', { idToken: { idToken: TAG, type: 'Central' }, remoteStartId: 4242, evseId: 1 });
    await eventually(async () => s.sent('TransactionEvent').length >= 2, 'the transaction to run');
    const started = s.sent('TransactionEvent')[0];
    const unknownStop = await s.call('RequestStopTransaction', { transactionId: 'not-mine' });
    const stop = await s.call('RequestStopTransaction', { transactionId: started.transactionInfo.transactionId });
    await eventually(async () => s.sent('TransactionEvent').some((e) => e.eventType === 'Ended'), 'the Ended event');
    await s.finish();
    const ended = s.sent('TransactionEvent').find((e) => e.eventType === 'Ended');
    expect([start.status, unknownStop.status, stop.status]).to.deep.equal(['Accepted', 'Rejected', 'Accepted']);
    expect([started.triggerReason, started.transactionInfo.remoteStartId, started.idToken.type]).to.deep.equal(['RemoteStart', 4242, 'Central']);
    expect([ended.triggerReason, ended.transactionInfo.stoppedReason, ended.transactionInfo.remoteStartId]).to.deep.equal(['RemoteStop', 'Remote', 4242]);
  });

  it('E12: should keep the transaction events while offline and replay them in order, marked offline, after the reconnect', async () => {
    // Arrange: a running transaction
    const s = await aStation();
    await s.charger.startSession(1, TAG, EV_32A);
    await eventually(async () => s.sent('TransactionEvent').length >= 2, 'an Updated event online');
    const online = s.sent('TransactionEvent').length;

    // Act: the connection is lost and the CSMS is unreachable for a while; the driver stops meanwhile
    s.server.refusing = true;
    for (const ws of await Promise.all([s.server.socket()])) ws.terminate();
    await eventually(async () => s.charger.station.queued >= 3, 'three events queued while offline');
    await s.charger.stopSession(1);
    s.server.refusing = false;
    await eventually(async () => s.sent('TransactionEvent').some((e) => e.eventType === 'Ended'), 'the replayed Ended event', 10_000);
    const summary = await s.finish(/cannot connect: handshake refused: HTTP 401/);

    // Assert: nothing lost, in order, the replayed ones marked offline (a call lost with the socket may come twice)
    const bySeq = new Map(s.sent('TransactionEvent').map((e) => [e.seqNo, e]));
    const events = [...bySeq.values()];
    expect(events.map((e) => e.seqNo)).to.deep.equal(events.map((_, i) => i));
    expect(events.slice(online).every((e) => e.offline === true)).to.equal(true);
    expect(events.slice(0, online - 1).some((e) => e.offline)).to.equal(false);
    expect(events.at(-1).transactionInfo.stoppedReason).to.equal('Local');
    expect(summary.replayed).to.be.at.least(3);
  });

  it('B05-B07, A01: should read and set its device model, report it in NotifyReport pages, and reconnect with a new BasicAuthPassword', async () => {
    // Arrange
    const s = await aStation();
    const v = (component: string, variable: string, instance?: string) => ({ component: { name: component }, variable: { name: variable, ...(instance ? { instance } : {}) } });

    // Act
    const get = await s.call('GetVariables', { getVariableData: [v('OCPPCommCtrlr', 'HeartbeatInterval'), v('SecurityCtrlr', 'BasicAuthPassword'), v('SecurityCtrlr', 'SecurityProfile'), v('NoSuchCtrlr', 'X'), v('OCPPCommCtrlr', 'NoSuchVariable'), { ...v('OCPPCommCtrlr', 'HeartbeatInterval'), attributeType: 'Target' }] });
    const set = await s.call('SetVariables', { setVariableData: [{ ...v('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: '60' }, { ...v('SecurityCtrlr', 'SecurityProfile'), attributeValue: '2' }, { ...v('SampledDataCtrlr', 'TxUpdatedMeasurands'), attributeValue: 'Bogus' }] });
    const report = await s.call('GetBaseReport', { requestId: 7, reportBase: 'FullInventory' });
    const summaryReport = await s.call('GetBaseReport', { requestId: 8, reportBase: 'SummaryInventory' });
    await eventually(async () => s.sent('NotifyReport').some((r) => !r.tbc), 'the last NotifyReport');
    const password = await s.call('SetVariables', { setVariableData: [{ ...v('SecurityCtrlr', 'BasicAuthPassword'), attributeValue: 'a-brand-new-password-1' }] });
    await eventually(async () => s.server.request?.headers.authorization === `Basic ${Buffer.from(`${s.charger.id}:a-brand-new-password-1`).toString('base64')}`, 'a connection with the new password');
    await eventually(async () => s.charger.station.isOnline, 'online again');
    await s.finish();

    // Assert
    expect(get.getVariableResult.map((r: any) => r.attributeValue ?? r.attributeStatus)).to.deep.equal(['300', 'Rejected', '1', 'UnknownComponent', 'UnknownVariable', 'NotSupportedAttributeType']);
    expect(set.setVariableResult.map((r: any) => r.attributeStatus)).to.deep.equal(['Accepted', 'Rejected', 'Rejected']);
    expect([report.status, summaryReport.status, password.setVariableResult[0].attributeStatus]).to.deep.equal(['Accepted', 'NotSupported', 'Accepted']);
    const pages = s.sent('NotifyReport');
    expect(pages.map((p) => [p.requestId, p.seqNo, p.tbc])).to.deep.equal([[7, 0, true], [7, 1, true], [7, 2, false]]);
    const items = pages.flatMap((p) => p.reportData);
    const heartbeat = items.find((i) => i.variable.name === 'HeartbeatInterval');
    expect(heartbeat.variableAttribute).to.deep.equal([{ type: 'Actual', mutability: 'ReadWrite', persistent: true, constant: false, value: '60' }]);
    expect(items.find((i) => i.variable.name === 'BasicAuthPassword').variableAttribute[0]).to.not.have.property('value');
  });

  it('K01, K08-K10: should charge within a TxProfile, compose its schedule, report and clear its profiles, and refuse misplaced ones', async () => {
    // Arrange: a transaction at 32 A
    const s = await aStation();
    await s.charger.startSession(1, TAG, EV_32A);
    await eventually(async () => s.sent('TransactionEvent').length >= 2, 'the transaction to run');
    const transactionId = s.sent('TransactionEvent')[0].transactionInfo.transactionId;
    const profile = (o: object) => ({ id: 1, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', transactionId, chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] }], ...o });

    // Act
    const set = await s.call('SetChargingProfile', { evseId: 1, chargingProfile: profile({}) });
    const before = s.sent('TransactionEvent').length;
    await eventually(async () => s.sent('TransactionEvent').length >= before + 2, 'events under the limit');
    const limited = s.sent('TransactionEvent').slice(before + 1).map((e) => e.meterValue?.[0].sampledValue.find((x: any) => x.measurand === 'Current.Import')?.value);
    const composite = await s.call('GetCompositeSchedule', { evseId: 1, duration: 600, chargingRateUnit: 'A' });
    const getProfiles = await s.call('GetChargingProfiles', { requestId: 3, chargingProfile: { chargingProfilePurpose: 'TxProfile' } });
    await eventually(async () => s.sent('ReportChargingProfiles').length === 1, 'the profile report');
    const none = await s.call('GetChargingProfiles', { requestId: 4, chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile' } });
    const stationMaxOnEvse = await s.call('SetChargingProfile', { evseId: 1, chargingProfile: profile({ id: 2, chargingProfilePurpose: 'ChargingStationMaxProfile', chargingProfileKind: 'Absolute', transactionId: undefined }) });
    const external = await s.call('SetChargingProfile', { evseId: 0, chargingProfile: profile({ id: 3, chargingProfilePurpose: 'ChargingStationExternalConstraints', chargingProfileKind: 'Absolute', transactionId: undefined }) });
    const clear = await s.call('ClearChargingProfile', { chargingProfileId: 1 });
    const clearAgain = await s.call('ClearChargingProfile', { chargingProfileId: 1 });
    await s.finish();

    // Assert
    expect(set.status).to.equal('Accepted');
    expect(limited.filter((a) => a !== undefined).every((a) => a === 10)).to.equal(true);
    expect([composite.status, composite.schedule.evseId, composite.schedule.chargingSchedulePeriod]).to.deep.equal(['Accepted', 1, [{ startPeriod: 0, limit: 10 }]]);
    const [report] = s.sent('ReportChargingProfiles');
    expect([getProfiles.status, none.status, report.requestId, report.evseId, report.tbc]).to.deep.equal(['Accepted', 'NoProfiles', 3, 1, false]);
    expect(report.chargingProfile).to.deep.equal([{ id: 1, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', transactionId, chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] }] }]);
    expect([stationMaxOnEvse.status, external.status, clear.status, clearAgain.status]).to.deep.equal(['Rejected', 'Rejected', 'Accepted', 'Unknown']);
  });

  it('H01-H04: should hold a reservation (Reserved), cancel it, and report one that expired in ReservationStatusUpdate', async () => {
    const s = await aStation();
    const soon = (ms: number) => new Date(Date.now() + ms).toISOString();
    const reserve = await s.call('ReserveNow', { id: 5, expiryDateTime: soon(60_000), idToken: { idToken: TAG, type: 'ISO14443' }, evseId: 1 });
    await eventually(async () => s.sent('StatusNotification').some((x) => x.connectorStatus === 'Reserved'), 'the EVSE Reserved');
    const cancel = await s.call('CancelReservation', { reservationId: 5 });
    const cancelAgain = await s.call('CancelReservation', { reservationId: 5 });
    const short = await s.call('ReserveNow', { id: 6, expiryDateTime: soon(200), idToken: { idToken: TAG, type: 'ISO14443' } });
    await eventually(async () => s.sent('ReservationStatusUpdate').length === 1, 'the expiry notice');
    await s.finish();
    expect([reserve.status, cancel.status, cancelAgain.status, short.status]).to.deep.equal(['Accepted', 'Accepted', 'Rejected', 'Accepted']);
    expect(s.sent('ReservationStatusUpdate')).to.deep.equal([{ reservationId: 6, reservationUpdateStatus: 'Expired' }]);
    expect(s.sent('StatusNotification').map((x) => x.connectorStatus)).to.deep.equal(['Available', 'Reserved', 'Available', 'Reserved', 'Available']);
  });

  it('B11/B12, G03, F05, F06, D01/D02, C11, I02, P01: should answer the other requests as a station does', async () => {
    // Arrange
    const s = await aStation({ connectors: 2 });

    // Act
    const answers = {
      unavailable: await s.call('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } }),
      unlock: await s.call('UnlockConnector', { evseId: 1, connectorId: 1 }),
      unlockUnknown: await s.call('UnlockConnector', { evseId: 9, connectorId: 1 }),
      trigger: await s.call('TriggerMessage', { requestedMessage: 'Heartbeat' }),
      triggerUnknown: await s.call('TriggerMessage', { requestedMessage: 'SignV2GCertificate' }),
      localList: await s.call('SendLocalList', { versionNumber: 3, updateType: 'Full', localAuthorizationList: [{ idToken: { idToken: TAG, type: 'Central' }, idTokenInfo: { status: 'Accepted' } }] }),
      listVersion: await s.call('GetLocalListVersion', {}),
      clearCache: await s.call('ClearCache', {}),
      dataTransfer: await s.call('DataTransfer', { vendorId: 'com.example' }),
      costUpdated: await s.call('CostUpdated', { totalCost: 1.25, transactionId: 'any' }),
      badFrame: await s.call(42 as never, {}),
      evseReset: await s.call('Reset', { type: 'Immediate', evseId: 1 }),
    };
    await s.charger.startSession(1, TAG, EV_32A);
    await eventually(async () => s.sent('TransactionEvent').length >= 1, 'a transaction');
    const onIdle = await s.call('Reset', { type: 'OnIdle' });
    const unlockBusy = await s.call('UnlockConnector', { evseId: 1, connectorId: 1 });
    await s.charger.stopSession(1);
    await eventually(async () => s.sent('BootNotification').length === 2, 'the reboot once idle');
    await s.charger.whenOnline();
    await s.charger.startSession(1, TAG, EV_32A);
    await eventually(async () => s.sent('TransactionEvent').filter((e) => e.eventType === 'Started').length === 2, 'a second transaction');
    const immediate = await s.call('Reset', { type: 'Immediate' });
    await eventually(async () => s.sent('BootNotification').length === 3, 'the immediate reboot');
    await s.finish();

    // Assert
    expect(Object.fromEntries(Object.entries(answers).map(([k, a]) => [k, a.status ?? a.versionNumber ?? a.error ?? JSON.stringify(a)]))).to.deep.equal({
      unavailable: 'Accepted', unlock: 'Unlocked', unlockUnknown: 'UnknownConnector', trigger: 'Accepted', triggerUnknown: 'NotImplemented',
      localList: 'Accepted', listVersion: 3, clearCache: 'Accepted', dataTransfer: 'UnknownVendorId', costUpdated: '{}', badFrame: 'FormatViolation', evseReset: 'Rejected',
    });
    expect(s.sent('StatusNotification').some((x) => x.evseId === 2 && x.connectorStatus === 'Unavailable')).to.equal(true);
    expect(s.sent('Heartbeat')).to.have.length.at.least(1);
    expect([onIdle.status, unlockBusy.status, immediate.status]).to.deep.equal(['Scheduled', 'OngoingAuthorizedTransaction', 'Accepted']);
    expect(s.sent('BootNotification').map((b) => b.reason)).to.deep.equal(['PowerUp', 'RemoteReset', 'RemoteReset']);
    const ended = s.sent('TransactionEvent').filter((e) => e.eventType === 'Ended').map((e) => [e.triggerReason, e.transactionInfo.stoppedReason]);
    expect(ended).to.deep.equal([['StopAuthorized', 'Local'], ['ResetCommand', 'ImmediateReset']]);
  });
});
