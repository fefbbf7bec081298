import { expect } from 'chai';
import { ampsOfPower, buildAllocationInput, currentsOfSamples, toCapacityNode, emspLimitA, measuredLoad, parseConnectorPhaseRotation, phaseRotationOf, toSessionDemand, vehiclePhasesOf, type InputSettings } from '../../../src/loadmgmt/allocation-input.ts';
import type { AppliedAllocation, LoadGroup, LoadSession } from '../../../src/loadmgmt/load.types.ts';

const NOW = Date.parse('2026-12-05T10:00:00Z');
const SETTINGS: InputSettings = { horizonSec: 86_400, stepSec: 900, minCurrentA: 6, defaultMaxCurrentA: 32, voltage: 230 };

const aGroup = (o: Partial<LoadGroup> = {}): LoadGroup => ({ id: 1, name: 'site', parentId: null, maxCurrentA: 32, phases: 3, marginA: 0, schedule: [], unmanagedA: null, unmanagedSource: null, unmanagedAt: null, priceCurve: null, maxPowerKw: null, voltage: null, createdAt: new Date(NOW), updatedAt: new Date(NOW), ...o });
const aLoadSession = (o: Partial<LoadSession> = {}): LoadSession => ({
  sessionId: 7, chargePointId: 'CP1', connectorNumber: 1, groupId: 1, startedAt: new Date(NOW - 3_600_000), energyWh: 5_000, connectorMaxA: 32, powerType: 'AC_3_PHASE',
  membershipMaxA: null, phaseRotation: null, priority: 0, preferences: null, emspProfile: null, measured: null, ...o,
});
const anApplied = (o: Partial<AppliedAllocation> = {}): AppliedAllocation => ({ sessionId: 7, chargePointId: 'CP1', connectorNumber: 1, limitA: 10, periods: [], phases: 3, status: 'Accepted', uncontrolled: false, sentAt: new Date(NOW), ...o });

