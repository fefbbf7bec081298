import { expect } from 'chai';
import { isScheduleChanged, LOAD_STACK_LEVEL, overDrawn, planSends, safeShareA, safeShares, TX_PROFILE_ID_BASE, txDefaultProfileOf, txProfileOf } from '../../../src/loadmgmt/profile-plan.ts';
import type { AllocationInput, SessionDemand, SessionSchedule } from '../../../src/loadmgmt/allocation.types.ts';
import type { AppliedAllocation, ChargerMembership, LoadGroup } from '../../../src/loadmgmt/load.types.ts';

const NOW = Date.parse('2026-12-05T10:00:00Z');
const HOUR = 3_600_000;

const aSchedule = (o: Partial<SessionSchedule> = {}): SessionSchedule => ({ sessionId: '7', limitA: 10, periods: [{ startsAt: NOW, limitA: 10 }], phases: 3, deadlineMissed: false, ...o });
const anApplied = (o: Partial<AppliedAllocation> = {}): AppliedAllocation => ({ sessionId: 7, chargePointId: 'CP1', connectorNumber: 1, limitA: 10, periods: [{ startsAt: NOW - 60_000, limitA: 10 }], phases: 3, status: 'Accepted', uncontrolled: false, sentAt: new Date(NOW - 60_000), ...o });
const aDemand = (id: string, o: Partial<SessionDemand> = {}): SessionDemand => ({
  sessionId: id, chargePointId: `CP${id}`, nodeId: '1', phaseRotation: ['L1', 'L2', 'L3'], chargerPhases: 3, vehiclePhases: 3, maxCurrentA: 32, minCurrentA: 6, uncontrolled: false, priority: 0, voltage: 230, startedAt: NOW, ...o,
});
const anInput = (sessions: SessionDemand[]): AllocationInput => ({ now: NOW, horizonSec: 86_400, stepSec: 900, nodes: [], sessions, prices: [] });

