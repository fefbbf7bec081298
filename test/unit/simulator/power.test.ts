import { expect } from 'chai';
import { allocate, evAcceptanceA, phaseCurrents, powerW, shareCap, type ConnectorDemand } from '../../../src/simulator/model/power.ts';

const ev = { maxCurrentA: 32, phases: 3, batteryWh: 60_000 };

describe('simulator/model/power', () => {
  it('should draw the EV maximum up to 80 % SoC, then taper to a tenth at 100 %, and nothing when full', () => {
    expect([50, 80, 90, 100].map((soc) => evAcceptanceA(ev, soc))).to.deep.equal([32, 32, 32 * 0.55, 0]);
  });

  it('should share a cap so that nobody gets more than asked and the rest is split equally', () => {
    expect(shareCap([10, 30, 30], 50)).to.deep.equal([10, 20, 20]);
    expect(shareCap([10, 12], 100)).to.deep.equal([10, 12]);
  });

  it('should cap each connector by its own limit, then share a ChargePointMaxProfile in A per phase', () => {
    // Arrange: two EVs asking 32 A, one connector limited to 16 A by its profile, 40 A for the whole charger
    const demands: ConnectorDemand[] = [{ evA: 32, phases: 3, limitA: 16 }, { evA: 32, phases: 3, limitA: 32 }];
    // Act
    const draws = allocate(demands, { value: 40, unit: 'A' }, 230);
    // Assert
    expect(draws).to.deep.equal([{ currentA: 16, phases: 3, state: 'Charging' }, { currentA: 24, phases: 3, state: 'Charging' }]);
  });

  it('should share a cap in W over each connector\'s phases (a single-phase car takes its share on L1)', () => {
    const demands: ConnectorDemand[] = [{ evA: 32, phases: 1, limitA: 32 }, { evA: 32, phases: 3, limitA: 32 }];
    const draws = allocate(demands, { value: 11_040, unit: 'W' }, 230);
    expect(draws.map((d) => Math.round(powerW(d.currentA, d.phases, 230)))).to.deep.equal([5520, 5520]);
    expect(draws.map((d) => d.currentA)).to.deep.equal([24, 8]);
  });

  it('IEC 61851-1: should suspend charging (SuspendedEVSE) when the offer is below 6 A, and report a full EV as SuspendedEV', () => {
    expect(allocate([{ evA: 32, phases: 3, limitA: 5.9 }], undefined, 230)).to.deep.equal([{ currentA: 0, phases: 3, state: 'SuspendedEVSE' }]);
    expect(allocate([{ evA: 0, phases: 3, limitA: 32 }], undefined, 230)).to.deep.equal([{ currentA: 0, phases: 3, state: 'SuspendedEV' }]);
    // an EV tapering below 6 A still charges: the offer is what counts
    expect(allocate([{ evA: 3.2, phases: 3, limitA: 32 }], undefined, 230)[0]).to.deep.equal({ currentA: 3.2, phases: 3, state: 'Charging' });
  });

  it('should report the current on the phases in use and zero on the others', () => {
    expect([phaseCurrents(16, 1, 3), phaseCurrents(16, 3, 3), phaseCurrents(16, 1, 1)]).to.deep.equal([[16, 0, 0], [16, 16, 16], [16]]);
    expect(powerW(16, 3, 230)).to.equal(11_040);
  });
});
