import { expect } from 'chai';
import { allocateEqualShare } from '../../../src/loadmgmt/equal-share.ts';
import type { AllocationInput, CapacityNode, GridPhase, SessionDemand } from '../../../src/loadmgmt/allocation.types.ts';

const NOW = Date.parse('2026-12-05T10:00:00Z');
const PHASES: GridPhase[] = ['L1', 'L2', 'L3'];

const aNode = (o: Partial<CapacityNode> = {}): CapacityNode => ({ id: 'site', parentId: null, maxCurrentA: 32, phases: 3, marginA: 0, schedule: [], unmanagedA: { L1: 0, L2: 0, L3: 0 }, ...o });
const aSession = (id: string, o: Partial<SessionDemand> = {}): SessionDemand => ({
  sessionId: id, chargePointId: `CP-${id}`, nodeId: 'site', phaseRotation: ['L1', 'L2', 'L3'], chargerPhases: 3, vehiclePhases: 3,
  maxCurrentA: 32, minCurrentA: 6, uncontrolled: false, priority: 0, voltage: 230, startedAt: NOW - 1000, ...o,
});
const anInput = (nodes: CapacityNode[], sessions: SessionDemand[]): AllocationInput => ({ now: NOW, horizonSec: 86_400, stepSec: 900, nodes, sessions, prices: [] });

/** Planned load per node and phase never above the node's limit (the allocator's own report, checked independently). */
function expectWithinLimits(input: AllocationInput): Record<string, number> {
  const result = allocateEqualShare(input);
  const limits = Object.fromEntries(result.schedules.map((s) => [s.sessionId, s.limitA]));
  for (const n of input.nodes) {
    for (const p of PHASES) {
      let load = n.unmanagedA[p];
      let fixed = n.unmanagedA[p];
      for (const s of input.sessions) {
        const phases = s.uncontrolled ? s.chargerPhases : s.vehiclePhases;
        const onPath = (id: string | null): boolean => id !== null && (id === n.id || onPath(input.nodes.find((x) => x.id === id)?.parentId ?? null));
        if (!onPath(s.nodeId) || !s.phaseRotation.slice(0, phases).includes(p)) continue;
        load += s.uncontrolled ? s.maxCurrentA : limits[s.sessionId];
        if (s.uncontrolled) fixed += s.maxCurrentA;
      }
      const limit = (n.phases === 3 || p === 'L1' ? n.maxCurrentA : 0) - n.marginA;
      expect(load, `${n.id} ${p}`).to.be.at.most(Math.max(limit, fixed) + 1e-9);
    }
  }
  for (const s of result.schedules) if (!input.sessions.find((x) => x.sessionId === s.sessionId)!.uncontrolled) expect(s.limitA === 0 || s.limitA >= 6, `${s.sessionId}: ${s.limitA}`).to.equal(true);
  return limits;
}

