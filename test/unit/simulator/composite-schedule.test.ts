import { expect } from 'chai';
import type { ChargingProfile } from '../../../src/simulator/model/charging-profiles.ts';
import { compositeSchedule, type CompositeInput } from '../../../src/simulator/model/composite-schedule.ts';

const T0 = Date.parse('2026-03-02T08:00:00Z');

function aProfile(o: Partial<ChargingProfile> & { periods: ChargingProfile['schedule']['periods']; unit?: 'A' | 'W'; durationSec?: number }): ChargingProfile {
  const { periods, unit = 'A', durationSec, ...rest } = o;
  return { id: 1, connectorId: 1, stackLevel: 0, purpose: 'TxDefault', kind: 'Absolute', installedAt: T0, schedule: { unit, periods, startSchedule: T0, ...(durationSec ? { durationSec } : {}) }, ...rest };
}

const input = (o: Partial<CompositeInput>): CompositeInput => ({ profiles: [], connectorId: 1, from: T0, durationSec: 3600, unit: 'A', voltage: 230, phases: 3, maxCurrentA: 32, ...o });

describe('simulator/model/composite-schedule', () => {
  it('OCPP16 §5.7: should report the charger maximum when no profile limits the connector', () => {
    expect(compositeSchedule(input({})).periods).to.deep.equal([{ startPeriod: 0, limit: 32 }]);
  });

  it('OCPP16 §3.13.3: should take the lower of the ChargePointMaxProfile and the transaction profile at every moment', () => {
    // Arrange: the charger may take 20 A for the first half hour, then 40 A; the default profile 16 A then 25 A after 40 min
    const cpMax = aProfile({ id: 1, connectorId: 0, purpose: 'ChargePointMax', periods: [{ startPeriod: 0, limit: 20 }, { startPeriod: 1800, limit: 40 }] });
    const txDefault = aProfile({ id: 2, periods: [{ startPeriod: 0, limit: 16 }, { startPeriod: 2400, limit: 25 }] });

    // Act
    const c = compositeSchedule(input({ profiles: [cpMax, txDefault] }));

    // Assert
    expect(c.periods).to.deep.equal([{ startPeriod: 0, limit: 16 }, { startPeriod: 2400, limit: 25 }]);
  });

  it('OCPP16 §3.13.2: should fall back to the lower stack level when the higher one ends within the window', () => {
    const base = aProfile({ id: 1, stackLevel: 0, periods: [{ startPeriod: 0, limit: 24 }] });
    const boost = aProfile({ id: 2, stackLevel: 2, periods: [{ startPeriod: 0, limit: 8 }], durationSec: 900 });
    expect(compositeSchedule(input({ profiles: [base, boost] })).periods).to.deep.equal([{ startPeriod: 0, limit: 8 }, { startPeriod: 900, limit: 24 }]);
  });

  it('should convert between A and W over the phases in use, rounding down to 0.1', () => {
    const watts = aProfile({ unit: 'W', periods: [{ startPeriod: 0, limit: 7000 }] });
    const onePhase = aProfile({ id: 2, stackLevel: 1, periods: [{ startPeriod: 0, limit: 16, numberPhases: 1 }] });
    expect(compositeSchedule(input({ profiles: [watts] })).periods).to.deep.equal([{ startPeriod: 0, limit: 10.1 }]);
    expect(compositeSchedule(input({ profiles: [onePhase], unit: 'W' })).periods).to.deep.equal([{ startPeriod: 0, limit: 3680, numberPhases: 1 }]);
  });

  it('OCPP16 §5.7: should report only the ChargePointMaxProfile for connector 0, and the transaction profile of the running transaction', () => {
    const cpMax = aProfile({ id: 1, connectorId: 0, purpose: 'ChargePointMax', periods: [{ startPeriod: 0, limit: 50 }] });
    const tx = aProfile({ id: 2, purpose: 'Tx', txRef: 'tx-1', kind: 'Relative', periods: [{ startPeriod: 0, limit: 6 }, { startPeriod: 600, limit: 12 }] });
    expect(compositeSchedule(input({ profiles: [cpMax, tx], connectorId: 0, maxCurrentA: 64 })).periods).to.deep.equal([{ startPeriod: 0, limit: 50 }]);
    // the transaction started 5 minutes before the window
    const c = compositeSchedule(input({ profiles: [cpMax, tx], tx: { ref: 'tx-1', startedAt: T0 - 300_000 } }));
    expect(c.periods).to.deep.equal([{ startPeriod: 0, limit: 6 }, { startPeriod: 300, limit: 12 }]);
  });

  it('OCPP16 RecurrencyKindType Daily: should follow a daily recurring profile across midnight', () => {
    const night = aProfile({ kind: 'Recurring', recurrency: 'Daily', periods: [{ startPeriod: 0, limit: 32 }, { startPeriod: 3600, limit: 10 }] });
    // window from 30 minutes before the next day's start to 2 hours after it
    const from = T0 + 86_400_000 - 1800_000;
    const c = compositeSchedule(input({ profiles: [night], from, durationSec: 3 * 3600 }));
    expect(c.periods).to.deep.equal([{ startPeriod: 0, limit: 10 }, { startPeriod: 1800, limit: 32 }, { startPeriod: 5400, limit: 10 }]);
  });
});
