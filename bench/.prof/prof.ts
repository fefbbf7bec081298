import type { AllocationInput, CapacityNode, GridPhase, SessionDemand } from '../../src/loadmgmt/allocation.types.ts';
import { allocate } from '../../src/loadmgmt/allocator.ts';
const NOW = Date.UTC(2026, 11, 4, 15, 0);
const HOUR = 3_600_000;
const ROTATIONS: [GridPhase, GridPhase, GridPhase][] = [
  ['L1', 'L2', 'L3'],
  ['L2', 'L3', 'L1'],
  ['L3', 'L1', 'L2'],
];

function node(id: string, parentId: string | null, maxCurrentA: number): CapacityNode {
  return { id, parentId, maxCurrentA, phases: 3, marginA: 2, schedule: [], unmanagedA: { L1: 0, L2: 0, L3: 0 } };
}

/** A deterministic site, varied by `seed` so that no two calls are the same input. */
function makeInput(seed: number, horizonSec: number): AllocationInput {
  const root = { ...node('grid', null, 2_000), schedule: [{ startsAt: NOW + 2 * HOUR, maxCurrentA: 1_500 }, { startsAt: NOW + 6 * HOUR, maxCurrentA: 2_000 }], unmanagedA: { L1: 120, L2: 80, L3: 100 } };
  const nodes = [root];
  for (let p = 0; p < 10; p++) {
    nodes.push(node(`p${p}`, 'grid', 250));
    for (let c = 0; c < 10; c++) nodes.push(node(`p${p}c${c}`, `p${p}`, 63));
  }
  const sessions: SessionDemand[] = [];
  for (let i = 0; i < 1_000; i++) {
    const r = (i * 7919 + seed * 104_729) % 1_000;
    const hasDeadline = r % 10 < 3;
    sessions.push({
      sessionId: `s${String(i).padStart(4, '0')}`,
      chargePointId: `CP${i}`,
      nodeId: `p${Math.floor(i / 100)}c${Math.floor(i / 10) % 10}`,
      phaseRotation: ROTATIONS[i % 3]!,
      chargerPhases: 3,
      vehiclePhases: r % 7 === 0 ? 1 : 3,
      maxCurrentA: [16, 32, 32, 24][r % 4]!,
      minCurrentA: 6,
      ...(r % 5 === 0 ? { measuredA: [4, 4, 4] as [number, number, number], appliedA: 10 } : {}),
      uncontrolled: r % 97 === 0,
      priority: r % 13 === 0 ? 1 : 0,
      ...(hasDeadline ? { energyNeededWh: 5_000 + (r % 40) * 1_000, departureAt: NOW + (2 + (r % 14)) * HOUR } : {}),
      voltage: 230,
      startedAt: NOW - r * 60_000,
    });
  }
  // time of use: peak 17:00–21:00, cheap 23:00–07:00
  const prices = [
    { startsAt: NOW, pricePerKWh: 0.25 },
    { startsAt: NOW + 2 * HOUR, pricePerKWh: 0.4 },
    { startsAt: NOW + 6 * HOUR, pricePerKWh: 0.25 },
    { startsAt: NOW + 8 * HOUR, pricePerKWh: 0.1 },
    { startsAt: NOW + 16 * HOUR, pricePerKWh: 0.25 },
  ];
  return { now: NOW, horizonSec, stepSec: 900, nodes, sessions, prices };
}

const inputs = Array.from({ length: 60 }, (_, i) => makeInput(i, 24 * 3600)); for (let r = 0; r < 4; r++) for (const x of inputs) allocate(x);
