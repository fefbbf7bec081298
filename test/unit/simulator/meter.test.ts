import { expect } from 'chai';
import { advance, changePower, newMeter, readingWh, socAfter } from '../../../src/simulator/model/meter.ts';

const H = 3_600_000;

describe('simulator/model/meter', () => {
  it('should integrate power over time into the register', () => {
    // 11 kW for an hour, then 3.68 kW for half an hour, on a meter that showed 1,000 Wh
    let m = changePower(newMeter(1000, 0), 0, 11_040);
    m = changePower(m, H, 3680);
    m = advance(m, 1.5 * H);
    expect(readingWh(m)).to.equal(1000 + 11_040 + 1840);
  });

  it('should give the same register whether it is advanced in many small steps or one', () => {
    let small = changePower(newMeter(0, 0), 0, 7_400);
    for (let t = 50; t <= 600_000; t += 50) small = advance(small, t);
    const once = advance(changePower(newMeter(0, 0), 0, 7_400), 600_000);
    expect(readingWh(small)).to.equal(readingWh(once)).and.equal(1233);
  });

  it('should read whole Wh rounded down, never going back', () => {
    let m = changePower(newMeter(0, 0), 0, 100); // 100 W: 1 Wh every 36 s
    const readings: number[] = [];
    for (let s = 0; s <= 120; s += 10) {
      m = advance(m, s * 1000);
      readings.push(readingWh(m));
    }
    expect(readings).to.deep.equal([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3]);
    expect(readingWh(advance(m, 60_000))).to.equal(3); // an older time changes nothing
  });

  it('should raise the state of charge by the energy over the battery size, up to 100 %', () => {
    expect([socAfter(50, 6_000, 60_000), socAfter(99, 6_000, 60_000)]).to.deep.equal([60, 100]);
  });
});
