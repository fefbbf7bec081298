import { expect } from 'chai';
import { costSoFar } from '../../../src/events/live-cost.ts';
import { aComponent, anElement, aTariff } from '../../fixtures/tariffs.ts';

const START = new Date('2026-03-02T10:00:00Z');

describe('unit events/live-cost', () => {
  it('should price the energy and time so far with the tariff engine', () => {
    // Arrange: 0.25/kWh + 2.00/h, 10% VAT; 4 kWh in 30 minutes
    const tariff = aTariff({ elements: [anElement([aComponent('ENERGY', 0.25, { vat: 10 }), aComponent('TIME', 2, { vat: 10 })])] });
    // Act
    const cost = costSoFar(tariff, { startAt: START, energyWh: 4000, timeZone: 'Europe/Amsterdam' }, START.getTime() + 30 * 60_000);
    // Assert
    expect(cost).to.deep.equal({ currency: 'EUR', exclVat: 2, inclVat: 2.2 });
  });

  it('should give no cost without a tariff', () => {
    expect(costSoFar(null, { startAt: START, energyWh: 4000, timeZone: 'UTC' }, START.getTime())).to.equal(null);
  });

  it('should count no time before the start when the clock is behind it', () => {
    const tariff = aTariff({ elements: [anElement([aComponent('TIME', 60)])] });
    expect(costSoFar(tariff, { startAt: START, energyWh: 0, timeZone: 'UTC' }, START.getTime() - 60_000)).to.deep.include({ exclVat: 0 });
  });
});
