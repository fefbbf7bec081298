// The public driver API's rate limit (issue 11): a token bucket per client address, 429 with Retry-After.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';

describe('e2e web: driver API rate limit', () => {
  const t = useTestApp({ overrides: { 'web.driverRateLimit.perSec': 0.01, 'web.driverRateLimit.burst': 3 } });
  const driver = (path: string) => t.api('GET', `/api/v1/driver${path}`, undefined, { key: null });

  it('should answer 429 with Retry-After once a client address used its burst, and leave the admin API alone', async () => {
    // Act: the burst, one more, then an admin call from the same address
    const burst = [await driver('/evses'), await driver('/evses'), await driver('/evses/NOPE')];
    const refused = await driver('/evses');
    const admin = await t.api('GET', '/api/v1/locations');

    // Assert
    expect(burst.map((r) => r.status)).to.deep.equal([200, 200, 404]);
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 100);
    expect(refused.body.error.message).to.match(/rate limit/);
    expect(admin.status).to.equal(200);
  });
});
