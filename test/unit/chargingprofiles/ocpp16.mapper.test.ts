import { expect } from 'chai';
import {
  changedProfileScope,
  maxRateOf,
  toActiveChargingProfileResult,
  toChargingProfileResult,
  toClearProfileResult,
  toOcppTxProfile,
} from '../../../src/chargingprofiles/ocpp16.mapper.ts';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { createOcppValidator } from '../../../src/ocpp/validate.ts';

const ids = { chargingProfileId: 7, transactionId: 42, stackLevel: 1 };
const ocpp = createOcppValidator('ocpp1.6');
const now = new Date('2026-03-01T10:00:00.000Z');

describe('chargingprofiles/ocpp16.mapper', () => {
  describe('toOcppTxProfile', () => {
    it('OCPI 2.2.1 §14.6.3: should make a relative TxProfile of a profile without start_date_time', () => {
      // Arrange
      const profile = { charging_rate_unit: 'A' as const, min_charging_rate: 6.04, charging_profile_period: [{ start_period: 900, limit: 8.1 }, { start_period: 0, limit: 16 }] };
      // Act
      const out = toOcppTxProfile(profile, ids);
      // Assert
      expect(out).to.deep.equal({
        ok: true,
        value: {
          chargingProfileId: 7,
          transactionId: 42,
          stackLevel: 1,
          chargingProfilePurpose: 'TxProfile',
          chargingProfileKind: 'Relative',
          chargingSchedule: { chargingRateUnit: 'A', minChargingRate: 6, chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }, { startPeriod: 900, limit: 8.1 }] },
        },
      });
      expect(() => ocpp.check('SetChargingProfile', 'req', { connectorId: 1, csChargingProfiles: (out as { value: unknown }).value })).not.to.throw();
    });

    it('OCPI 2.2.1 §14.6.3: should make an absolute TxProfile with duration of a profile with start_date_time', () => {
      const profile = { start_date_time: '2026-03-01T10:00:00Z', duration: 3600, charging_rate_unit: 'W' as const, charging_profile_period: [{ start_period: 0, limit: 11000 }] };
      const out = toOcppTxProfile(profile, ids);
      expect(out.ok && out.value.chargingProfileKind).to.equal('Absolute');
      expect(out.ok && out.value.chargingSchedule).to.deep.equal({
        chargingRateUnit: 'W',
        duration: 3600,
        startSchedule: '2026-03-01T10:00:00.000Z',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }],
      });
    });

    const refusals = [
      { name: 'no periods', periods: [] },
      { name: 'a first period after 0', periods: [{ start_period: 60, limit: 10 }] },
      { name: 'a negative limit', periods: [{ start_period: 0, limit: -1 }] },
      { name: 'two periods starting together', periods: [{ start_period: 0, limit: 10 }, { start_period: 0, limit: 12 }] },
    ];
    for (const c of refusals) {
      it(`OCPP16 §7.15: should refuse a profile with ${c.name}`, () => {
        expect(toOcppTxProfile({ charging_rate_unit: 'A', charging_profile_period: c.periods }, ids).ok).to.equal(false);
      });
    }
  });

  describe('toActiveChargingProfileResult', () => {
    const ctx = { now, duration: 900, maxRate: { unit: 'A' as const, limit: 32 } };

    it('OCPI 2.2.1 §14.6.1: should turn a composite schedule into an ActiveChargingProfile', () => {
      // Arrange
      const conf = {
        status: 'Accepted' as const,
        connectorId: 1,
        scheduleStart: '2026-03-01T10:00:05+00:00',
        chargingSchedule: { duration: 900, startSchedule: '2026-03-01T10:00:05Z', chargingRateUnit: 'A' as const, minChargingRate: 6, chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }, { startPeriod: 300, limit: 7.1 }] },
      };
      // Act
      const result = toActiveChargingProfileResult(conf, ctx);
      // Assert
      expect(result).to.deep.equal({
        result: 'ACCEPTED',
        profile: {
          start_date_time: '2026-03-01T10:00:05.000Z',
          charging_profile: {
            start_date_time: '2026-03-01T10:00:05.000Z',
            duration: 900,
            charging_rate_unit: 'A',
            min_charging_rate: 6,
            charging_profile_period: [{ start_period: 0, limit: 16 }, { start_period: 300, limit: 7.1 }],
          },
        },
      });
      expect(validateOcpi('ActiveChargingProfileResult', result, { strict: true })).to.deep.equal({ ok: true });
    });

    it('OCPI 2.2.1 chargingprofiles: should show the maximum capacity when no profile is active', () => {
      const result = toActiveChargingProfileResult({ status: 'Accepted' }, ctx);
      expect(result).to.deep.equal({
        result: 'ACCEPTED',
        profile: { start_date_time: '2026-03-01T10:00:00.000Z', charging_profile: { charging_rate_unit: 'A', duration: 900, charging_profile_period: [{ start_period: 0, limit: 32 }] } },
      });
      expect(validateOcpi('ActiveChargingProfileResult', result, { strict: true })).to.deep.equal({ ok: true });
    });

    it('should report REJECTED without a profile when the charger rejects', () => {
      expect(toActiveChargingProfileResult({ status: 'Rejected' }, ctx)).to.deep.equal({ result: 'REJECTED' });
    });
  });

  describe('result tables', () => {
    it('OCPP16 §7.33: should map SetChargingProfile statuses', () => {
      expect(['Accepted', 'Rejected', 'NotSupported'].map((s) => toChargingProfileResult(s as never).result)).to.deep.equal(['ACCEPTED', 'REJECTED', 'REJECTED']);
    });

    it('OCPP16 §7.10: should map ClearChargingProfile Unknown to UNKNOWN', () => {
      expect(toClearProfileResult('Accepted')).to.deep.equal({ result: 'ACCEPTED' });
      expect(toClearProfileResult('Unknown')).to.deep.equal({ result: 'UNKNOWN' });
      expect(validateOcpi('ClearProfileResult', toClearProfileResult('Unknown'), { strict: true })).to.deep.equal({ ok: true });
    });

    it('should rate AC connectors in amperes and DC connectors in watts', () => {
      expect(maxRateOf({ powerType: 'AC_3_PHASE', maxVoltage: 230, maxAmperage: 32, maxElectricPower: 22000 })).to.deep.equal({ unit: 'A', limit: 32 });
      expect(maxRateOf({ powerType: 'DC', maxVoltage: 500, maxAmperage: 100, maxElectricPower: null })).to.deep.equal({ unit: 'W', limit: 50000 });
    });

    it('should convert the maximum rate to the unit asked for', () => {
      expect(maxRateOf({ powerType: 'AC_3_PHASE', maxVoltage: 230, maxAmperage: 16, maxElectricPower: null }, 'W')).to.deep.equal({ unit: 'W', limit: 11040 });
      expect(maxRateOf({ powerType: 'DC', maxVoltage: 400, maxAmperage: 125, maxElectricPower: 50000 }, 'A')).to.deep.equal({ unit: 'A', limit: 125 });
    });
  });

  describe('changedProfileScope', () => {
    const schedule = { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] };
    const aProfile = (purpose: string, o: Record<string, unknown> = {}) => ({ chargingProfileId: 9, stackLevel: 0, chargingProfilePurpose: purpose, chargingProfileKind: 'Relative', chargingSchedule: schedule, ...o });
    const accepted = { status: 'Accepted' };
    const cases = [
      { name: 'OCPP16 §3.13.1: should scope a connector profile to its connector', action: 'SetChargingProfile', request: { connectorId: 2, csChargingProfiles: aProfile('TxDefaultProfile') }, response: accepted, scope: { connectorNumber: 2 } },
      { name: 'OCPP16 §3.13.1: should scope a connector-0 profile to the whole charge point', action: 'SetChargingProfile', request: { connectorId: 0, csChargingProfiles: aProfile('ChargePointMaxProfile') }, response: accepted, scope: {} },
      { name: 'OCPP16 §3.13.1: should scope a TxProfile to its transaction', action: 'SetChargingProfile', request: { connectorId: 1, csChargingProfiles: aProfile('TxProfile', { transactionId: 42 }) }, response: accepted, scope: { connectorNumber: 1, transactionId: 42 } },
      { name: 'should see no change in a rejected SetChargingProfile', action: 'SetChargingProfile', request: { connectorId: 1, csChargingProfiles: aProfile('TxDefaultProfile') }, response: { status: 'Rejected' }, scope: undefined },
      { name: 'OCPP16 §5.5: should scope a clear of one connector to it', action: 'ClearChargingProfile', request: { connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile' }, response: accepted, scope: { connectorNumber: 1 } },
      { name: 'OCPP16 §5.5: should scope a clear by id to every connector', action: 'ClearChargingProfile', request: { id: 9, connectorId: 1 }, response: accepted, scope: {} },
      { name: 'OCPP16 §5.5: should scope a clear without connectorId to every connector', action: 'ClearChargingProfile', request: { stackLevel: 0 }, response: accepted, scope: {} },
      { name: 'should see no change in a clear the charger answered Unknown', action: 'ClearChargingProfile', request: {}, response: { status: 'Unknown' }, scope: undefined },
      { name: 'should see no change in other commands', action: 'GetCompositeSchedule', request: { connectorId: 1, duration: 60 }, response: accepted, scope: undefined },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(() => ocpp.check(c.action, 'req', c.request)).not.to.throw();
        expect(changedProfileScope({ action: c.action, request: c.request, response: c.response })).to.deep.equal(c.scope);
      });
    }
  });
});
