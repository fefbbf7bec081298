// Which eMSPs may see a tariff (OCPI 2.2.1 mod_tariffs: a CPO may have different tariffs per eMSP), from
// the operator's assignment rules, and which pushes a change of the rules calls for.
import { expect } from 'chai';
import { isTariffVisibleTo, tariffVisibility, visibilityPushes } from '../../../src/tariffs/tariff-visibility.ts';

const rule = (partnerFk: number | null, groupId: string | null = null) => ({ partnerFk, groupId });
const A = 1;
const B = 2;

describe('tariff visibility', () => {
  const cases: Array<{ name: string; rules: Array<{ partnerFk: number | null; groupId: string | null }>; visibleTo: number[] }> = [
    { name: 'should hide a tariff no rule assigns from every eMSP', rules: [], visibleTo: [] },
    { name: 'should show a tariff assigned for everybody to every eMSP', rules: [rule(null)], visibleTo: [A, B] },
    { name: 'should show a partner tariff to that partner only', rules: [rule(A)], visibleTo: [A] },
    { name: 'should show a partner + group tariff to that partner only', rules: [rule(A, 'FLEET')], visibleTo: [A] },
    { name: 'should hide a group-only tariff from every eMSP (the operator\'s own driver groups)', rules: [rule(null, 'FLEET')], visibleTo: [] },
    { name: 'should show a tariff assigned for everybody and for A to both', rules: [rule(A), rule(null)], visibleTo: [A, B] },
    { name: 'should show a tariff assigned to A and to B to both', rules: [rule(A), rule(B)], visibleTo: [A, B] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const v = tariffVisibility(c.rules);
      expect([A, B].filter((p) => isTariffVisibleTo(v, p))).to.deep.equal(c.visibleTo);
    });
  }

  it('mod_tariffs §11.2.2: should PUT to the partners that gain a tariff and DELETE at those that lose it', () => {
    const before = tariffVisibility([rule(A)]);
    const after = tariffVisibility([rule(B)]);
    expect(visibilityPushes(before, after, [A, B, 3])).to.deep.equal({ put: [B], delete: [A] });
  });

  it('should push nothing to a partner whose view does not change', () => {
    const before = tariffVisibility([rule(null)]);
    const after = tariffVisibility([rule(null), rule(A)]);
    expect(visibilityPushes(before, after, [A, B])).to.deep.equal({ put: [], delete: [] });
  });

  it('should DELETE at every partner when the last general rule goes', () => {
    expect(visibilityPushes(tariffVisibility([rule(null)]), tariffVisibility([]), [A, B])).to.deep.equal({ put: [], delete: [A, B] });
  });
});