describe('loadmgmt equal-share allocator', () => {
  it('should share a 32 A three-phase group equally among three sessions', () => {
    const limits = expectWithinLimits(anInput([aNode()], [aSession('a'), aSession('b'), aSession('c')]));

    expect(limits).to.deep.equal({ a: 10.6, b: 10.6, c: 10.6 });
  });

  it('should give a single-phase car\'s unused phases to the three-phase cars', () => {
    const limits = expectWithinLimits(anInput([aNode()], [aSession('one', { vehiclePhases: 1, maxCurrentA: 32 }), aSession('three1'), aSession('three2')]));

    expect(limits.one).to.equal(10.6);
    expect(limits.three1).to.equal(10.6);
    const l2 = limits.three1 + limits.three2;
    expect(l2).to.be.at.most(32);
  });

  it('should use the phase rotation: a single-phase car on an STR charger loads L2', () => {
    const result = allocateEqualShare(anInput([aNode()], [aSession('a', { vehiclePhases: 1, phaseRotation: ['L2', 'L3', 'L1'], maxCurrentA: 16 })]));

    expect(result.nodes[0].plannedA).to.deep.equal({ L1: 0, L2: 16, L3: 0 });
  });

  it('IEC 61851-1: should pause the lowest priority, then the latest session rather than give anyone less than 6 A', () => {
    const sessions = [aSession('old'), aSession('vip', { priority: 5, startedAt: NOW }), aSession('new', { startedAt: NOW - 10 }), aSession('newest', { startedAt: NOW - 5 }), aSession('x', { startedAt: NOW - 1 }), aSession('y', { startedAt: NOW - 2 })];

    const limits = expectWithinLimits(anInput([aNode()], sessions));

    expect(limits.x).to.equal(0);
    expect(limits.vip).to.be.at.least(6);
    expect(Object.values(limits).filter((a) => a > 0)).to.have.length(5);
  });

  it('should count an uncontrolled session at its maximum and reduce the others', () => {
    const limits = expectWithinLimits(anInput([aNode()], [aSession('wild', { uncontrolled: true, maxCurrentA: 16 }), aSession('a'), aSession('b')]));

    expect(limits.a).to.equal(8);
    expect(limits.b).to.equal(8);
  });

  it('should respect every level of the tree, margins and unmanaged load', () => {
    const nodes = [aNode({ marginA: 2, unmanagedA: { L1: 10, L2: 0, L3: 0 } }), aNode({ id: 'panel', parentId: 'site', maxCurrentA: 16 })];
    const limits = expectWithinLimits(anInput(nodes, [aSession('p1', { nodeId: 'panel' }), aSession('p2', { nodeId: 'panel' }), aSession('s1')]));

    // L1 of the site: 32 − 2 margin − 10 unmanaged = 20 A for three sessions
    expect(limits).to.deep.equal({ p1: 6.6, p2: 6.6, s1: 6.6 });
  });

  it('should plan one period per change of a node\'s scheduled limit', () => {
    const peak = { startsAt: NOW + 3_600_000, maxCurrentA: 16 };
    const result = allocateEqualShare(anInput([aNode({ schedule: [peak, { startsAt: NOW + 7_200_000, maxCurrentA: 32 }] })], [aSession('a')]));

    expect(result.schedules[0].periods).to.deep.equal([{ startsAt: NOW, limitA: 32 }, { startsAt: NOW + 3_600_000, limitA: 16 }, { startsAt: NOW + 7_200_000, limitA: 32 }]);
  });

  it('should pause everyone on a single-phase node for cars drawing on L2', () => {
    const limits = expectWithinLimits(anInput([aNode({ phases: 1 })], [aSession('a', { vehiclePhases: 1, phaseRotation: ['L2', 'L3', 'L1'] })]));

    expect(limits.a).to.equal(0);
  });

  it('should keep random trees and sessions within every limit', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let round = 0; round < 200; round++) {
      const nodes = [aNode({ maxCurrentA: 20 + Math.floor(random() * 100) })];
      for (let i = 1; i < 1 + Math.floor(random() * 5); i++) nodes.push(aNode({ id: `n${i}`, parentId: nodes[Math.floor(random() * i)].id, maxCurrentA: 10 + Math.floor(random() * 60), phases: random() < 0.2 ? 1 : 3, marginA: Math.floor(random() * 3) }));
      const rotations: Array<[GridPhase, GridPhase, GridPhase]> = [['L1', 'L2', 'L3'], ['L2', 'L3', 'L1'], ['L3', 'L1', 'L2']];
      const sessions = Array.from({ length: Math.floor(random() * 12) }, (_, i) =>
        aSession(`s${i}`, { nodeId: nodes[Math.floor(random() * nodes.length)].id, vehiclePhases: random() < 0.3 ? 1 : 3, phaseRotation: rotations[Math.floor(random() * 3)], maxCurrentA: [16, 32][Math.floor(random() * 2)], uncontrolled: random() < 0.1, priority: Math.floor(random() * 3) }),
      );
      expectWithinLimits(anInput(nodes, sessions));
    }
  });
});
