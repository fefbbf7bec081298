// Issue 10 "Property tests": for random trees, sessions, limits, rotations, schedules and prices, no node's
// effective limit is exceeded on any grid phase at any step, every limit is 0 or within [min, max], and the
// allocator is deterministic. The load is recomputed here from the schedules, independently of the allocator.
import { expect } from 'chai';
import type { AllocationInput, AllocationResult, CapacityNode, GridPhase, SessionDemand } from '../../../src/loadmgmt/allocation.types.ts';
import { allocate } from '../../../src/loadmgmt/allocator.ts';
import { energyWh, limitAt, MIN } from '../../fixtures/load-allocation.ts';
import { randomCase } from '../../fixtures/load-allocation-random.ts';

const CASES = 400;
const STEP = 15 * MIN;

/** The node's effective limit over [from, to): the lowest in force at any moment of it, minus the margin. */
function effectiveLimit(node: CapacityNode, from: number, to: number): number {
  const at = (t: number): number => {
    let limit = node.maxCurrentA;
    for (const p of node.schedule) if (p.startsAt <= t) limit = Math.min(node.maxCurrentA, p.maxCurrentA);
    return limit;
  };
  const moments = [from, ...node.schedule.map((p) => p.startsAt).filter((t) => t > from && t < to)];
  return Math.max(0, Math.min(...moments.map(at)) - node.marginA);
}

function pathOf(nodeId: string, nodes: CapacityNode[]): CapacityNode[] {
  const path: CapacityNode[] = [];
  for (let node = nodes.find((n) => n.id === nodeId); node; node = nodes.find((n) => n.id === node!.parentId)) path.push(node);
  return path;
}

/** Grid phases a session loads: a single-phase node on its path carries L1 only. */
function gridPhasesOf(s: SessionDemand, nodes: CapacityNode[]): GridPhase[] {
  if (pathOf(s.nodeId, nodes).some((n) => n.phases === 1)) return ['L1'];
  return s.phaseRotation.slice(0, s.uncontrolled ? s.chargerPhases : Math.min(s.vehiclePhases, s.chargerPhases));
}

interface PhaseLoad {
  node: CapacityNode;
  phase: GridPhase;
  /** unmanaged load of the node and its descendants plus uncontrolled sessions at their maximum */
  fixed: number;
  controlled: string[];
}

function phaseLoads(input: AllocationInput): PhaseLoad[] {
  return input.nodes.flatMap((node) => {
    const below = input.sessions.filter((s) => pathOf(s.nodeId, input.nodes).includes(node));
    const under = input.nodes.filter((n) => pathOf(n.id, input.nodes).includes(node));
    return (['L1', 'L2', 'L3'] as const).map((phase) => {
      const on = below.filter((s) => gridPhasesOf(s, input.nodes).includes(phase));
      const fixed = under.reduce((sum, n) => sum + n.unmanagedA[phase], 0) + on.filter((s) => s.uncontrolled).reduce((sum, s) => sum + s.maxCurrentA, 0);
      return { node, phase, fixed, controlled: on.filter((s) => !s.uncontrolled).map((s) => s.sessionId) };
    });
  });
}

function checkLimits(input: AllocationInput, result: AllocationResult): void {
  const loads = phaseLoads(input).filter((l) => l.node.phases === 3 || l.phase === 'L1'); // a single-phase node carries L1 only
  const horizonEnd = input.now + Math.max(input.stepSec, input.horizonSec) * 1000;
  const periods = new Map(result.schedules.map((s) => [s.sessionId, s.periods]));
  const limitAt = (id: string, t: number): number => {
    let limit = 0;
    for (const p of periods.get(id)!) if (p.startsAt <= t) limit = p.limitA;
    return limit;
  };
  for (let t = input.now; t < horizonEnd; t += input.stepSec * 1000) {
    const end = Math.min(t + input.stepSec * 1000, horizonEnd);
    for (const { node, phase, fixed, controlled } of loads) {
      const limit = effectiveLimit(node, t, end);
      const allocated = controlled.reduce((sum, id) => sum + limitAt(id, t), 0);
      const where = `node ${node.id} ${phase} at +${(t - input.now) / MIN} min`;
      if (fixed > limit) expect(allocated, `${where}: fixed load alone exceeds the limit`).to.equal(0);
      else expect(fixed + allocated, where).to.be.at.most(limit + 1e-6);
    }
  }
}

