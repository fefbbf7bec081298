// Bad HTTP input on the admin API is a 4xx `{ error: { code: 'INVALID_INPUT', message } }`, never a 500, and
// it changes nothing stored. Requests are sent byte for byte (rawHttp): nock would rewrite a bad gzip body.
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { rawHttp, type RawResponse } from '../../helpers/raw-http.ts';

const LISTS = ['chargers', 'locations', 'tokens', 'sessions', 'cdrs', 'statements', 'tariffs', 'reservations'];

describe('e2e admin API: bad input', () => {
  const t = useTestApp();

  const send = (method: string, path: string, o: { headers?: Record<string, string>; body?: Buffer | string } = {}) =>
    rawHttp(t.httpUrl, { method, path, headers: { authorization: `Bearer ${t.adminKey}`, ...o.headers }, body: o.body });
  const json = { 'content-type': 'application/json' };

  const expectInvalid = (res: RawResponse, status: number, message: RegExp) => {
    expect([res.status, res.json?.error?.code], res.text).to.deep.equal([status, 'INVALID_INPUT']);
    expect(res.json.error.message).to.match(message);
  };

  describe('paging', () => {
    for (const list of LISTS) {
      it(`should refuse an offset beyond 2^31-1 on GET /${list} with 400 naming offset`, async () => {
        for (const offset of ['99999999999999999999', '9223372036854775808', '2147483648']) {
          expectInvalid(await send('GET', `/api/v1/${list}?offset=${offset}`), 400, /^offset: must be an integer from 0 to 2147483647$/);
        }
      });
    }

    it('should refuse a limit that is not a plain integer (1e2, 0x10, empty)', async () => {
      for (const limit of ['1e2', '0x10', '', '-1', '99999999999999999999']) {
        expectInvalid(await send('GET', `/api/v1/chargers?limit=${limit}`), 400, /^limit: must be an integer from 1 to 500$/);
      }
    });

    it('should accept the largest offset (an empty page)', async () => {
      const res = await send('GET', '/api/v1/tokens?offset=2147483647');
      expect([res.status, res.json.data]).to.deep.equal([200, []]);
    });
  });

  describe('text PostgreSQL cannot store (NUL)', () => {
    it('should refuse a NUL in a path id with 400 naming the segment', async () => {
      expectInvalid(await send('GET', '/api/v1/chargers/A%00B'), 400, /^path segment "A\\u0000B": must not contain a NUL character/);
    });

    it('should refuse a NUL in a query value with 400 naming the parameter', async () => {
      expectInvalid(await send('GET', '/api/v1/chargers?locationId=A%00B'), 400, /^locationId: must not contain a NUL character/);
    });

    it('should answer a NUL in a body value that reaches the database 400 (SQLSTATE class 22), storing nothing', async () => {
      const res = await send('POST', '/api/v1/tokens', { headers: json, body: JSON.stringify({ uid: 'NULGROUP', groupId: 'g\u0000' }) });

      expectInvalid(res, 400, /^invalid value: a character the database cannot store .* \(SQLSTATE 22021\)$/);
      expect(await t.db('id_tokens').where({ uid: 'NULGROUP' })).to.deep.equal([]);
    });
  });

  describe('what the body parser and router refuse', () => {
    it('should refuse Content-Encoding: gzip with a plain body with 400, storing nothing', async () => {
      const res = await send('POST', '/api/v1/tokens', { headers: { ...json, 'content-encoding': 'gzip' }, body: JSON.stringify({ uid: 'GZIPPED' }) });

      expectInvalid(res, 400, /^body: does not decode as its Content-Encoding says \(incorrect header check\)$/);
      expect(await t.db('id_tokens').where({ uid: 'GZIPPED' })).to.deep.equal([]);
    });

    it('should accept a gzip body that is what it says', async () => {
      const res = await send('POST', '/api/v1/tokens', { headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify({ uid: 'GZIP-OK' })) });
      expect(res.status).to.equal(201);
    });

    it('should refuse an unknown Content-Encoding and an unsupported charset with 415', async () => {
      expectInvalid(await send('POST', '/api/v1/tokens', { headers: { ...json, 'content-encoding': 'bogus' }, body: '{}' }), 415, /^body: unsupported content encoding "bogus"$/);
      expectInvalid(await send('POST', '/api/v1/tokens', { headers: { 'content-type': 'application/json; charset=bogus' }, body: '{}' }), 415, /^body: unsupported charset "BOGUS"$/);
    });

    it('should refuse a malformed percent-encoding in the path with 400', async () => {
      expectInvalid(await send('GET', '/api/v1/chargers/%E0%A4%A'), 400, /^path: Failed to decode param '%E0%A4%A'/);
    });

    it('should refuse a body over 1 MB with 413', async () => {
      expectInvalid(await send('POST', '/api/v1/tokens', { headers: json, body: JSON.stringify({ uid: 'BIG', pad: 'x'.repeat(1024 * 1024) }) }), 413, /^body: request entity too large$/);
    });
  });

  it('should answer a request without a valid key 401 without waiting for its announced body', async () => {
    const res = await rawHttp(t.httpUrl, { method: 'POST', path: '/api/v1/tokens', headers: { authorization: 'Bearer cpms_wrong', ...json, 'content-length': '5000000' } });

    expect([res.status, res.json.error.code]).to.deep.equal([401, 'UNAUTHORIZED']);
  });
});
