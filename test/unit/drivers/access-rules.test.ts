import { expect } from 'chai';
import { decideAccess, isWithinRuleTime } from '../../../src/drivers/access-rules.ts';
import type { AccessPlace, AccessRule } from '../../../src/drivers/driver.types.ts';

const WEEKDAYS = [1, 2, 3, 4, 5];
const aRule = (o: Partial<AccessRule> = {}): AccessRule => ({ id: 1, groupId: 1, locationId: 'LOC1', evseUid: null, weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: null, endTime: null, tariffId: null, ...o });
const aPlace = (o: Partial<AccessPlace> = {}): AccessPlace => ({ locationId: 'LOC1', accessMode: 'restricted', timeZone: 'Europe/Amsterdam', evseUids: ['E1', 'E2'], ...o });

describe('unit drivers access rules', () => {
  describe('location access mode', () => {
    it('should let any token charge at a public location without rules', () => {
      expect(decideAccess(aPlace({ accessMode: 'public' }), [], new Date('2026-03-23T12:00:00Z'))).to.deep.equal({ allowed: true });
    });

    it('should refuse a token without rules at a restricted location (NO_ACCESS_RULES)', () => {
      expect(decideAccess(aPlace(), [], new Date('2026-03-23T12:00:00Z'))).to.deep.equal({ allowed: false, reason: 'NO_ACCESS_RULES' });
    });

    it('should refuse a token whose rules are for another location (NOT_ALLOWED_HERE), private too', () => {
      const rules = [aRule({ locationId: 'OTHER' })];

      expect(decideAccess(aPlace(), rules, new Date('2026-03-23T12:00:00Z'))).to.deep.equal({ allowed: false, reason: 'NOT_ALLOWED_HERE' });
      expect(decideAccess(aPlace({ accessMode: 'private' }), rules, new Date('2026-03-23T12:00:00Z'))).to.deep.equal({ allowed: false, reason: 'NOT_ALLOWED_HERE' });
    });

    it("should give a public location's rule tariff to its group's drivers", () => {
      expect(decideAccess(aPlace({ accessMode: 'public' }), [aRule({ id: 7, tariffId: 'FLEET' })], new Date('2026-03-23T12:00:00Z'))).to.deep.equal({ allowed: true, tariffId: 'FLEET', ruleId: 7 });
    });
  });

  describe('days and hours in the location time zone', () => {
    const office = aRule({ weekdays: WEEKDAYS, startTime: '07:00', endTime: '19:00', tariffId: 'T1' });

    it('should allow within the window and refuse outside it (OUTSIDE_ALLOWED_TIME)', () => {
      // Monday 2026-03-23, Amsterdam is UTC+1 (CET)
      expect(decideAccess(aPlace(), [office], new Date('2026-03-23T06:00:00Z')).allowed, '07:00 local').to.equal(true);
      expect(decideAccess(aPlace(), [office], new Date('2026-03-23T17:59:00Z')).allowed, '18:59 local').to.equal(true);
      expect(decideAccess(aPlace(), [office], new Date('2026-03-23T18:00:00Z')), '19:00 local').to.deep.equal({ allowed: false, reason: 'OUTSIDE_ALLOWED_TIME' });
      expect(decideAccess(aPlace(), [office], new Date('2026-03-23T05:59:00Z')), '06:59 local').to.deep.equal({ allowed: false, reason: 'OUTSIDE_ALLOWED_TIME' });
    });

    it('should refuse on a weekday not in the rule (Saturday)', () => {
      expect(decideAccess(aPlace(), [office], new Date('2026-03-28T12:00:00Z'))).to.deep.equal({ allowed: false, reason: 'OUTSIDE_ALLOWED_TIME' });
    });

    it("should read the window in the location's own time zone, not UTC", () => {
      // 2026-03-23T13:00Z is 14:00 in Amsterdam but 09:00 in New York (EDT, UTC-4) and 06:00 in Los Angeles
      const at = new Date('2026-03-23T13:00:00Z');
      const nineToFive = aRule({ weekdays: WEEKDAYS, startTime: '08:00', endTime: '17:00' });

      expect(decideAccess(aPlace({ timeZone: 'America/New_York' }), [nineToFive], at).allowed).to.equal(true);
      expect(decideAccess(aPlace({ timeZone: 'America/Los_Angeles' }), [nineToFive], at).allowed).to.equal(false);
    });

    it('should follow the DST change: 07:00 local is 06:00Z before and 05:00Z after the spring change', () => {
      // Europe/Amsterdam went from UTC+1 to UTC+2 on Sunday 2026-03-29
      expect(decideAccess(aPlace(), [office], new Date('2026-03-23T05:30:00Z')).allowed, 'Mon before: 06:30 local').to.equal(false);
      expect(decideAccess(aPlace(), [office], new Date('2026-03-30T05:30:00Z')).allowed, 'Mon after: 07:30 local').to.equal(true);
      expect(decideAccess(aPlace(), [office], new Date('2026-03-30T17:30:00Z')).allowed, 'Mon after: 19:30 local').to.equal(false);
    });
  });

  describe('overnight windows', () => {
    const night = { weekdays: [1], startTime: '22:00', endTime: '06:00' };

    it('should let a window past midnight run into the next day, belonging to the day it starts', () => {
      expect([
        isWithinRuleTime(night, 1, 23 * 60), // Monday 23:00
        isWithinRuleTime(night, 2, 5 * 60 + 59), // Tuesday 05:59
        isWithinRuleTime(night, 2, 6 * 60), // Tuesday 06:00: ended
        isWithinRuleTime(night, 1, 5 * 60 + 59), // Monday 05:59: Sunday's night, not in the rule
        isWithinRuleTime(night, 1, 21 * 60 + 59), // Monday 21:59: not started
      ]).to.deep.equal([true, true, false, false, false]);
    });

    it('should carry a Sunday night window into Monday morning', () => {
      expect(isWithinRuleTime({ weekdays: [7], startTime: '20:00', endTime: '08:00' }, 1, 7 * 60)).to.equal(true);
    });

    it('should treat a start equal to the end as 24 hours from the start', () => {
      const allDayFromNoon = { weekdays: [3], startTime: '12:00', endTime: '12:00' };

      expect([isWithinRuleTime(allDayFromNoon, 3, 12 * 60), isWithinRuleTime(allDayFromNoon, 4, 11 * 60 + 59), isWithinRuleTime(allDayFromNoon, 3, 11 * 60 + 59)]).to.deep.equal([true, true, false]);
    });

    it('should decide an overnight rule at a real instant (Tuesday 04:00 Amsterdam)', () => {
      const rule = aRule({ ...night });

      expect(decideAccess(aPlace(), [rule], new Date('2026-03-24T03:00:00Z')).allowed).to.equal(true);
    });
  });

  describe('EVSE rules', () => {
    it('should allow an EVSE rule only at that EVSE', () => {
      const rules = [aRule({ locationId: null, evseUid: 'E1' })];

      expect(decideAccess(aPlace({ evseUids: ['E1'] }), rules, new Date('2026-03-23T12:00:00Z')).allowed).to.equal(true);
      expect(decideAccess(aPlace({ evseUids: ['E2'] }), rules, new Date('2026-03-23T12:00:00Z'))).to.deep.equal({ allowed: false, reason: 'NOT_ALLOWED_HERE' });
    });

    it('should prefer the EVSE rule over the location rule for the tariff', () => {
      const rules = [aRule({ id: 1, tariffId: 'SITE' }), aRule({ id: 2, locationId: null, evseUid: 'E1', tariffId: 'FAST' })];

      expect(decideAccess(aPlace({ evseUids: ['E1'] }), rules, new Date('2026-03-23T12:00:00Z'))).to.deep.equal({ allowed: true, tariffId: 'FAST', ruleId: 2 });
    });
  });
});
