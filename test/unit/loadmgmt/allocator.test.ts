// Issue 10 "Allocation": hand-computed cases of the load allocator (src/loadmgmt/allocator.ts).
import { expect } from 'chai';
import { allocate } from '../../../src/loadmgmt/allocator.ts';
import { aNode, anInput, aSession, energyWh, HOUR, limitAt, MIN, T0 } from '../../fixtures/load-allocation.ts';

const nowLimits = (result: ReturnType<typeof allocate>): Record<string, number> =>
  Object.fromEntries(result.schedules.map((s) => [s.sessionId, s.limitA]));

describe('load allocator: sharing one step', () => {
  it('should give three cars an equal share of a 32 A three-phase group', () => {
    const sessions = ['a', 'b', 'c'].map((sessionId) => aSession({ sessionId }));
    const result = allocate(anInput({ sessions }));
    expect(nowLimits(result)).to.deep.equal({ a: 10.6, b: 10.6, c: 10.6 });
    expect(result.nodes).to.deep.equal([{ nodeId: 'root', limitA: 32, plannedA: { L1: 31.8, L2: 31.8, L3: 31.8 } }]);
    expect(result.schedules[0]!.periods).to.deep.equal([{ startsAt: T0, limitA: 10.6 }]);
  });

  it('should pause the lowest priority when the 6 A minimum of all does not fit (IEC 61851-1)', () => {
    const sessions = [aSession({ sessionId: 'a', priority: 1 }), aSession({ sessionId: 'b', priority: 1 }), aSession({ sessionId: 'c', priority: 0 })];
    const result = allocate(anInput({ nodes: [aNode({ maxCurrentA: 16 })], sessions }));
    expect(nowLimits(result)).to.deep.equal({ a: 8, b: 8, c: 0 });
  });

  it('should serve a higher priority up to its maximum before a lower one', () => {
    const sessions = [aSession({ sessionId: 'a', priority: 0 }), aSession({ sessionId: 'b', priority: 1, maxCurrentA: 20 })];
    const result = allocate(anInput({ sessions }));
    expect(nowLimits(result)).to.deep.equal({ a: 12, b: 20 });
  });

  it('should pause the latest arrival among equal priorities and share equally among the others', () => {
    const sessions = ['a', 'b', 'c'].map((sessionId, i) => aSession({ sessionId, startedAt: T0 - (3 - i) * MIN }));
    const result = allocate(anInput({ nodes: [aNode({ maxCurrentA: 16 })], sessions }));
    expect(nowLimits(result)).to.deep.equal({ a: 8, b: 8, c: 0 });
  });

  it('should give capacity a car cannot use to the others (water-filling)', () => {
    const sessions = [aSession({ sessionId: 'a', maxCurrentA: 6 }), aSession({ sessionId: 'b' }), aSession({ sessionId: 'c' })];
    const result = allocate(anInput({ sessions }));
    expect(nowLimits(result)).to.deep.equal({ a: 6, b: 13, c: 13 });
  });

  it('should let single-phase cars wired to different grid phases by rotation leave room to a three-phase car', () => {
    const onL1 = aSession({ sessionId: 'a', vehiclePhases: 1 });
    const three = aSession({ sessionId: 'c' });
    const sameRotation = allocate(anInput({ sessions: [onL1, aSession({ sessionId: 'b', vehiclePhases: 1 }), three] }));
    expect(nowLimits(sameRotation)).to.deep.equal({ a: 10.6, b: 10.6, c: 10.6 });
    const onL2 = aSession({ sessionId: 'b', vehiclePhases: 1, phaseRotation: ['L2', 'L3', 'L1'] });
    const rotated = allocate(anInput({ sessions: [onL1, onL2, three] }));
    expect(nowLimits(rotated)).to.deep.equal({ a: 16, b: 16, c: 16 });
    expect(rotated.nodes[0]!.plannedA).to.deep.equal({ L1: 32, L2: 32, L3: 16 });
    expect(rotated.schedules.map((s) => s.phases)).to.deep.equal([1, 1, 3]);
  });

  it('should count a charger below a single-phase node on L1 only', () => {
    const nodes = [aNode({ maxCurrentA: 32 }), aNode({ id: 'c1', parentId: 'root', phases: 1, maxCurrentA: 20 })];
    const sessions = [aSession({ sessionId: 'a', nodeId: 'c1', phaseRotation: ['L3', 'L1', 'L2'] }), aSession({ sessionId: 'b' })];
    const result = allocate(anInput({ nodes, sessions }));
    expect(nowLimits(result)).to.deep.equal({ a: 16, b: 16 });
    expect(result.schedules[0]!.phases).to.equal(1);
    expect(result.nodes[0]!.plannedA).to.deep.equal({ L1: 32, L2: 16, L3: 16 });
  });

  it('should bind a circuit before the root in a nested tree', () => {
    const nodes = [
      aNode({ maxCurrentA: 63 }),
      aNode({ id: 'panel', parentId: 'root', maxCurrentA: 63 }),
      aNode({ id: 'c1', parentId: 'panel', maxCurrentA: 20 }),
      aNode({ id: 'c2', parentId: 'panel', maxCurrentA: 63 }),
    ];
    const sessions = [
      aSession({ sessionId: 'a', nodeId: 'c1' }),
      aSession({ sessionId: 'b', nodeId: 'c1' }),
      aSession({ sessionId: 'c', nodeId: 'c2' }),
      aSession({ sessionId: 'd', nodeId: 'c2' }),
    ];
    const result = allocate(anInput({ nodes, sessions }));
    expect(nowLimits(result)).to.deep.equal({ a: 10, b: 10, c: 21.5, d: 21.5 });
    expect(result.nodes.map((n) => n.plannedA.L1)).to.deep.equal([63, 63, 20, 43]);
  });

  it('should keep the margin free below the limit', () => {
    const result = allocate(anInput({ nodes: [aNode({ marginA: 4 })], sessions: [aSession({ sessionId: 'a' }), aSession({ sessionId: 'b' })] }));
    expect(nowLimits(result)).to.deep.equal({ a: 14, b: 14 });
    expect(result.nodes[0]!.limitA).to.equal(28);
  });

  it('should subtract unmanaged load first', () => {
    const nodes = [aNode({ unmanagedA: { L1: 10, L2: 4, L3: 0 } })];
    const result = allocate(anInput({ nodes, sessions: [aSession({ sessionId: 'a' }), aSession({ sessionId: 'b' })] }));
    expect(nowLimits(result)).to.deep.equal({ a: 11, b: 11 });
    expect(result.nodes[0]!.plannedA).to.deep.equal({ L1: 32, L2: 26, L3: 22 });
  });

  it('should count an uncontrolled session at its maximum and reduce the others', () => {
    const sessions = [aSession({ sessionId: 'u', uncontrolled: true, maxCurrentA: 16 }), aSession({ sessionId: 'a' }), aSession({ sessionId: 'b' })];
    const result = allocate(anInput({ sessions }));
    expect(nowLimits(result)).to.deep.equal({ u: 16, a: 8, b: 8 });
  });

  it('should pause every controlled session when unmanaged and uncontrolled load alone exceed the limit', () => {
    const nodes = [aNode({ unmanagedA: { L1: 20, L2: 0, L3: 0 } })];
    const sessions = [aSession({ sessionId: 'u', uncontrolled: true, maxCurrentA: 16 }), aSession({ sessionId: 'a' })];
    const result = allocate(anInput({ nodes, sessions }));
    expect(nowLimits(result)).to.deep.equal({ u: 16, a: 0 });
  });

  it('should pause a session on an unknown node', () => {
    const result = allocate(anInput({ sessions: [aSession({ sessionId: 'a', nodeId: 'nowhere' })] }));
    expect(nowLimits(result)).to.deep.equal({ a: 0 });
  });
});

