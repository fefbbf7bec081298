import { expect } from 'chai';
import { allocationText, formatAmps, measuredText, phaseRows } from '../../../web/shared/load-group.ts';

describe('web/shared/load-group', () => {
  it('should give one row per grid phase with the usage of the limit, and mark a phase over it', () => {
    const rows = phaseRows({ phases: 3, limitA: 20, plannedA: { L1: 16, L2: 16, L3: 0 }, measuredA: { L1: 10, L2: 25, L3: 0 } });
    expect(rows).to.deep.equal([
      { phase: 'L1', limitA: 20, plannedA: 16, measuredA: 10, usage: 0.5, isOver: false },
      { phase: 'L2', limitA: 20, plannedA: 16, measuredA: 25, usage: 1, isOver: true },
      { phase: 'L3', limitA: 20, plannedA: 0, measuredA: 0, usage: 0, isOver: false },
    ]);
  });

  it('should show only L1 for a single-phase group and no plan before the first allocation', () => {
    expect(phaseRows({ phases: 1, limitA: 16, plannedA: null, measuredA: { L1: 4, L2: 0, L3: 0 } })).to.deep.equal([{ phase: 'L1', limitA: 16, plannedA: null, measuredA: 4, usage: 0.25, isOver: false }]);
  });

  it('should count a limit of 0 A (a paused group) as full once anything is drawn', () => {
    expect(phaseRows({ phases: 1, limitA: 0, plannedA: null, measuredA: { L1: 1, L2: 0, L3: 0 } })[0]).to.include({ usage: 1, isOver: true });
  });

  const sessions: [string, Parameters<typeof allocationText>[0], string][] = [
    ['a limit taken', { limitA: 16, phases: 3, status: 'Accepted', uncontrolled: false }, '16 A × 3 (Accepted)'],
    ['a single-phase limit', { limitA: 6.5, phases: 1, status: 'Accepted', uncontrolled: false }, '6.5 A (Accepted)'],
    ['a paused session', { limitA: 0, phases: 3, status: 'Accepted', uncontrolled: false }, 'paused (0 A) (Accepted)'],
    ['no allocation yet', { limitA: null, phases: null, status: null, uncontrolled: false }, 'not sent yet'],
    ['a refusing charger', { limitA: 16, phases: 3, status: 'Rejected', uncontrolled: true }, 'uncontrolled (Rejected): counted at its maximum'],
  ];
  for (const [name, s, text] of sessions) it(`should describe ${name} as "${text}"`, () => expect(allocationText(s)).to.equal(text));

  it('should show amperes without needless decimals and the measured currents per phase', () => {
    expect([formatAmps(16), formatAmps(6.25), formatAmps(null)]).to.deep.equal(['16 A', '6.3 A', '—']);
    expect([measuredText([15.8, 15.9, 16]), measuredText([10, 0, 0]), measuredText(null)]).to.deep.equal(['15.8 / 15.9 / 16 A', '10 A', '—']);
  });
});
