// OCPP 2.0.1 functional block K: the 1.6 smart-charging commands as 2.0.1 CALLs, and the answers read back as 1.6.
import { expect } from 'chai';
import { sessionIdOf, toOcpp201 } from '../../../src/ocpp/v201/commands.ts';
import { Conflict } from '../../../src/shared/errors.ts';

const txProfile16 = (o: Record<string, unknown> = {}) => ({
  connectorId: 2,
  csChargingProfiles: {
    chargingProfileId: 7, transactionId: 42, stackLevel: 2, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Absolute',
    chargingSchedule: { duration: 600, startSchedule: '2026-12-05T00:00:00.000Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10, numberPhases: 3 }, { startPeriod: 300, limit: 6 }] },
    ...o,
  },
});

describe('unit OCPP 2.0.1 smart-charging adapter', () => {
  it('OCPP201 K01: should send a 1.6 TxProfile as a 2.0.1 TxProfile of EVSE n naming the station transactionId', () => {
    const call = toOcpp201('SetChargingProfile', txProfile16(), { remoteStartId: 1, transactionId: 'tx-abc' });

    expect(call.action).to.equal('SetChargingProfile');
    expect(call.payload).to.deep.equal({
      evseId: 2,
      chargingProfile: {
        id: 7, stackLevel: 2, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Absolute', transactionId: 'tx-abc',
        chargingSchedule: [{ id: 7, duration: 600, startSchedule: '2026-12-05T00:00:00.000Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10, numberPhases: 3 }, { startPeriod: 300, limit: 6 }] }],
      },
    });
    expect(call.answer({ status: 'Rejected', statusInfo: { reasonCode: 'x' } })).to.deep.equal({ status: 'Rejected' });
  });

  it('OCPP201 K01: should rename ChargePointMaxProfile and send a TxDefaultProfile of connector 0 to EVSE 0', () => {
    const max = toOcpp201('SetChargingProfile', { connectorId: 0, csChargingProfiles: { chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }] } } });

    expect(max.payload).to.deep.equal({ evseId: 0, chargingProfile: { id: 1, stackLevel: 0, chargingProfilePurpose: 'ChargingStationMaxProfile', chargingProfileKind: 'Relative', chargingSchedule: [{ id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }] }] } });
  });

  it('OCPP201 K01.FR.03: should refuse with Conflict a TxProfile without a transaction or whose session is not a 2.0.1 transaction', () => {
    expect(() => toOcpp201('SetChargingProfile', txProfile16(), { remoteStartId: 1 })).to.throw(Conflict, /transaction 42/);
    expect(() => toOcpp201('SetChargingProfile', txProfile16({ transactionId: undefined }), { remoteStartId: 1 })).to.throw(Conflict, /K01\.FR\.03/);
  });

  it('should name the session of a RemoteStopTransaction or a profile, and none for other commands', () => {
    expect([sessionIdOf('SetChargingProfile', txProfile16()), sessionIdOf('RemoteStopTransaction', { transactionId: 3 }), sessionIdOf('Reset', { type: 'Hard' })]).to.deep.equal([42, 3, undefined]);
  });

  const cases: Array<{ name: string; action: string; payload: unknown; call: [string, unknown]; answer: unknown; readAs: unknown }> = [
    { name: 'OCPP201 K10: should clear by id alone', action: 'ClearChargingProfile', payload: { id: 2000100000 }, call: ['ClearChargingProfile', { chargingProfileId: 2000100000 }], answer: { status: 'Unknown' }, readAs: { status: 'Unknown' } },
    { name: 'OCPP201 K10: should clear by criteria (connector → evseId, purpose, stackLevel)', action: 'ClearChargingProfile', payload: { connectorId: 1, chargingProfilePurpose: 'ChargePointMaxProfile', stackLevel: 2 }, call: ['ClearChargingProfile', { chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'ChargingStationMaxProfile', stackLevel: 2 } }], answer: { status: 'Accepted' }, readAs: { status: 'Accepted' } },
    {
      name: 'OCPP201 K08: should read a composite schedule back as the 1.6 answer',
      action: 'GetCompositeSchedule', payload: { connectorId: 1, duration: 3600, chargingRateUnit: 'A' }, call: ['GetCompositeSchedule', { evseId: 1, duration: 3600, chargingRateUnit: 'A' }],
      answer: { status: 'Accepted', schedule: { evseId: 1, duration: 3600, scheduleStart: '2026-12-05T01:00:00.000Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 3 }] } },
      readAs: { status: 'Accepted', connectorId: 1, scheduleStart: '2026-12-05T01:00:00.000Z', chargingSchedule: { duration: 3600, startSchedule: '2026-12-05T01:00:00.000Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 3 }] } },
    },
    { name: 'OCPP201 K08: should read a Rejected composite schedule as Rejected', action: 'GetCompositeSchedule', payload: { connectorId: 1, duration: 60 }, call: ['GetCompositeSchedule', { evseId: 1, duration: 60 }], answer: { status: 'Rejected' }, readAs: { status: 'Rejected' } },
    { name: 'should pass GetChargingProfiles (2.0.1 only) unchanged', action: 'GetChargingProfiles', payload: { requestId: 5, chargingProfile: { chargingProfilePurpose: 'TxProfile' } }, call: ['GetChargingProfiles', { requestId: 5, chargingProfile: { chargingProfilePurpose: 'TxProfile' } }], answer: { status: 'NoProfiles' }, readAs: { status: 'NoProfiles' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const t = toOcpp201(c.action, c.payload);

      expect([t.action, t.payload]).to.deep.equal(c.call);
      expect(t.answer(c.answer)).to.deep.equal(c.readAs);
    });
  }
});
