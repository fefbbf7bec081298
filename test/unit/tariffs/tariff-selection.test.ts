// The operator's tariff assignment rules resolved for a session: audience (group > party > everybody)
// first, then scope (connector > EVSE > location), then priority; tariffs outside their
// start_date_time / end_date_time window (OCPI 2.2.1 tariffs §11.3.1) are skipped.
import { expect } from 'chai';
import {
  connectorTariffIds,
  isTariffActive,
  selectTariff,
  type TariffAssignment,
  type TariffValidity,
} from '../../../src/tariffs/tariff-selection.ts';

const P7 = { countryCode: 'DE', partyId: 'AAA' };
const P8 = { countryCode: 'DE', partyId: 'BBB' };
let nextId = 1;
function aRule(tariffId: string, o: Partial<TariffAssignment> = {}): TariffAssignment {
  return { id: nextId++, tariffId, connectorFk: null, evseFk: null, locationId: 'LOC1', party: null, groupId: null, priority: 0, ...o };
}

const site = { connectorFk: 11, evseFk: 21, locationId: 'LOC1' };
const anyone = { party: null, groupId: null };
const AT = Date.parse('2024-06-01T12:00:00Z');
const open: TariffValidity = { startMs: null, endMs: null };

function validityOf(rules: TariffAssignment[], overrides: Record<string, TariffValidity> = {}): Map<string, TariffValidity> {
  return new Map(rules.map((r) => [r.tariffId, overrides[r.tariffId] ?? open]));
}

interface Case {
  name: string;
  rules: TariffAssignment[];
  who?: { party: { countryCode: string; partyId: string } | null; groupId: string | null };
  validity?: Record<string, TariffValidity>;
  /** Tariffs the rules name but that are not stored (deleted). */
  unknown?: string[];
  expected: string | undefined;
}

const cases: Case[] = [
  { name: 'should pick the location default when it is the only rule', rules: [aRule('LOC')], expected: 'LOC' },
  { name: 'should prefer an EVSE rule over a location rule', rules: [aRule('LOC'), aRule('EVSE', { locationId: null, evseFk: 21 })], expected: 'EVSE' },
  { name: 'should prefer a connector rule over an EVSE rule', rules: [aRule('EVSE', { locationId: null, evseFk: 21 }), aRule('CON', { locationId: null, connectorFk: 11 })], expected: 'CON' },
  { name: 'should ignore rules of other connectors, EVSEs and locations', rules: [aRule('LOC'), aRule('X1', { locationId: null, connectorFk: 12 }), aRule('X2', { locationId: null, evseFk: 22 }), aRule('X3', { locationId: 'LOC2' })], expected: 'LOC' },
  { name: "should prefer the token's party rule over a default connector rule", rules: [aRule('CON', { locationId: null, connectorFk: 11 }), aRule('P', { party: P7 })], who: { party: P7, groupId: null }, expected: 'P' },
  { name: 'should match the party case-insensitively (CiString)', rules: [aRule('LOC'), aRule('P', { party: { countryCode: 'de', partyId: 'aaa' } })], who: { party: P7, groupId: null }, expected: 'P' },
  { name: 'should ignore a rule of another party, even one behind the same hub', rules: [aRule('LOC'), aRule('P8', { party: P8 })], who: { party: P7, groupId: null }, expected: 'LOC' },
  { name: 'should not apply a party rule to the operator\'s own tokens', rules: [aRule('LOC'), aRule('P', { party: P7 })], expected: 'LOC' },
  { name: 'should prefer a group rule over a party rule', rules: [aRule('P', { party: P7, locationId: null, connectorFk: 11 }), aRule('G', { groupId: 'FLEET' })], who: { party: P7, groupId: 'FLEET' }, expected: 'G' },
  { name: 'should prefer a group + party rule over a group-only rule', rules: [aRule('G', { groupId: 'FLEET' }), aRule('GP', { groupId: 'FLEET', party: P7 })], who: { party: P7, groupId: 'FLEET' }, expected: 'GP' },
  { name: 'should ignore a group rule for another group', rules: [aRule('LOC'), aRule('G', { groupId: 'OTHER' })], who: { party: null, groupId: 'FLEET' }, expected: 'LOC' },
  { name: 'should break a tie by the higher priority', rules: [aRule('LOW', { priority: 1 }), aRule('HIGH', { priority: 5 })], expected: 'HIGH' },
  { name: 'should break a full tie by the older rule', rules: [aRule('FIRST'), aRule('SECOND')], expected: 'FIRST' },
  {
    name: '§11.3.1 end_date_time: should fall back to the next rule when the most specific tariff has ended',
    rules: [aRule('LOC'), aRule('OLD', { locationId: null, connectorFk: 11 })],
    validity: { OLD: { startMs: null, endMs: AT } },
    expected: 'LOC',
  },
  {
    name: '§11.3.1 start_date_time: should not apply a tariff announced for later',
    rules: [aRule('NOW', { priority: 0 }), aRule('NEXT', { priority: 9 })],
    validity: { NEXT: { startMs: AT + 1, endMs: null } },
    expected: 'NOW',
  },
  { name: 'should skip a rule whose tariff is unknown', rules: [aRule('LOC'), aRule('GONE', { locationId: null, connectorFk: 11 })], unknown: ['GONE'], expected: 'LOC' },
  { name: 'should return undefined when no rule covers the site', rules: [aRule('X', { locationId: 'LOC2' })], expected: undefined },
];

describe('tariff selection', () => {
  for (const c of cases) {
    it(c.name, () => {
      const validity = validityOf(c.rules, c.validity);
      for (const id of c.unknown ?? []) validity.delete(id);
      const rule = selectTariff(c.rules, { site, who: c.who ?? anyone, atMs: AT }, validity);
      expect(rule?.tariffId).to.equal(c.expected);
    });
  }

  it('§11.3.1: should treat start_date_time as inclusive and end_date_time as exclusive', () => {
    expect(isTariffActive({ startMs: AT, endMs: null }, AT)).to.equal(true);
    expect(isTariffActive({ startMs: null, endMs: AT }, AT)).to.equal(false);
    expect(isTariffActive({ startMs: AT - 1, endMs: AT + 1 }, AT)).to.equal(true);
  });

  it('locations §8.3.4 tariff_ids: should list the current and the announced tariff of the most specific tier', () => {
    const rules = [aRule('LOC'), aRule('CUR', { locationId: null, connectorFk: 11, priority: 1 }), aRule('NEXT', { locationId: null, connectorFk: 11 })];
    expect(connectorTariffIds(rules, site, anyone)).to.deep.equal(['CUR', 'NEXT']);
  });

  it('locations §8.3.4 tariff_ids: should show a party its own tariff and others the default', () => {
    const rules = [aRule('LOC'), aRule('P', { party: P7 }), aRule('G', { groupId: 'FLEET' })];
    expect(connectorTariffIds(rules, site, { party: P7, groupId: null })).to.deep.equal(['P']);
    expect(connectorTariffIds(rules, site, { party: P8, groupId: null })).to.deep.equal(['LOC']);
    expect(connectorTariffIds(rules, { connectorFk: 99, evseFk: null, locationId: null }, anyone)).to.deep.equal([]);
  });
});
