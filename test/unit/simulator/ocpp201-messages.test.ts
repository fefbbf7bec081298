import { expect } from 'chai';
import { createOcppValidator } from '../../../src/ocpp/validate.ts';
import type { ConnectorView, MeterSample } from '../../../src/simulator/model/types.ts';
import { chargingState201, compositeResponse201, connectorStatus201, endedReasons, fromProfile201, meterValue201, toIdTagInfo201, toProfile201 } from '../../../src/simulator/ocpp201/messages.ts';

// The server's validator plays the official 2.0.1 schemas here: what the simulator sends must pass them.
const ocpp = createOcppValidator('ocpp2.0.1');
const view = (o: Partial<ConnectorView>): ConnectorView => ({ id: 1, operative: true, faulted: false, evPlugged: false, awaitingPlug: false, reserved: false, finishing: false, currentA: 0, phases: 0, powerW: 0, energyWh: 0, ...o });
const tx = { ref: 'r', connectorId: 1, idTag: 'T', startedAt: 0, meterStartWh: 0 };

describe('simulator/ocpp201/messages', () => {
  it('OCPP 2.0.1 G01: should report a plugged cable or a transaction as Occupied (2.0.1 has no Preparing/Finishing)', () => {
    const cases: Array<[Partial<ConnectorView>, string]> = [
      [{}, 'Available'],
      [{ awaitingPlug: true }, 'Available'],
      [{ evPlugged: true }, 'Occupied'],
      [{ evPlugged: true, tx, chargingState: 'SuspendedEVSE' }, 'Occupied'],
      [{ evPlugged: true, finishing: true }, 'Occupied'],
      [{ reserved: true }, 'Reserved'],
      [{ operative: false }, 'Unavailable'],
      [{ faulted: true, evPlugged: true }, 'Faulted'],
    ];
    expect(cases.map(([v]) => connectorStatus201(view(v)))).to.deep.equal(cases.map(([, s]) => s));
    expect([chargingState201(view({ evPlugged: true })), chargingState201(view({ tx, chargingState: 'SuspendedEV' })), chargingState201(view({}))]).to.deep.equal(['EVConnected', 'SuspendedEV', 'Idle']);
  });

  it('OCPP 2.0.1 E01: should give meter values as numbers with a unitOfMeasure, per phase, valid in a TransactionEvent', () => {
    // Arrange
    const sample: MeterSample = { at: Date.parse('2026-03-02T08:00:00Z'), energyWh: 12_345, powerW: 3680.4, currentsA: [16, 0, 0], voltageV: 230, socPct: 55.7, context: 'Sample.Periodic' };
    // Act
    const mv = meterValue201(sample, ['Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import', 'SoC']);
    // Assert
    expect(mv.sampledValue.map((v) => [v.measurand, v.phase ?? '', v.value, v.unitOfMeasure?.unit, v.location])).to.deep.equal([
      ['Energy.Active.Import.Register', '', 12345, 'Wh', 'Outlet'],
      ['Power.Active.Import', '', 3680, 'W', 'Outlet'],
      ['Current.Import', 'L1', 16, 'A', 'Outlet'],
      ['Current.Import', 'L2', 0, 'A', 'Outlet'],
      ['Current.Import', 'L3', 0, 'A', 'Outlet'],
      ['SoC', '', 55, 'Percent', 'EV'],
    ]);
    const event = { eventType: 'Updated', timestamp: mv.timestamp, triggerReason: 'MeterValuePeriodic', seqNo: 1, transactionInfo: { transactionId: 'abc' }, meterValue: [mv] };
    expect(() => ocpp.check('TransactionEvent', 'req', event)).not.to.throw();
    expect(meterValue201(sample, []).sampledValue.map((v) => v.measurand)).to.deep.equal(['Energy.Active.Import.Register']);
  });

  it('OCPP 2.0.1 E06: should name the stop reason and trigger of an Ended event the 2.0.1 way', () => {
    expect(['Local', 'Remote', 'EVDisconnected', 'HardReset', 'DeAuthorized', 'UnlockCommand'].map((r) => endedReasons(r as never))).to.deep.equal([
      { stoppedReason: 'Local', triggerReason: 'StopAuthorized' },
      { stoppedReason: 'Remote', triggerReason: 'RemoteStop' },
      { stoppedReason: 'EVDisconnected', triggerReason: 'EVCommunicationLost' },
      { stoppedReason: 'ImmediateReset', triggerReason: 'ResetCommand' },
      { stoppedReason: 'DeAuthorized', triggerReason: 'Deauthorized' },
      { stoppedReason: 'Other', triggerReason: 'UnlockCommand' },
    ]);
  });

  it('OCPP 2.0.1 C01: should read the 2.0.1 authorization statuses 1.6 does not know as Invalid', () => {
    expect([toIdTagInfo201({ status: 'Accepted', groupIdToken: { idToken: 'G', type: 'Central' }, cacheExpiryDateTime: '2026-01-01T00:00:00Z' }), toIdTagInfo201({ status: 'NoCredit' }), toIdTagInfo201({ status: 'Blocked' })]).to.deep.equal([
      { status: 'Accepted', parentIdTag: 'G', expiryDate: Date.parse('2026-01-01T00:00:00Z') },
      { status: 'Invalid' },
      { status: 'Blocked' },
    ]);
  });

  it('OCPP 2.0.1 K01/K09: should take a 2.0.1 profile (schedule array, 2.0.1 purposes) into the model and give it back unchanged', () => {
    // Arrange
    const p = { id: 4, stackLevel: 2, chargingProfilePurpose: 'ChargingStationMaxProfile' as const, chargingProfileKind: 'Absolute' as const, validTo: '2026-05-01T00:00:00.000Z', chargingSchedule: [{ id: 4, startSchedule: '2026-04-01T00:00:00.000Z', chargingRateUnit: 'W' as const, chargingSchedulePeriod: [{ startPeriod: 60, limit: 7000 }, { startPeriod: 0, limit: 11000, numberPhases: 3 }] }] } as const;
    // Act
    const model = toProfile201(0, p as never, undefined, 1000)!;
    const back = fromProfile201(model, undefined);
    // Assert
    expect([model.purpose, model.connectorId, model.schedule.unit, model.schedule.periods.map((x) => x.startPeriod)]).to.deep.equal(['ChargePointMax', 0, 'W', [0, 60]]);
    expect(back).to.deep.equal({ ...p, chargingSchedule: [{ ...p.chargingSchedule[0], chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000, numberPhases: 3 }, { startPeriod: 60, limit: 7000 }] }] });
    expect(() => ocpp.check('ReportChargingProfiles', 'req', { requestId: 1, chargingLimitSource: 'CSO', evseId: 0, chargingProfile: [back] })).not.to.throw();
    expect(toProfile201(0, { ...p, chargingProfilePurpose: 'ChargingStationExternalConstraints' } as never, undefined, 0)).to.equal(undefined);
  });

  it('OCPP 2.0.1 K08: should answer GetCompositeSchedule with the schedule of the EVSE, valid against the schema', () => {
    const conf = compositeResponse201(1, { startSchedule: Date.parse('2026-03-02T08:00:00Z'), durationSec: 600, unit: 'A', periods: [{ startPeriod: 0, limit: 10 }] });
    expect(conf).to.deep.equal({ status: 'Accepted', schedule: { evseId: 1, duration: 600, scheduleStart: '2026-03-02T08:00:00.000Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] } });
    expect(() => ocpp.check('GetCompositeSchedule', 'conf', conf)).not.to.throw();
  });
});