describe('loadmgmt allocation input', () => {
  it('OCPP16 §9.1 ConnectorPhaseRotation: should read the connector\'s entry, else the charger\'s (connector 0)', () => {
    expect(parseConnectorPhaseRotation('0.RST, 1.STR, 2.TRS', 1)).to.equal('STR');
    expect(parseConnectorPhaseRotation('0.TRS', 2)).to.equal('TRS');
    expect(parseConnectorPhaseRotation('1.NotApplicable', 1)).to.equal(undefined);
    expect(parseConnectorPhaseRotation('garbage', 1)).to.equal(undefined);
  });

  it('should map a rotation to the grid phase of each charger phase (R = L1, S = L2, T = L3), RST when unknown', () => {
    expect(phaseRotationOf('STR')).to.deep.equal(['L2', 'L3', 'L1']);
    expect(phaseRotationOf(null)).to.deep.equal(['L1', 'L2', 'L3']);
  });

  it('should see a single-phase car in its per-phase currents, and keep the charger\'s phases while nothing is drawn', () => {
    expect(vehiclePhasesOf([15.9, 0, 0.2], 3)).to.equal(1);
    expect(vehiclePhasesOf([16, 16, 16], 3)).to.equal(3);
    expect(vehiclePhasesOf([0, 0, 0], 3)).to.equal(3);
    expect(vehiclePhasesOf(undefined, 3)).to.equal(3);
  });

  it('OCPI 2.2.1 chargingprofiles §14.6.3: should take the eMSP\'s limit in force now, a W limit spread over the phases', () => {
    const profile = { charging_rate_unit: 'W' as const, charging_profile_period: [{ start_period: 0, limit: 22_080 }, { start_period: 1800, limit: 6_900 }] };
    const sessionStart = NOW - 3_600_000;

    expect(emspLimitA(profile, { now: NOW, sessionStart, voltage: 230, phases: 3 })).to.equal(10);
    expect(emspLimitA({ ...profile, duration: 600 }, { now: NOW, sessionStart, voltage: 230, phases: 3 })).to.equal(undefined);
    expect(emspLimitA({ charging_rate_unit: 'A', start_date_time: '2026-12-05T09:59:00Z', charging_profile_period: [{ start_period: 0, limit: 12 }] }, { now: NOW, sessionStart, voltage: 230, phases: 3 })).to.equal(12);
  });

  it('should bound a session by the smallest of the connector, the operator and the eMSP (the smaller wins)', () => {
    const emsp = { charging_rate_unit: 'A' as const, charging_profile_period: [{ start_period: 0, limit: 20 }] };

    expect(toSessionDemand(aLoadSession({ membershipMaxA: 16 }), { now: NOW, isOffline: false, settings: SETTINGS }).maxCurrentA).to.equal(16);
    expect(toSessionDemand(aLoadSession({ emspProfile: emsp }), { now: NOW, isOffline: false, settings: SETTINGS }).maxCurrentA).to.equal(20);
    expect(toSessionDemand(aLoadSession({ connectorMaxA: null }), { now: NOW, isOffline: false, settings: SETTINGS }).maxCurrentA).to.equal(32);
  });

  it('OCPI 2.2.1 sessions §9.2.1.2: should take the energy still needed and the departure from the charging preferences', () => {
    const d = toSessionDemand(aLoadSession({ preferences: { departure_time: '2026-12-05T17:00:00', energy_need: 20 } }), { now: NOW, isOffline: false, settings: SETTINGS });

    expect(d.energyNeededWh).to.equal(15_000);
    expect(d.departureAt).to.equal(Date.parse('2026-12-05T17:00:00Z'));
  });

  it('should make a session uncontrolled when its charger is offline or refused its last limit, and pass the accepted limit', () => {
    expect(toSessionDemand(aLoadSession(), { now: NOW, isOffline: true, settings: SETTINGS }).uncontrolled).to.equal(true);
    expect(toSessionDemand(aLoadSession(), { now: NOW, applied: anApplied({ status: 'Rejected', uncontrolled: true }), isOffline: false, settings: SETTINGS }).uncontrolled).to.equal(true);
    const retried = toSessionDemand(aLoadSession(), { now: NOW, applied: anApplied({ status: 'Failed', uncontrolled: true, sentAt: new Date(NOW - 120_000) }), isOffline: false, settings: SETTINGS, retryBefore: NOW - 60_000 });
    expect(retried.uncontrolled, 'tried again after retryBefore').to.equal(false);
    const accepted = toSessionDemand(aLoadSession(), { now: NOW, applied: anApplied(), isOffline: false, settings: SETTINGS });
    expect([accepted.uncontrolled, accepted.appliedA]).to.deep.equal([false, 10]);
  });

  it('should hold an idle refusing charger\'s maximum free, and count sessions at refusing chargers uncontrolled', () => {
    const input = buildAllocationInput({
      now: NOW, groups: [aGroup()], sessions: [aLoadSession({ chargePointId: 'CP-R' })], applied: [], offline: new Set(), settings: SETTINGS,
      reserved: [{ chargePointId: 'CP-R', groupId: 1, amps: 16, phaseRotation: null, isRefusing: true }, { chargePointId: 'CP-IDLE', groupId: 1, amps: 16, phaseRotation: 'STR', isRefusing: true }],
    });

    expect(input.sessions.map((s) => [s.sessionId, s.uncontrolled, s.maxCurrentA])).to.deep.equal([['7', true, 32], ['charger:CP-IDLE', true, 16]]);
    expect(input.nodes[0]).to.deep.include({ id: '1', parentId: null, unmanagedA: { L1: 0, L2: 0, L3: 0 } });
  });

  it('should sum the measured draw per grid phase up the tree, through each charger\'s rotation, with the unmanaged load', () => {
    const groups = [aGroup({ unmanagedA: { L1: 5, L2: 0, L3: 0 } }), aGroup({ id: 2, name: 'panel', parentId: 1 })];
    const sessions = [aLoadSession({ groupId: 2, phaseRotation: 'STR', measured: { at: new Date(NOW), currentsA: [10, 0, 0] } }), aLoadSession({ sessionId: 8, measured: { at: new Date(NOW), currentsA: [6, 6, 6] } })];

    const load = measuredLoad(buildAllocationInput({ now: NOW, groups, sessions, applied: [], offline: new Set(), settings: SETTINGS }));

    expect(load.get('2')).to.deep.equal({ L1: 0, L2: 10, L3: 0 });
    expect(load.get('1')).to.deep.equal({ L1: 11, L2: 16, L3: 6 });
  });

  it('OCPP16 §7.31: should read the newest per-phase Current.Import of a MeterValues (L1-N is L1)', () => {
    const at = (s: number) => new Date(NOW + s * 1000);
    const sample = (phase: string | null, value: string, t: number, measurand = 'Current.Import') => ({ measurand, phase, unit: 'A', numeric: value, timestamp: at(t) });

    const currents = currentsOfSamples([sample('L1', '9', 0), sample('L1-N', '16', 1), sample('L2', '15.5', 1), sample(null, '40', 1), sample('L3', '3', 1, 'Voltage')]);

    expect([...currents]).to.deep.equal([[0, 16], [1, 15.5]]);
  });

  describe('kW limits', () => {
    // I = P / (phases × U phase-to-neutral), rounded down to 0.1 A
    const cases: Array<[string, number, { voltage: number; phases: 1 | 3 }, number]> = [
      ['22 kW on 3 × 230 V', 22, { voltage: 230, phases: 3 }, 31.8],
      ['11 kW on 3 × 230 V', 11, { voltage: 230, phases: 3 }, 15.9],
      ['11 kW on 3 × 240 V', 11, { voltage: 240, phases: 3 }, 15.2],
      ['7.4 kW on 1 × 230 V', 7.4, { voltage: 230, phases: 1 }, 32.1],
      ['exactly 20 A (13.8 kW on 3 × 230 V)', 13.8, { voltage: 230, phases: 3 }, 20],
    ];
    for (const [name, kw, o, expected] of cases) it(`should convert ${name} into ${expected} A per phase`, () => expect(ampsOfPower(kw, o)).to.equal(expected));

    it('should let the tighter of the A and kW limits hold, with the group\'s voltage else the configured one', () => {
      expect(toCapacityNode(aGroup({ maxCurrentA: 32, maxPowerKw: 11 }), { voltage: 230 }).maxCurrentA).to.equal(15.9);
      expect(toCapacityNode(aGroup({ maxCurrentA: 32, maxPowerKw: 11, voltage: 240 }), { voltage: 230 }).maxCurrentA).to.equal(15.2);
      expect(toCapacityNode(aGroup({ maxCurrentA: 10, maxPowerKw: 11 }), { voltage: 230 }).maxCurrentA).to.equal(10);
      expect(toCapacityNode(aGroup({ maxCurrentA: 16, maxPowerKw: 11, phases: 1 }), { voltage: 230 }).maxCurrentA).to.equal(16);
    });

    it('should convert schedule periods in kW, in A or both, the tighter holding', () => {
      const schedule = [
        { startsAt: new Date(NOW), maxPowerKw: 6.9 },
        { startsAt: new Date(NOW + 3_600_000), maxCurrentA: 20 },
        { startsAt: new Date(NOW + 7_200_000), maxCurrentA: 20, maxPowerKw: 6.9 },
      ];
      expect(toCapacityNode(aGroup({ schedule }), { voltage: 230 }).schedule).to.deep.equal([
        { startsAt: NOW, maxCurrentA: 10 },
        { startsAt: NOW + 3_600_000, maxCurrentA: 20 },
        { startsAt: NOW + 7_200_000, maxCurrentA: 10 },
      ]);
    });

    it('should give the allocator the node limit from kW (the input the load manager builds)', () => {
      const input = buildAllocationInput({ now: NOW, groups: [aGroup({ maxPowerKw: 11 })], sessions: [], applied: [], offline: new Set(), settings: SETTINGS });
      expect(input.nodes[0]!.maxCurrentA).to.equal(15.9);
    });
  });
});
