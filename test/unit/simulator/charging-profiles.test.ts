import { expect } from 'chai';
import { clearProfiles, installProfile, limitOf, limitsAt, prevailingLimit, type ChargingProfile } from '../../../src/simulator/model/charging-profiles.ts';
import { ProfileStore } from '../../../src/simulator/model/profile-store.ts';

const T0 = Date.parse('2026-03-02T08:00:00Z');
const min = (m: number) => T0 + m * 60_000;

/** A profile with one period of `limit` A from T0 on, overridable. */
function aProfile(o: Partial<ChargingProfile> & { limit?: number; periods?: ChargingProfile['schedule']['periods'] } = {}): ChargingProfile {
  const { limit = 16, periods, ...rest } = o;
  return { id: 1, connectorId: 1, stackLevel: 0, purpose: 'TxDefault', kind: 'Absolute', installedAt: T0, schedule: { unit: 'A', periods: periods ?? [{ startPeriod: 0, limit }], startSchedule: T0 }, ...rest };
}

describe('simulator/model/charging-profiles', () => {
  describe('limitOf', () => {
    it('OCPP16 ChargingProfileKindType Absolute: should take the last period started at that moment', () => {
      const p = aProfile({ periods: [{ startPeriod: 0, limit: 32 }, { startPeriod: 600, limit: 10 }] });
      expect([limitOf(p, min(-1), T0), limitOf(p, min(5), T0)?.value, limitOf(p, min(10), T0)?.value]).to.deep.equal([undefined, 32, 10]);
    });

    it('OCPP16 ChargingProfileKindType Relative: should start the schedule with the transaction', () => {
      const p = aProfile({ kind: 'Relative', schedule: { unit: 'A', periods: [{ startPeriod: 0, limit: 8 }, { startPeriod: 60, limit: 20 }] } });
      expect([limitOf(p, min(30.5), min(30))?.value, limitOf(p, min(31), min(30))?.value]).to.deep.equal([8, 20]);
    });

    it('OCPP16 ChargingProfileKindType Recurring Daily: should repeat the schedule every day from startSchedule', () => {
      const p = aProfile({ kind: 'Recurring', recurrency: 'Daily', periods: [{ startPeriod: 0, limit: 6 }, { startPeriod: 3600, limit: 32 }] });
      const nextDay = T0 + 86_400_000;
      expect([limitOf(p, nextDay + 60_000, T0)?.value, limitOf(p, nextDay + 2 * 3_600_000, T0)?.value]).to.deep.equal([6, 32]);
    });

    it('OCPP16 ChargingProfile: should apply only between validFrom and validTo, and not after the schedule duration', () => {
      const p = aProfile({ validFrom: min(10), validTo: min(20) });
      const short = aProfile({ schedule: { unit: 'A', periods: [{ startPeriod: 0, limit: 16 }], startSchedule: T0, durationSec: 300 } });
      expect([limitOf(p, min(5), T0), limitOf(p, min(15), T0)?.value, limitOf(p, min(20), T0), limitOf(short, min(4), T0)?.value, limitOf(short, min(5), T0)]).to.deep.equal([undefined, 16, undefined, 16, undefined]);
    });
  });

  describe('stacking (OCPP 1.6 §3.13.2)', () => {
    it('should let the highest stackLevel prevail, and the next lower one apply once its duration has elapsed', () => {
      const base = aProfile({ id: 1, stackLevel: 0, limit: 32 });
      const holiday = aProfile({ id: 2, stackLevel: 1, limit: 10, schedule: { unit: 'A', periods: [{ startPeriod: 0, limit: 10 }], startSchedule: T0, durationSec: 3600 } });
      expect([prevailingLimit([holiday, base], min(30), T0)?.value, prevailingLimit([holiday, base], min(61), T0)?.value]).to.deep.equal([10, 32]);
    });

    it('OCPP16 §3.13.1: should let a TxProfile of the transaction overrule the TxDefaultProfiles, and a connector default overrule connector 0', () => {
      const onZero = aProfile({ id: 1, connectorId: 0, stackLevel: 5, limit: 20 });
      const onConnector = aProfile({ id: 2, connectorId: 1, stackLevel: 0, limit: 16 });
      const tx = aProfile({ id: 3, purpose: 'Tx', txRef: 'a', limit: 10 });
      const otherTx = aProfile({ id: 4, purpose: 'Tx', txRef: 'b', stackLevel: 3, limit: 6 });
      const cpMax = aProfile({ id: 5, connectorId: 0, purpose: 'ChargePointMax', limit: 40 });
      const all = [onZero, onConnector, tx, otherTx, cpMax];
      expect(limitsAt(all, 1, min(1), { ref: 'a', startedAt: T0 })).to.deep.equal({ chargePointMax: { value: 40, unit: 'A' }, tx: { value: 10, unit: 'A' } });
      expect(limitsAt([onZero, onConnector], 1, min(1), { ref: 'c', startedAt: T0 }).tx?.value).to.equal(16);
      expect(limitsAt([onZero, onConnector], 2, min(1), { ref: 'c', startedAt: T0 }).tx?.value).to.equal(20);
    });
  });

  describe('installing and clearing', () => {
    it('OCPP16 §5.16: should replace a profile with the same id, or the same purpose, stackLevel and connector', () => {
      const a = aProfile({ id: 1, stackLevel: 0, limit: 10 });
      const b = aProfile({ id: 2, stackLevel: 1, limit: 12 });
      const sameId = aProfile({ id: 1, stackLevel: 3, limit: 14 });
      const sameLevel = aProfile({ id: 9, stackLevel: 1, limit: 16 });
      expect(installProfile(installProfile([a, b], sameId), sameLevel).map((p) => p.id)).to.deep.equal([1, 9]);
    });

    it('OCPP16 §5.5: should clear by id, or by every criterion given', () => {
      const profiles = [aProfile({ id: 1 }), aProfile({ id: 2, connectorId: 2 }), aProfile({ id: 3, connectorId: 2, purpose: 'Tx', stackLevel: 2 })];
      expect(clearProfiles(profiles, { id: 2 }).kept.map((p) => p.id)).to.deep.equal([1, 3]);
      expect(clearProfiles(profiles, { connectorId: 2, purpose: 'Tx' }).kept.map((p) => p.id)).to.deep.equal([1, 2]);
      expect(clearProfiles(profiles, { stackLevel: 7 }).cleared).to.equal(0);
    });

    it('OCPP16 §5.16: should refuse a TxProfile without a running transaction, a ChargePointMaxProfile off connector 0, a too high stackLevel', () => {
      const store = new ProfileStore(2, 8, 32);
      expect(store.set(aProfile({ purpose: 'Tx' }), undefined)).to.equal('Rejected');
      expect(store.set(aProfile({ purpose: 'Tx', txRef: 'other' }), 'running')).to.equal('Rejected');
      expect(store.set(aProfile({ purpose: 'ChargePointMax', connectorId: 1 }), undefined)).to.equal('Rejected');
      expect(store.set(aProfile({ stackLevel: 9 }), undefined)).to.equal('Rejected');
      expect(store.set(aProfile({ connectorId: 3 }), undefined)).to.equal('Rejected');
      expect(store.set(aProfile({ purpose: 'Tx' }), 'running')).to.equal('Accepted');
      expect(store.profiles.map((p) => p.txRef)).to.deep.equal(['running']);
    });

    it('OCPP16 §3.13.1: should drop the TxProfile when its transaction ends', () => {
      const store = new ProfileStore(1, 8, 32);
      store.set(aProfile({ id: 1, purpose: 'Tx' }), 'tx-1');
      store.set(aProfile({ id: 2 }), undefined);
      store.transactionEnded('tx-1');
      expect(store.profiles.map((p) => p.id)).to.deep.equal([2]);
    });
  });
});
