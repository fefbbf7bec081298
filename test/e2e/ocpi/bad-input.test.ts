// Bad HTTP input on /ocpi is a client error with the OCPI envelope (status_codes §5: 2001 "Invalid or
// missing parameters", HTTP 4xx), never 500 / 3000, and it changes nothing stored. Requests are sent byte
// for byte (rawHttp) so that the server sees exactly what a broken client sends.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { rawHttp, type RawResponse } from '../../helpers/raw-http.ts';
import { aRegisteredEmsp, tokenHeader, type RegisteredEmsp } from '../../fixtures/partners.ts';

const MAX_BODY_BYTES = 4096;
const example = (file: string) => JSON.parse(readFileSync(new URL(`../../fixtures/ocpi-examples/${file}`, import.meta.url), 'utf8'));

describe('e2e ocpi bad input', () => {
  const t = useTestApp({ overrides: { 'ocpi.maxBodyBytes': MAX_BODY_BYTES } });
  let emsp: RegisteredEmsp;

  before(async () => {
    emsp = await aRegisteredEmsp(t.db);
  });

  const send = (method: string, path: string, o: { headers?: Record<string, string>; body?: Buffer | string } = {}) =>
    rawHttp(t.httpUrl, { method, path, headers: { authorization: tokenHeader(emsp.token), ...o.headers }, body: o.body });

  const expectClientError = (res: RawResponse, httpStatus: number, message: RegExp) => {
    expect(validateOcpiEnvelope(res.json), res.text).to.deep.equal({ ok: true });
    expect([res.status, res.json.status_code], res.text).to.deep.equal([httpStatus, 2001]);
    expect(res.json.status_message).to.match(message);
  };

  const tokenPath = (uid: string) => `/ocpi/2.2.1/tokens/${emsp.countryCode}/${emsp.partyId}/${uid}`;
  const aToken = (uid: string, o: Record<string, unknown> = {}) => ({ ...example('token_example_2_full_rfid.json'), country_code: emsp.countryCode, party_id: emsp.partyId, uid, ...o });

  /** PUTs a token, then checks that `attempt` leaves it exactly as it was. */
  async function expectTokenUnchanged(uid: string, attempt: () => Promise<RawResponse>): Promise<RawResponse> {
    const put = await send('PUT', tokenPath(uid), { headers: { 'content-type': 'application/json' }, body: JSON.stringify(aToken(uid)) });
    expect(put.json.status_code).to.equal(1000);
    const before = await t.db('id_tokens').where({ uid }).first();
    const res = await attempt();
    expect(await t.db('id_tokens').where({ uid }).first()).to.deep.equal(before);
    return res;
  }

  describe('paging (transport §4.1.3)', () => {
    for (const module of ['locations', 'sessions', 'cdrs', 'tariffs']) {
      it(`should refuse an offset beyond 2^31-1 on the ${module} list with 2001 naming offset`, async () => {
        for (const offset of ['99999999999999999999', '9223372036854775808', '2147483648']) {
          expectClientError(await send('GET', `/ocpi/2.2.1/${module}?offset=${offset}`), 400, /^offset: must be at most 2147483647$/);
        }
      });
    }

    it('should refuse a limit beyond 2^31-1 with 2001 naming limit', async () => {
      expectClientError(await send('GET', '/ocpi/2.2.1/locations?limit=99999999999999999999'), 400, /^limit: must be at most 2147483647$/);
    });

    it('should still accept the largest offset allowed (an empty page)', async () => {
      const res = await send('GET', '/ocpi/2.2.1/tariffs?offset=2147483647');
      expect([res.status, res.json.status_code, res.json.data]).to.deep.equal([200, 1000, []]);
    });
  });

  describe('text PostgreSQL cannot store (NUL)', () => {
    it('should refuse a NUL in a path id with 2001 naming the segment', async () => {
      expectClientError(await send('GET', '/ocpi/2.2.1/locations/A%00B'), 400, /^path segment "A\\u0000B": must not contain a NUL character/);
      expectClientError(await send('GET', tokenPath('A%00B')), 400, /^path segment "A\\u0000B"/);
    });

    it('should refuse a NUL in a query value with 2001 naming the parameter, and store nothing', async () => {
      const res = await expectTokenUnchanged('NUL-Q', () =>
        send('PATCH', `${tokenPath('NUL-Q')}?type=RFID%00`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ valid: false, last_updated: '2030-01-01T00:00:00Z' }) }));
      expectClientError(res, 400, /^type: must not contain a NUL character/);
    });
  });

  describe('what the body parser and router refuse', () => {
    it('should refuse an unsupported charset with 2001 / HTTP 415 and keep the stored token', async () => {
      const res = await expectTokenUnchanged('CHARSET', () =>
        send('PUT', tokenPath('CHARSET'), { headers: { 'content-type': 'application/json; charset=bogus' }, body: JSON.stringify(aToken('CHARSET', { valid: false })) }));
      expectClientError(res, 415, /^body: unsupported charset "BOGUS"$/);
    });

    it('should refuse Content-Encoding: gzip with a plain body with 2001 / HTTP 400 and keep the stored token', async () => {
      const res = await expectTokenUnchanged('GZIP', () =>
        send('PUT', tokenPath('GZIP'), { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: JSON.stringify(aToken('GZIP', { valid: false })) }));
      expectClientError(res, 400, /^body: does not decode as its Content-Encoding says \(incorrect header check\)$/);
    });

    it('should refuse a truncated gzip body with 2001 / HTTP 400', async () => {
      const truncated = gzipSync(JSON.stringify(aToken('TRUNC'))).subarray(0, 20);
      expectClientError(await send('PUT', tokenPath('TRUNC'), { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: truncated }), 400, /^body: does not decode/);
      expect(await t.db('id_tokens').where({ uid: 'TRUNC' })).to.deep.equal([]);
    });

    it('should accept a gzip body that is what it says', async () => {
      const res = await send('PUT', tokenPath('GZIP-OK'), { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify(aToken('GZIP-OK'))) });
      expect([res.status, res.json.status_code]).to.deep.equal([200, 1000]);
    });

    it('should refuse an unknown Content-Encoding with 2001 / HTTP 415', async () => {
      expectClientError(await send('PUT', tokenPath('ENC'), { headers: { 'content-type': 'application/json', 'content-encoding': 'bogus' }, body: '{}' }), 415, /^body: unsupported content encoding "bogus"$/);
    });

    it('should refuse a malformed percent-encoding in the path with 2001 / HTTP 400', async () => {
      expectClientError(await send('GET', '/ocpi/2.2.1/tokens/NL/EMS/%E0%A4%A'), 400, /^path: Failed to decode param '%E0%A4%A'/);
    });

    it(`should refuse a body larger than ocpi.maxBodyBytes with 2001 / HTTP 413`, async () => {
      const big = JSON.stringify(aToken('BIG', { contract_id: 'X'.repeat(MAX_BODY_BYTES) }));
      expectClientError(await send('PUT', tokenPath('BIG'), { headers: { 'content-type': 'application/json' }, body: big }), 413, /^body: request entity too large$/);
    });
  });
});
