// Limits that keep a partner (or a stranger) from tying up /ocpi: the Token header is checked before the
// body is read, a per-partner token bucket answers excess requests 429, and a request that is not received
// in time is answered 408. Time comes from the injected clock; nothing here waits on a timer to assert.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { rawHttp } from '../../helpers/raw-http.ts';
import { aRegisteredEmsp, anInvitedPartner, tokenHeader, type RegisteredEmsp } from '../../fixtures/partners.ts';

const RATE = { requestsPerSec: 2, burst: 3 };

describe('e2e ocpi limits', () => {
  describe('token before body, and the per-partner rate limit', () => {
    const clock = fixedClock(new Date('2026-03-01T12:00:00Z'));
    const t = useTestApp({ clock, overrides: { 'ocpi.rateLimit': RATE } });

    const getLocations = (emsp: RegisteredEmsp) => fetch(`${t.httpUrl}/ocpi/2.2.1/locations`, { headers: { authorization: tokenHeader(emsp.token) } });

    it('transport §4.1.2: should answer an unknown token 401 without waiting for the announced body', async () => {
      // A body of 5 MB is announced and never sent: only an answer given before reading it can arrive.
      const res = await rawHttp(t.httpUrl, { method: 'PUT', path: '/ocpi/2.2.1/tokens/DE/ABC/UID1', headers: { authorization: tokenHeader('wrong-token'), 'content-type': 'application/json', 'content-length': '5000000' } });

      expect(res.status).to.equal(401);
      expect(validateOcpiEnvelope(res.json)).to.deep.equal({ ok: true });
    });

    it('transport §4.1.2: should answer an invited token on a functional module 401 without waiting for the body', async () => {
      const { tokenA } = await anInvitedPartner(t.db);

      const res = await rawHttp(t.httpUrl, { method: 'POST', path: '/ocpi/2.2.1/commands/START_SESSION', headers: { authorization: tokenHeader(tokenA), 'content-length': '5000000' } });

      expect([res.status, res.json.status_message]).to.deep.equal([401, 'Authorization: not registered yet; only versions and credentials may be used']);
    });

    it('should answer requests beyond the burst 429 with Retry-After and the envelope, per partner', async () => {
      const [a, b] = [await aRegisteredEmsp(t.db), await aRegisteredEmsp(t.db)];

      const burst = [await getLocations(a), await getLocations(a), await getLocations(a)];
      const refused = await getLocations(a);
      const other = await getLocations(b);

      expect(burst.map((r) => r.status)).to.deep.equal([200, 200, 200]);
      expect([refused.status, refused.headers.get('retry-after')]).to.deep.equal([429, '1']);
      const body = (await refused.json()) as any;
      expect(validateOcpiEnvelope(body)).to.deep.equal({ ok: true });
      expect([body.status_code, body.status_message]).to.deep.equal([2000, 'rate limit: at most 2 requests per second per partner (bursts of 3); retry after 1 s']);
      expect(other.status).to.equal(200);
    });

    it('should let a limited partner in again as the bucket refills with time', async () => {
      const a = await aRegisteredEmsp(t.db);
      for (let i = 0; i < RATE.burst; i++) expect((await getLocations(a)).status).to.equal(200);
      expect((await getLocations(a)).status).to.equal(429);

      clock.advance(500); // 2 requests/s: one token

      expect((await getLocations(a)).status).to.equal(200);
      expect((await getLocations(a)).status).to.equal(429);
    });

    it('should not run the handler (nor read the body) of a refused request', async () => {
      const a = await aRegisteredEmsp(t.db);
      for (let i = 0; i < RATE.burst; i++) await getLocations(a);

      const refused = await rawHttp(t.httpUrl, { method: 'PUT', path: `/ocpi/2.2.1/tokens/${a.countryCode}/${a.partyId}/LIMITED`, headers: { authorization: tokenHeader(a.token), 'content-type': 'application/json', 'content-length': '5000000' } });

      expect(refused.status).to.equal(429);
      expect(await t.db('id_tokens').where({ uid: 'LIMITED' })).to.deep.equal([]);
    });
  });

  describe('rate limit off', () => {
    const t = useTestApp({ clock: fixedClock(new Date('2026-03-01T12:00:00Z')), overrides: { 'ocpi.rateLimit': { requestsPerSec: 0, burst: 1 } } });

    it('should let every request through when ocpi.rateLimit.requestsPerSec is 0', async () => {
      const a = await aRegisteredEmsp(t.db);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(`${t.httpUrl}/ocpi/2.2.1/locations`, { headers: { authorization: tokenHeader(a.token) } })).status);

      expect(statuses).to.deep.equal([200, 200, 200, 200, 200]);
    });
  });

  describe('slow request bodies', () => {
    const t = useTestApp({ overrides: { 'http.requestTimeoutSec': 1, 'http.headersTimeoutSec': 1 } });

    it('should answer 408 and close the connection when the body does not arrive within http.requestTimeoutSec', async () => {
      const a = await aRegisteredEmsp(t.db);

      // 2 of 100 announced bytes: the server gives up on the request instead of waiting for ever.
      const res = await rawHttp(t.httpUrl, { method: 'PUT', path: `/ocpi/2.2.1/tokens/${a.countryCode}/${a.partyId}/SLOW`, headers: { authorization: tokenHeader(a.token), 'content-type': 'application/json', 'content-length': '100' }, body: '{}' });

      expect([res.status, res.headers.connection]).to.deep.equal([408, 'close']);
      expect(await t.db('id_tokens').where({ uid: 'SLOW' })).to.deep.equal([]);
    });
  });
});
