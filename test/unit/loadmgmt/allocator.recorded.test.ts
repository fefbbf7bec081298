// Issue 10 "Allocator bench target": the allocator was optimised without changing its results. Its results on
// random inputs (the property tests' small trees, and benchmark-shaped depots of up to 1,000 sessions) were
// recorded before the optimisation, as a SHA-256 of the JSON of each result; they must stay the same.
// Re-record (only for an intended change of the rules): RECORD_ALLOCATIONS=1 npx mocha test/unit/loadmgmt/allocator.recorded.test.ts
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import type { AllocationInput } from '../../../src/loadmgmt/allocation.types.ts';
import { allocate } from '../../../src/loadmgmt/allocator.ts';
import { aRandomDepot, randomCase } from '../../fixtures/load-allocation-random.ts';

const FILE = new URL('../../fixtures/load-allocation-recorded.json', import.meta.url);

interface Recorded {
  name: string;
  sha256: string;
}

function cases(): Array<{ name: string; input: () => AllocationInput }> {
  const small = Array.from({ length: 300 }, (_, seed) => ({ name: `random ${seed}`, input: () => randomCase(10_000 + seed) }));
  const depots = Array.from({ length: 12 }, (_, seed) => {
    const o = { panels: 1 + (seed % 10), sessions: [50, 200, 1000][seed % 3]!, horizonSec: seed % 4 === 3 ? 900 : 24 * 3600 };
    return { name: `depot ${seed} (${o.panels} panels, ${o.sessions} sessions, ${o.horizonSec / 3600} h)`, input: () => aRandomDepot(seed, o) };
  });
  return [...small, ...depots];
}

const digest = (input: AllocationInput): string => createHash('sha256').update(JSON.stringify(allocate(input))).digest('hex');

describe('load allocator: results as recorded before the optimisation', () => {
  if (process.env.RECORD_ALLOCATIONS === '1') {
    it('should record the results', () => {
      const recorded: Recorded[] = cases().map((c) => ({ name: c.name, sha256: digest(c.input()) }));
      writeFileSync(FILE, `${JSON.stringify(recorded, null, 1)}\n`);
    });
    return;
  }
  const recorded = new Map((JSON.parse(readFileSync(FILE, 'utf8')) as Recorded[]).map((r) => [r.name, r.sha256]));

  it('should give the recorded result for every random input', () => {
    const all = cases();
    const changed = all.filter((c) => digest(c.input()) !== recorded.get(c.name)).map((c) => c.name);
    expect(all.length).to.equal(recorded.size);
    expect(changed).to.deep.equal([]);
  });
});
