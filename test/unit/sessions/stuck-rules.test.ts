// Pure stuck-session rules (issue 15): zombie classification and what counts as a newer late stop.
import { expect } from 'chai';
import { classifyZombie, closeRemark, isNewerStop, zombieMessage, type ZombieFacts, type ZombieRules } from '../../../src/sessions/stuck-rules.ts';

const START = new Date('2026-03-01T10:00:00Z');
const after = (min: number) => new Date(START.getTime() + min * 60_000);
const RULES: ZombieRules = { noEnergy: { afterMin: 30, action: 'close' }, noProgress: { afterMin: 360, action: 'close' }, tooLong: { afterMin: 2880, action: 'alert' } };
const facts = (o: Partial<ZombieFacts> = {}): ZombieFacts => ({ startAt: START, energyWh: 0, energyChangedAt: null, connectorStatus: 'Charging', ...o });

describe('unit sessions: stuck-session rules', () => {
  describe('classifyZombie', () => {
    it('should match NO_ENERGY once a session without energy is older than the threshold, and not before', () => {
      expect(classifyZombie(facts(), RULES, after(29))).to.equal(undefined);
      expect(classifyZombie(facts(), RULES, after(30))).to.equal('NO_ENERGY');
    });

    it('should match NO_PROGRESS when the energy has not changed for the threshold while the connector is not Charging', () => {
      const s = facts({ energyWh: 5000, energyChangedAt: after(60), connectorStatus: 'SuspendedEV' });
      expect(classifyZombie(s, RULES, after(60 + 359))).to.equal(undefined);
      expect(classifyZombie(s, RULES, after(60 + 360))).to.equal('NO_PROGRESS');
    });

    it('should trust a Charging connector: no NO_PROGRESS however long the energy stands still', () => {
      expect(classifyZombie(facts({ energyWh: 5000, energyChangedAt: after(60) }), RULES, after(2000))).to.equal(undefined);
    });

    it('should count an energy that never changed since the start from the start', () => {
      expect(classifyZombie(facts({ energyWh: 1, connectorStatus: 'Available' }), RULES, after(360))).to.equal('NO_PROGRESS');
    });

    it('should match TOO_LONG first, whatever else matches', () => {
      expect(classifyZombie(facts(), RULES, after(2880))).to.equal('TOO_LONG');
    });

    it('should never match a rule whose threshold is 0 (off)', () => {
      const off: ZombieRules = { noEnergy: { afterMin: 0, action: 'close' }, noProgress: { afterMin: 0, action: 'close' }, tooLong: { afterMin: 0, action: 'close' } };
      expect(classifyZombie(facts({ connectorStatus: 'Available' }), off, after(100_000))).to.equal(undefined);
    });
  });

  describe('isNewerStop', () => {
    const closed = { stopAt: after(30), meterStopWh: 5000 };

    it('should take a later stop time or a higher register as newer data', () => {
      expect(isNewerStop(closed, { stopAt: after(60), meterStopWh: 5000 })).to.equal(true);
      expect(isNewerStop(closed, { stopAt: after(30), meterStopWh: 5001 })).to.equal(true);
    });

    it('should refuse the same data, older data and a register lower than the one billed', () => {
      expect(isNewerStop(closed, { stopAt: after(30), meterStopWh: 5000 })).to.equal(false);
      expect(isNewerStop(closed, { stopAt: after(20), meterStopWh: 5000 })).to.equal(false);
      expect(isNewerStop(closed, { stopAt: after(60), meterStopWh: 4999 })).to.equal(false);
    });
  });

  it('should say in the CDR remark and alert message why, in words', () => {
    expect(closeRemark('STALE')).to.equal('Closed by the CPO: the charger stopped reporting');
    expect(zombieMessage('NO_PROGRESS', RULES.noProgress)).to.equal('energy unchanged for 6 h while the connector is not charging');
  });
});