describe('load allocator: planning the horizon', () => {
  it('should lower the limits when the schedule lowers the group limit at 17:00', () => {
    const nodes = [aNode({ schedule: [{ startsAt: T0 + HOUR, maxCurrentA: 16 }] })];
    const result = allocate(anInput({ horizonSec: 7200, nodes, sessions: [aSession({ sessionId: 'a' }), aSession({ sessionId: 'b' })] }));
    expect(result.schedules[0]!.periods).to.deep.equal([
      { startsAt: T0, limitA: 16 },
      { startsAt: T0 + HOUR, limitA: 8 },
    ]);
  });

  it('should apply a schedule change in the middle of a step to the whole step', () => {
    const nodes = [aNode({ schedule: [{ startsAt: T0 + 10 * MIN, maxCurrentA: 16 }] })];
    const result = allocate(anInput({ nodes, sessions: [aSession({ sessionId: 'a' })] }));
    expect(result.schedules[0]!.periods).to.deep.equal([{ startsAt: T0, limitA: 16 }]);
  });

  it('should meet a deadline earliest-deadline-first at the expense of an as-fast-as-possible session', () => {
    // 16 A × 3 × 230 V × 1 h = 11,040 Wh: the fair share (8 A) is not enough, the whole group is
    const deadline = aSession({ sessionId: 'a', maxCurrentA: 16, energyNeededWh: 11_040, departureAt: T0 + HOUR });
    const asap = aSession({ sessionId: 'b', maxCurrentA: 16 });
    const result = allocate(anInput({ horizonSec: 7200, nodes: [aNode({ maxCurrentA: 16 })], sessions: [deadline, asap] }));
    expect(result.schedules[0]!.periods).to.deep.equal([
      { startsAt: T0, limitA: 16 },
      { startsAt: T0 + HOUR, limitA: 0 },
    ]);
    expect(result.schedules[1]!.periods).to.deep.equal([
      { startsAt: T0, limitA: 0 },
      { startsAt: T0 + HOUR, limitA: 16 },
    ]);
    expect(result.schedules.map((s) => s.deadlineMissed)).to.deep.equal([false, false]);
  });

  it('should serve the earlier deadline first and still meet the later one', () => {
    const first = aSession({ sessionId: 'z', maxCurrentA: 16, energyNeededWh: 5_520, departureAt: T0 + 30 * MIN });
    const second = aSession({ sessionId: 'a', maxCurrentA: 16, energyNeededWh: 11_040, departureAt: T0 + 2 * HOUR });
    const result = allocate(anInput({ horizonSec: 7200, nodes: [aNode({ maxCurrentA: 16 })], sessions: [first, second] }));
    expect(limitAt(result, 'z', T0)).to.equal(16);
    expect(energyWh(result, first, { from: T0, to: T0 + 30 * MIN, stepMs: 15 * MIN })).to.be.at.least(5_520);
    expect(energyWh(result, second, { from: T0, to: T0 + 2 * HOUR, stepMs: 15 * MIN })).to.be.at.least(11_040);
    expect(result.schedules.map((s) => s.deadlineMissed)).to.deep.equal([false, false]);
  });

  it('should not meet a deadline with the share of a higher priority', () => {
    const deadline = aSession({ sessionId: 'a', maxCurrentA: 16, energyNeededWh: 11_040, departureAt: T0 + HOUR });
    const fleet = aSession({ sessionId: 'b', maxCurrentA: 10, priority: 1 });
    const result = allocate(anInput({ nodes: [aNode({ maxCurrentA: 16 })], sessions: [deadline, fleet] }));
    expect(nowLimits(result)).to.deep.equal({ a: 6, b: 10 });
    expect(result.schedules[0]!.deadlineMissed).to.equal(true);
  });

  it('should mark a deadline that cannot be met and share fairly', () => {
    const deadline = aSession({ sessionId: 'a', maxCurrentA: 16, energyNeededWh: 20_000, departureAt: T0 + HOUR });
    const asap = aSession({ sessionId: 'b', maxCurrentA: 16 });
    const result = allocate(anInput({ nodes: [aNode({ maxCurrentA: 16 })], sessions: [deadline, asap] }));
    expect(nowLimits(result)).to.deep.equal({ a: 8, b: 8 });
    expect(result.schedules.map((s) => s.deadlineMissed)).to.deep.equal([true, false]);
  });

  it('should not mark missed a deadline after the horizon that the horizon alone cannot meet', () => {
    const later = aSession({ sessionId: 'a', maxCurrentA: 16, energyNeededWh: 20_000, departureAt: T0 + 5 * HOUR });
    const result = allocate(anInput({ nodes: [aNode({ maxCurrentA: 16 })], sessions: [later, aSession({ sessionId: 'b', maxCurrentA: 16 })] }));
    expect(nowLimits(result)).to.deep.equal({ a: 8, b: 8 });
    expect(result.schedules[0]!.deadlineMissed).to.equal(false);
  });

  it('should move flexible energy into cheap hours without missing a deadline or starving an as-fast-as-possible car', () => {
    // Arrange: expensive until 18:00, cheap after; A needs 1 h at 16 A by 20:00, C 30 min at 16 A by 17:00
    const prices = [{ startsAt: T0, pricePerKWh: 0.4 }, { startsAt: T0 + 2 * HOUR, pricePerKWh: 0.1 }];
    const a = aSession({ sessionId: 'a', maxCurrentA: 16, energyNeededWh: 11_040, departureAt: T0 + 4 * HOUR });
    const b = aSession({ sessionId: 'b' });
    const c = aSession({ sessionId: 'c', maxCurrentA: 16, energyNeededWh: 5_520, departureAt: T0 + HOUR });
    // Act
    const result = allocate(anInput({ horizonSec: 4 * 3600, prices, sessions: [a, b, c] }));
    // Assert: A only in cheap hours, C before its departure, B never starved
    expect(energyWh(result, a, { from: T0, to: T0 + 2 * HOUR, stepMs: 15 * MIN })).to.equal(0);
    expect(energyWh(result, a, { from: T0 + 2 * HOUR, to: T0 + 4 * HOUR, stepMs: 15 * MIN })).to.be.at.least(11_040);
    expect(energyWh(result, c, { from: T0, to: T0 + HOUR, stepMs: 15 * MIN })).to.be.at.least(5_520);
    for (let t = T0; t < T0 + 4 * HOUR; t += 15 * MIN) expect(limitAt(result, 'b', t)).to.be.at.least(10.6);
    expect(result.schedules.map((s) => s.deadlineMissed)).to.deep.equal([false, false, false]);
  });

  it('should stop an as-fast-as-possible session once its energy need is met, unless capacity is left over', () => {
    // 32 A × 3 × 230 V × 0.25 h = 5,520 Wh: one step
    const a = aSession({ sessionId: 'a', energyNeededWh: 5_520 });
    const b = aSession({ sessionId: 'b', maxCurrentA: 20 });
    const result = allocate(anInput({ sessions: [a, b] }));
    expect(result.schedules[0]!.periods).to.deep.equal([
      { startsAt: T0, limitA: 16 },
      { startsAt: T0 + 30 * MIN, limitA: 12 },
    ]);
  });

  it('should give the capacity a tapering car does not use to others this round and keep its draw rounded up', () => {
    const tapering = aSession({ sessionId: 'a', appliedA: 16, measuredA: [4.2, 4.1, 4.3] });
    const result = allocate(anInput({ sessions: [tapering, aSession({ sessionId: 'b' })] }));
    expect(result.schedules[0]!.periods).to.deep.equal([
      { startsAt: T0, limitA: 6 },
      { startsAt: T0 + 15 * MIN, limitA: 16 },
    ]);
    expect(limitAt(result, 'b', T0)).to.equal(26);
  });

  it('should not count a car at its draw when it draws about what it was given', () => {
    const full = aSession({ sessionId: 'a', appliedA: 16, measuredA: [15.5, 15.4, 15.6] });
    const result = allocate(anInput({ sessions: [full, aSession({ sessionId: 'b' })] }));
    expect(nowLimits(result)).to.deep.equal({ a: 16, b: 16 });
  });

  it('should give the same result for the same input in any order', () => {
    const sessions = ['d', 'a', 'c', 'b'].map((sessionId, i) => aSession({ sessionId, priority: i % 2, vehiclePhases: i === 1 ? 1 : 3 }));
    const one = allocate(anInput({ nodes: [aNode({ maxCurrentA: 25 })], sessions }));
    const other = allocate(anInput({ nodes: [aNode({ maxCurrentA: 25 })], sessions: [...sessions].reverse() }));
    const byId = (r: typeof one) => Object.fromEntries(r.schedules.map((s) => [s.sessionId, s]));
    expect(byId(one)).to.deep.equal(byId(other));
  });
});