function checkSchedules(input: AllocationInput, result: AllocationResult): void {
  expect(result.schedules.map((s) => s.sessionId)).to.deep.equal(input.sessions.map((s) => s.sessionId));
  result.schedules.forEach((schedule, i) => {
    const s = input.sessions[i]!;
    expect(schedule.periods[0]!.startsAt).to.equal(input.now);
    expect(schedule.limitA).to.equal(schedule.periods[0]!.limitA);
    expect(schedule.phases).to.equal(gridPhasesOf(s, input.nodes).length);
    schedule.periods.forEach((p, k) => {
      if (k > 0) expect(p.startsAt).to.be.above(schedule.periods[k - 1]!.startsAt);
      if (k > 0) expect(p.limitA).to.not.equal(schedule.periods[k - 1]!.limitA);
      if (s.uncontrolled) expect(p.limitA).to.equal(s.maxCurrentA);
      else if (p.limitA !== 0) expect(p.limitA).to.be.within(s.minCurrentA, s.maxCurrentA);
    });
  });
}

describe('load allocator: properties over random trees and sessions', () => {
  it(`should never exceed a node's effective limit on any phase at any step (${CASES} seeded cases)`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const input = randomCase(seed);
      try {
        checkLimits(input, allocate(input));
      } catch (err) {
        throw new Error(`seed ${seed}: ${(err as Error).message}`);
      }
    }
  });

  it(`should give every session 0 or a limit within [min, max], in merged periods from now (${CASES} seeded cases)`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const input = randomCase(seed);
      try {
        checkSchedules(input, allocate(input));
      } catch (err) {
        throw new Error(`seed ${seed}: ${(err as Error).message}`);
      }
    }
  });

  it(`should be deterministic, whatever the order of the sessions (${CASES} seeded cases)`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const input = randomCase(seed);
      const first = allocate(input);
      expect(allocate(structuredClone(input)), `seed ${seed}`).to.deep.equal(first);
      const reversed = allocate({ ...input, sessions: [...input.sessions].reverse() });
      expect(reversed.schedules, `seed ${seed}`).to.deep.equal([...first.schedules].reverse());
    }
  });

  it(`should deliver the energy needed by departure whenever a deadline in the horizon is not marked missed (${CASES} seeded cases)`, () => {
    let checked = 0;
    for (let seed = 1; seed <= CASES; seed++) {
      const input = randomCase(seed);
      const result = allocate(input);
      const horizonEnd = input.now + Math.max(input.stepSec, input.horizonSec) * 1000;
      input.sessions.forEach((s, i) => {
        const isKnown = input.nodes.some((n) => n.id === s.nodeId);
        if (s.uncontrolled || !isKnown || s.departureAt === undefined || s.energyNeededWh === undefined) return;
        if (s.energyNeededWh <= 0 || s.departureAt <= input.now || s.departureAt > horizonEnd || result.schedules[i]!.deadlineMissed) return;
        const delivered = energyWh(result, s, { from: input.now, to: s.departureAt, stepMs: input.stepSec * 1000 });
        expect(delivered, `seed ${seed} ${s.sessionId}`).to.be.at.least(s.energyNeededWh - 1e-6);
        checked++;
      });
    }
    expect(checked).to.be.above(40);
  });

  it('should report each node its effective limit and planned load now', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const input = randomCase(seed);
      const result = allocate(input);
      const stepEnd = Math.min(input.now + input.stepSec * 1000, input.now + Math.max(input.stepSec, input.horizonSec) * 1000);
      expect(result.nodes.map((n) => n.limitA), `seed ${seed}`).to.deep.equal(input.nodes.map((n) => effectiveLimit(n, input.now, stepEnd)));
      for (const { node, phase, fixed, controlled } of phaseLoads(input)) {
        const planned = fixed + controlled.reduce((sum, id) => sum + limitAt(result, id, input.now), 0);
        expect(result.nodes.find((n) => n.nodeId === node.id)!.plannedA[phase], `seed ${seed} ${node.id} ${phase}`).to.be.closeTo(planned, 0.001);
      }
    }
  });
});