describe('loadmgmt profile plan', () => {
  it('OCPP16 §5.16 SetChargingProfile: should send a session\'s schedule as an Absolute TxProfile in A above the eMSPs\' level', () => {
    const s = aSchedule({ periods: [{ startsAt: NOW, limitA: 16 }, { startsAt: NOW + HOUR, limitA: 8 }] });

    const req = txProfileOf(s, { transactionId: 42, connectorNumber: 2, now: NOW, horizonSec: 86_400, maxPeriods: 24 });

    expect(req).to.deep.equal({
      connectorId: 2,
      csChargingProfiles: {
        chargingProfileId: TX_PROFILE_ID_BASE + 2, transactionId: 42, stackLevel: LOAD_STACK_LEVEL, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Absolute',
        chargingSchedule: { duration: 86_400, startSchedule: '2026-12-05T10:00:00.000Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 3 }, { startPeriod: 3600, limit: 8, numberPhases: 3 }] },
      },
    });
  });

  it('should cut a schedule longer than the charger takes at its last period sent, never stretching a higher limit', () => {
    const s = aSchedule({ periods: [{ startsAt: NOW, limitA: 16 }, { startsAt: NOW + HOUR, limitA: 20 }, { startsAt: NOW + 2 * HOUR, limitA: 6 }] });

    const sched = txProfileOf(s, { transactionId: 1, connectorNumber: 1, now: NOW, horizonSec: 86_400, maxPeriods: 2 }).csChargingProfiles.chargingSchedule;

    expect(sched.chargingSchedulePeriod).to.have.length(2);
    expect(sched.duration).to.equal(7200);
  });

  it('should give each charger a charger-wide TxDefaultProfile', () => {
    const p = txDefaultProfileOf(6).csChargingProfiles;

    expect([txDefaultProfileOf(6).connectorId, p.chargingProfilePurpose, p.chargingSchedule.chargingSchedulePeriod]).to.deep.equal([0, 'TxDefaultProfile', [{ startPeriod: 0, limit: 6 }]]);
  });

  it('should send only when the limit now, the phases or a later period changed', () => {
    expect(isScheduleChanged(aSchedule(), anApplied())).to.equal(false);
    expect(isScheduleChanged(aSchedule({ limitA: 12, periods: [{ startsAt: NOW, limitA: 12 }] }), anApplied())).to.equal(true);
    expect(isScheduleChanged(aSchedule({ phases: 1 }), anApplied())).to.equal(true);
    expect(isScheduleChanged(aSchedule({ periods: [{ startsAt: NOW, limitA: 10 }, { startsAt: NOW + HOUR, limitA: 6 }] }), anApplied())).to.equal(true);
    expect(isScheduleChanged(aSchedule(), anApplied({ status: 'Failed', uncontrolled: true }))).to.equal(true);
    expect(isScheduleChanged(aSchedule(), undefined)).to.equal(true);
  });

  it('should send the reductions before the increases, and nothing to uncontrolled sessions', () => {
    const schedules = [aSchedule({ sessionId: 'up', limitA: 16 }), aSchedule({ sessionId: 'down', limitA: 6 }), aSchedule({ sessionId: 'wild', limitA: 32 }), aSchedule({ sessionId: 'new', limitA: 8 })];
    const applied = new Map([['up', anApplied({ limitA: 10 })], ['down', anApplied({ limitA: 10 })]]);
    const input = anInput([aDemand('up'), aDemand('down'), aDemand('wild', { uncontrolled: true }), aDemand('new', { measuredA: [16, 16, 16] })]);

    const plan = planSends(schedules, input, applied);

    expect(plan.map((p) => [p.schedule.sessionId, p.isReduction])).to.deep.equal([['down', true], ['new', true], ['up', false]]);
  });

  it('should give each charger its guaranteed share of the tightest level, or 0 (pause) under the minimum', () => {
    const none = { L1: 0, L2: 0, L3: 0 };

    expect(safeShareA([{ limitA: 32, unmanagedA: none, chargers: 3 }], 6)).to.equal(10.6);
    expect(safeShareA([{ limitA: 32, unmanagedA: none, chargers: 6 }], 6)).to.equal(0);
    expect(safeShareA([{ limitA: 16, unmanagedA: none, chargers: 1 }, { limitA: 63, unmanagedA: { L1: 20, L2: 0, L3: 0 }, chargers: 4 }], 6)).to.equal(10.7);
  });

  it('should find a node drawing above its plan, or above its limit when the plan is over it', () => {
    const nodes = [{ nodeId: '1', limitA: 32, plannedA: { L1: 20, L2: 20, L3: 20 } }, { nodeId: '2', limitA: 32, plannedA: { L1: 40, L2: 0, L3: 0 } }];
    const measured = new Map([['1', { L1: 23, L2: 21, L3: 0 }], ['2', { L1: 40, L2: 0, L3: 0 }]]);

    expect(overDrawn(nodes, measured, 2)).to.deep.equal([{ nodeId: '1', phase: 'L1', measuredA: 23, plannedA: 20 }, { nodeId: '2', phase: 'L1', measuredA: 40, plannedA: 32 }]);
  });

  it('should hold back what refusing chargers may draw before sharing a group among the others, at every level', () => {
    const group = (id: number, parentId: number | null, maxCurrentA: number): LoadGroup => ({ id, name: `g${id}`, parentId, maxCurrentA, phases: 3, marginA: 0, schedule: [], unmanagedA: null, unmanagedSource: null, unmanagedAt: null, priceCurve: null, maxPowerKw: null, voltage: null, createdAt: new Date(NOW), updatedAt: new Date(NOW) });
    const member = (cp: string, groupId: number, maxCurrentA: number | null = null): ChargerMembership => ({ chargePointId: cp, groupId, phaseRotation: null, phaseRotationSource: null, maxCurrentA, createdAt: new Date(NOW) });
    const tree = [group(1, null, 32), group(2, 1, 100)];

    const shares = safeShares(tree, [member('R', 1, 16), member('A', 1), member('B', 2)], { now: NOW, minCurrentA: 6, refusing: new Set(['R']), defaultMaxCurrentA: 32 });

    expect(Object.fromEntries(shares)).to.deep.equal({ R: 8, A: 8, B: 8 });
  });
});
