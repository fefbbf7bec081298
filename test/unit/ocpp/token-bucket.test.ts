import { expect } from 'chai';
import { TokenBucket } from '../../../src/ocpp/token-bucket.ts';

describe('unit ocpp/token-bucket', () => {
  it('should allow a burst, then refill at the rate, never above the burst', () => {
    const t0 = 1_000_000;
    const bucket = new TokenBucket(2, 3, t0);

    const burst = [1, 2, 3, 4].map(() => bucket.take(t0));
    const afterHalfSecond = [bucket.take(t0 + 500), bucket.take(t0 + 500)];
    const afterLongPause = [1, 2, 3, 4].map(() => bucket.take(t0 + 60_000));

    expect(burst).to.deep.equal([true, true, true, false]);
    expect(afterHalfSecond).to.deep.equal([true, false]);
    expect(afterLongPause).to.deep.equal([true, true, true, false]);
  });
});