describe('load allocator: price curves per site', () => {
  it('should move each site\'s flexible energy into its own cheap hours (a node\'s curve is inherited below it)', () => {
    // Arrange: site A is cheap from 18:00, site B cheap until 18:00; each has a circuit below it with a session
    // that needs 1 h at 16 A by 20:00 (11,040 Wh) — the circuits have no curve of their own
    const cheapLate = [{ startsAt: T0, pricePerKWh: 0.4 }, { startsAt: T0 + 2 * HOUR, pricePerKWh: 0.1 }];
    const cheapEarly = [{ startsAt: T0, pricePerKWh: 0.1 }, { startsAt: T0 + 2 * HOUR, pricePerKWh: 0.4 }];
    const nodes = [aNode({ id: 'A', prices: cheapLate }), aNode({ id: 'A1', parentId: 'A' }), aNode({ id: 'B', prices: cheapEarly }), aNode({ id: 'B1', parentId: 'B' })];
    const need = { maxCurrentA: 16, energyNeededWh: 11_040, departureAt: T0 + 4 * HOUR };
    const a = aSession({ sessionId: 'a', nodeId: 'A1', ...need });
    const b = aSession({ sessionId: 'b', nodeId: 'B1', ...need });
    // Act
    const result = allocate(anInput({ horizonSec: 4 * 3600, nodes, sessions: [a, b] }));
    // Assert
    const early = { from: T0, to: T0 + 2 * HOUR, stepMs: 15 * MIN };
    const late = { from: T0 + 2 * HOUR, to: T0 + 4 * HOUR, stepMs: 15 * MIN };
    expect(energyWh(result, a, early)).to.equal(0);
    expect(energyWh(result, a, late)).to.be.at.least(11_040);
    expect(energyWh(result, b, late)).to.equal(0);
    expect(energyWh(result, b, early)).to.be.at.least(11_040);
  });
});
