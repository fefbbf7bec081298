import { expect } from 'chai';
import { deriveSeed, exponential, seededRandom } from '../../../src/simulator/random.ts';

describe('simulator/random', () => {
  it('should give the same stream for the same seed and a different one per charger', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(draw(deriveSeed(1, 7))).to.deep.equal(draw(deriveSeed(1, 7)));
    expect(draw(deriveSeed(1, 7))).to.not.deep.equal(draw(deriveSeed(1, 8)));
    expect(draw(3).every((x) => x >= 0 && x < 1)).to.equal(true);
  });

  it('should draw exponential waiting times with the asked mean', () => {
    const rnd = seededRandom(5);
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += exponential(rnd, 30);
    expect(sum / n).to.be.closeTo(30, 1);
  });
});
