// Which eMSP parties may see a tariff (OCPI 2.2.1 mod_tariffs: a CPO may have different tariffs per eMSP),
// from the operator's assignment rules, and which pushes a change calls for: to a partner's own party (for a
// hub, a broadcast to every party behind it, transport §4.1.8) or to one party through its hub.
import { expect } from 'chai';
import { contentPushes, isTariffVisibleTo, tariffVisibility, visibilityPushes, type TariffReceiver } from '../../../src/tariffs/tariff-visibility.ts';

const A = { countryCode: 'DE', partyId: 'AAA' };
const B = { countryCode: 'DE', partyId: 'BBB' };
const HUB = { countryCode: 'NL', partyId: 'HUB' };
const rule = (party: typeof A | null, groupId: string | null = null) => ({ party, groupId });

/** A and B are direct partners 1 and 2. */
const direct: TariffReceiver[] = [{ partnerFk: 1, ownParty: A, parties: [] }, { partnerFk: 2, ownParty: B, parties: [] }];
/** A and B are both behind hub 9. */
const viaHub: TariffReceiver[] = [{ partnerFk: 9, ownParty: HUB, parties: [A, B] }];

describe('tariff visibility', () => {
  const cases: Array<{ name: string; rules: Array<ReturnType<typeof rule>>; visibleTo: Array<typeof A> }> = [
    { name: 'should hide a tariff no rule assigns from every party', rules: [], visibleTo: [] },
    { name: 'should show a tariff assigned for everybody to every party', rules: [rule(null)], visibleTo: [A, B] },
    { name: 'should show a party tariff to that party only', rules: [rule(A)], visibleTo: [A] },
    { name: 'should show a party + group tariff to that party only', rules: [rule(A, 'FLEET')], visibleTo: [A] },
    { name: 'should hide a group-only tariff from every party (the operator\'s own driver groups)', rules: [rule(null, 'FLEET')], visibleTo: [] },
    { name: 'should show a tariff assigned for everybody and for A to both', rules: [rule(A), rule(null)], visibleTo: [A, B] },
    { name: 'should show a tariff assigned to A and to B to both', rules: [rule(A), rule(B)], visibleTo: [A, B] },
    { name: 'should match a party case-insensitively', rules: [rule({ countryCode: 'de', partyId: 'aaa' })], visibleTo: [A] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const v = tariffVisibility(c.rules);
      expect([A, B].filter((p) => isTariffVisibleTo(v, p))).to.deep.equal(c.visibleTo);
    });
  }

  describe('pushes to direct partners', () => {
    it('mod_tariffs §11.2.2: should PUT to the party that gains a tariff and DELETE at the one that loses it', () => {
      expect(visibilityPushes(tariffVisibility([rule(A)]), tariffVisibility([rule(B)]), direct)).to.deep.equal([
        { partnerFk: 1, method: 'DELETE' },
        { partnerFk: 2, method: 'PUT' },
      ]);
    });

    it('should push nothing to a party whose view does not change', () => {
      expect(visibilityPushes(tariffVisibility([rule(null)]), tariffVisibility([rule(null), rule(A)]), direct)).to.deep.equal([]);
    });

    it('should DELETE at every partner when the last general rule goes', () => {
      expect(visibilityPushes(tariffVisibility([rule(null)]), tariffVisibility([]), direct)).to.deep.equal([{ partnerFk: 1, method: 'DELETE' }, { partnerFk: 2, method: 'DELETE' }]);
    });
  });

  describe('pushes through a hub', () => {
    it('should PUT a tariff priced for A to A only, addressed to it through the hub, never as a broadcast', () => {
      expect(visibilityPushes(tariffVisibility([]), tariffVisibility([rule(A)]), viaHub)).to.deep.equal([{ partnerFk: 9, toParty: A, method: 'PUT' }]);
    });

    it('should broadcast a general tariff once, to the hub itself', () => {
      expect(visibilityPushes(tariffVisibility([rule(A)]), tariffVisibility([rule(A), rule(null)]), viaHub)).to.deep.equal([{ partnerFk: 9, method: 'PUT' }]);
    });

    it('should PUT again to A after the broadcast DELETE of a tariff A still may see', () => {
      expect(visibilityPushes(tariffVisibility([rule(A), rule(null)]), tariffVisibility([rule(A)]), viaHub)).to.deep.equal([
        { partnerFk: 9, method: 'DELETE' },
        { partnerFk: 9, toParty: A, method: 'PUT' },
      ]);
    });

    it('should DELETE at A alone when its own rule goes', () => {
      expect(visibilityPushes(tariffVisibility([rule(A)]), tariffVisibility([]), viaHub)).to.deep.equal([{ partnerFk: 9, toParty: A, method: 'DELETE' }]);
    });

    it('should PUT a changed tariff once per receiver that sees it, to a party only when its hub does not', () => {
      expect(contentPushes(tariffVisibility([rule(A)]), [...viaHub, ...direct])).to.deep.equal([{ partnerFk: 9, toParty: A, method: 'PUT' }, { partnerFk: 1, method: 'PUT' }]);
      expect(contentPushes(tariffVisibility([rule(A), rule(null)]), viaHub)).to.deep.equal([{ partnerFk: 9, method: 'PUT' }]);
    });
  });
});
