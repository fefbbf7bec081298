// OCPI 2.2.1 credentials §7 in both directions, the partner side played by nock:
// (a) the partner registers with a token A we issued; (b) cpms registers with the partner's token A.
import { expect } from 'chai';
import nock from 'nock';
import { validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { callPartner } from '../../../src/ocpi/client.ts';
import { main } from '../../../src/cli/index.ts';
import { findPartner } from '../../../src/partners/partner.repo.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aPartyId, anEmspEndpoints, tokenHeader } from '../../fixtures/partners.ts';

const b64 = (token: string) => Buffer.from(token).toString('base64');

// nock 15 on Node 20 never answers when a reply function takes the request body: bodies are captured
// with a body matcher instead, and reply functions take no arguments.
function capture(into: { body?: any }) {
  return (body: unknown) => {
    into.body = body;
    return true;
  };
}

/** A fake eMSP at https://<party>.emsp.test: its versions and 2.2.1 details, expected with `token`. */
function anEmsp(partyId: string) {
  const host = `https://${partyId.toLowerCase()}.emsp.test`;
  const versionsUrl = `${host}/ocpi/versions`;
  const endpoints = anEmspEndpoints(`${host}/ocpi/2.2.1`);
  const credentials = (token: string) => ({ token, url: versionsUrl, roles: [{ role: 'EMSP', country_code: 'DE', party_id: partyId, business_details: { name: `eMSP ${partyId}` } }] });
  const versions = (scope: nock.Scope, header: string) => scope
    .get('/ocpi/versions').matchHeader('authorization', header).reply(200, { status_code: 1000, timestamp: '2026-01-01T00:00:00Z', data: [{ version: '2.1.1', url: `${host}/ocpi/2.1.1` }, { version: '2.2.1', url: `${host}/ocpi/2.2.1` }] })
    .get('/ocpi/2.2.1').matchHeader('authorization', header).reply(200, { status_code: 1000, timestamp: '2026-01-01T00:00:00Z', data: { version: '2.2.1', endpoints } });
  return { host, versionsUrl, endpoints, credentials, versions };
}

describe('e2e ocpi credentials', () => {
  const t = useTestApp({ nock: true });

  const ocpi = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const headers: Record<string, string> = token ? { authorization: tokenHeader(token) } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${t.httpUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  /** Invites a party through the admin API; returns its token A. */
  const invite = async (partyId: string): Promise<string> => {
    const res = await t.api('POST', '/api/v1/partners/invitations', { countryCode: 'DE', partyId, role: 'EMSP' });
    expect(res.status).to.equal(201);
    expect(res.body.versionsUrl).to.equal(`${t.httpUrl}/ocpi/versions`);
    return res.body.token;
  };

  /** Runs direction (a) to the end; returns the token C the partner now uses. */
  const registerWithUs = async (partyId: string, tokenB: string): Promise<string> => {
    const emsp = anEmsp(partyId);
    const scope = emsp.versions(nock(emsp.host), `Token ${b64(tokenB)}`);
    const res = await ocpi('POST', '/ocpi/2.2.1/credentials', await invite(partyId), emsp.credentials(tokenB));
    expect(res.body.status_code).to.equal(1000);
    expect(scope.isDone()).to.equal(true);
    return res.body.data.token;
  };

  describe('(a) a partner registers with a token A issued by cpms', () => {
    it('§7.1.1: should fetch its endpoints with token B and answer with our credentials holding a new token C', async () => {
      // Arrange
      const partyId = aPartyId();
      const emsp = anEmsp(partyId);
      const tokenA = await invite(partyId);
      const scope = emsp.versions(nock(emsp.host), `Token ${b64('token-b-of-emsp')}`);
      // Act
      const res = await ocpi('POST', '/ocpi/2.2.1/credentials', tokenA, emsp.credentials('token-b-of-emsp'));
      // Assert
      expect(res.status).to.equal(200);
      expect(validateOcpiEnvelope(res.body, 'Credentials', { strict: true })).to.deep.equal({ ok: true });
      expect(res.body.data.url).to.equal(`${t.httpUrl}/ocpi/versions`);
      expect(res.body.data.roles).to.deep.equal([{ role: 'CPO', party_id: 'CPM', country_code: 'NL', business_details: { name: 'cpms operator' } }]);
      expect(res.body.data.token).to.be.a('string').and.not.equal(tokenA);
      expect(scope.isDone()).to.equal(true);
    });

    it('§7.1.1: should accept token C afterwards and refuse token A, which may no longer be used', async () => {
      const partyId = aPartyId();
      const emsp = anEmsp(partyId);
      const tokenA = await invite(partyId);
      const scope = emsp.versions(nock(emsp.host), `Token ${b64('b-2')}`);
      const tokenC = (await ocpi('POST', '/ocpi/2.2.1/credentials', tokenA, emsp.credentials('b-2'))).body.data.token;
      expect((await ocpi('GET', '/ocpi/2.2.1', tokenC)).status).to.equal(200);
      expect((await ocpi('GET', '/ocpi/versions', tokenA)).status).to.equal(401);
      expect(scope.isDone()).to.equal(true);
    });

    it('should store the roles and endpoints and show them in the admin API without any token', async () => {
      const partyId = aPartyId();
      const tokenC = await registerWithUs(partyId, 'token-b-secret-1');
      const list = await t.api('GET', '/api/v1/partners');
      const row = list.body.data.find((p: { partyId: string }) => p.partyId === partyId);
      expect(row).to.include({ countryCode: 'DE', status: 'REGISTERED', version: '2.2.1', name: `eMSP ${partyId}`, tokenEncoding: 'base64' });
      expect(row.endpoints).to.deep.include({ identifier: 'locations', role: 'RECEIVER', url: `https://${partyId.toLowerCase()}.emsp.test/ocpi/2.2.1/locations` });
      expect(JSON.stringify(list.body)).not.to.include('token-b-secret-1').and.not.to.include(tokenC);
    });

    it('§7.2.2: should answer HTTP 405 to a POST from a partner already registered', async () => {
      const tokenC = await registerWithUs(aPartyId(), 'b-405');
      const res = await ocpi('POST', '/ocpi/2.2.1/credentials', tokenC, anEmsp('ZZZ').credentials('x'));
      expect([res.status, res.body.status_code]).to.deep.equal([405, 2000]);
    });

    it('§4.1.2 note: should retry with the raw token when the partner refuses the base64 one, and remember it', async () => {
      const partyId = aPartyId();
      const emsp = anEmsp(partyId);
      const tokenA = await invite(partyId);
      const scope = nock(emsp.host).get('/ocpi/versions').matchHeader('authorization', `Token ${b64('raw-b')}`).reply(401, { status_code: 2000, timestamp: '2026-01-01T00:00:00Z' });
      emsp.versions(scope, 'Token raw-b');
      const res = await ocpi('POST', '/ocpi/2.2.1/credentials', tokenA, emsp.credentials('raw-b'));
      expect(res.body.status_code).to.equal(1000);
      const list = await t.api('GET', '/api/v1/partners');
      expect(list.body.data.find((p: { partyId: string }) => p.partyId === partyId).tokenEncoding).to.equal('raw');
      expect(scope.isDone()).to.equal(true);
    });

    it('§7.1.4: should answer 3001 when the partner API cannot be used, and keep the invitation', async () => {
      const partyId = aPartyId();
      const emsp = anEmsp(partyId);
      const tokenA = await invite(partyId);
      const scope = nock(emsp.host).get('/ocpi/versions').replyWithError('connect ECONNREFUSED');
      const res = await ocpi('POST', '/ocpi/2.2.1/credentials', tokenA, emsp.credentials('b-3001'));
      expect(res.body.status_code).to.equal(3001);
      expect((await ocpi('GET', '/ocpi/versions', tokenA)).status).to.equal(200);
      expect(scope.isDone()).to.equal(true);
    });

    it('should answer 3002 when the partner offers no 2.2.1', async () => {
      const partyId = aPartyId();
      const emsp = anEmsp(partyId);
      const tokenA = await invite(partyId);
      const scope = nock(emsp.host).get('/ocpi/versions').reply(200, { status_code: 1000, timestamp: '2026-01-01T00:00:00Z', data: [{ version: '2.1.1', url: `${emsp.host}/ocpi/2.1.1` }] });
      const res = await ocpi('POST', '/ocpi/2.2.1/credentials', tokenA, emsp.credentials('b-3002'));
      expect(res.body.status_code).to.equal(3002);
      expect(scope.isDone()).to.equal(true);
    });

    it('should answer 2001 naming the field for an invalid credentials body, or roles without the invited party', async () => {
      const partyId = aPartyId();
      const tokenA = await invite(partyId);
      const missing = await ocpi('POST', '/ocpi/2.2.1/credentials', tokenA, { token: 'x', url: 'https://e.test/versions' });
      const other = await ocpi('POST', '/ocpi/2.2.1/credentials', tokenA, anEmsp('QQQ').credentials('x'));
      expect([missing.body.status_code, missing.body.status_message]).to.deep.equal([2001, "roles: must have required property 'roles'"]);
      expect([other.body.status_code, other.body.status_message]).to.deep.equal([2001, `roles: must include the invited party DE/${partyId}`]);
    });

    it('§7.2.1: should answer GET with our credentials holding the token the caller uses', async () => {
      const tokenC = await registerWithUs(aPartyId(), 'b-get');
      const res = await ocpi('GET', '/ocpi/2.2.1/credentials', tokenC);
      expect(res.body.data.token).to.equal(tokenC);
      expect(validateOcpiEnvelope(res.body, 'Credentials', { strict: true })).to.deep.equal({ ok: true });
    });

    it('§7.2.3: should rotate on PUT: endpoints fetched again with the new token B, a new token C returned', async () => {
      const partyId = aPartyId();
      const emsp = anEmsp(partyId);
      const tokenC = await registerWithUs(partyId, 'b-before-put');
      const scope = emsp.versions(nock(emsp.host), `Token ${b64('b-after-put')}`);
      const res = await ocpi('PUT', '/ocpi/2.2.1/credentials', tokenC, emsp.credentials('b-after-put'));
      const newC = res.body.data.token;
      expect(newC).to.not.equal(tokenC);
      expect((await ocpi('GET', '/ocpi/versions', tokenC)).status).to.equal(401);
      expect((await ocpi('GET', '/ocpi/versions', newC)).status).to.equal(200);
      expect(scope.isDone()).to.equal(true);
    });

    it('§7.2.3: should answer HTTP 405 to a PUT before registration', async () => {
      const tokenA = await invite(aPartyId());
      const res = await ocpi('PUT', '/ocpi/2.2.1/credentials', tokenA, anEmsp('QQQ').credentials('x'));
      expect(res.status).to.equal(405);
    });

    it('§7.2.4: should unregister on DELETE; the token is refused afterwards', async () => {
      const tokenC = await registerWithUs(aPartyId(), 'b-delete');
      const res = await ocpi('DELETE', '/ocpi/2.2.1/credentials', tokenC);
      expect([res.status, res.body.status_code]).to.deep.equal([200, 1000]);
      expect(res.body).not.to.have.property('data');
      expect((await ocpi('GET', '/ocpi/versions', tokenC)).status).to.equal(401);
    });

    it('§7.2.4: should answer HTTP 405 to a DELETE from a partner that is only invited', async () => {
      const res = await ocpi('DELETE', '/ocpi/2.2.1/credentials', await invite(aPartyId()));
      expect(res.status).to.equal(405);
    });
  });

  describe('(b) cpms registers with a partner that gave us its token A', () => {
    it('§7.1.1: should GET versions and details with token A, POST our credentials with token B and keep token C', async () => {
      // Arrange: the partner, while answering our POST, calls our versions back with token B (as it must)
      const partyId = aPartyId();
      const emsp = anEmsp(partyId);
      let callBack: { status: number; tokenB: string } | undefined;
      const posted: { body?: any } = {};
      const scope = emsp.versions(nock(emsp.host), `Token ${b64('emsp-token-a')}`)
        .post('/ocpi/2.2.1/credentials', capture(posted)).matchHeader('authorization', `Token ${b64('emsp-token-a')}`)
        .reply(async () => {
          const res = await fetch(posted.body.url, { headers: { authorization: tokenHeader(posted.body.token) } });
          callBack = { status: res.status, tokenB: posted.body.token };
          return [200, { status_code: 1000, timestamp: '2026-01-01T00:00:00Z', data: emsp.credentials('emsp-token-c') }];
        });
      // Act
      const res = await t.api('POST', '/api/v1/partners', { versionsUrl: emsp.versionsUrl, token: 'emsp-token-a' });
      // Assert
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ countryCode: 'DE', partyId, status: 'REGISTERED', version: '2.2.1' });
      expect(callBack?.status).to.equal(200);
      expect(JSON.stringify(res.body)).not.to.include('emsp-token').and.not.to.include(callBack!.tokenB);
      expect(scope.isDone()).to.equal(true);
    });

    it('should then call the partner with token C and let it call us with token B', async () => {
      const partyId = aPartyId();
      const emsp = anEmsp(partyId);
      const posted: { body?: any } = {};
      emsp.versions(nock(emsp.host), `Token ${b64('a-2')}`).post('/ocpi/2.2.1/credentials', capture(posted))
        .reply(200, { status_code: 1000, timestamp: '2026-01-01T00:00:00Z', data: emsp.credentials('c-2') });
      const { body } = await t.api('POST', '/api/v1/partners', { versionsUrl: emsp.versionsUrl, token: 'a-2' });
      const push = nock(emsp.host).put('/ocpi/2.2.1/locations/NL/CPM/LOC1').matchHeader('authorization', `Token ${b64('c-2')}`).matchHeader('ocpi-to-party-id', partyId).matchHeader('ocpi-from-party-id', 'CPM')
        .reply(200, { status_code: 1000, timestamp: '2026-01-01T00:00:00Z' });
      const partner = (await findPartner(t.db, body.id))!;
      await callPartner(partner, { module: 'locations', role: 'RECEIVER', method: 'PUT', path: '/NL/CPM/LOC1', body: {} });
      expect((await ocpi('GET', '/ocpi/2.2.1', posted.body.token)).status).to.equal(200);
      expect(push.isDone()).to.equal(true);
    });

    it('§4.1.2 note: should fall back to the raw token when the partner answers 401 to base64, and keep sending raw', async () => {
      const partyId = aPartyId();
      const emsp = anEmsp(partyId);
      const scope = nock(emsp.host).get('/ocpi/versions').matchHeader('authorization', `Token ${b64('a-raw')}`).reply(401, {});
      emsp.versions(scope, 'Token a-raw').post('/ocpi/2.2.1/credentials').matchHeader('authorization', 'Token a-raw')
        .reply(200, { status_code: 1000, timestamp: '2026-01-01T00:00:00Z', data: emsp.credentials('c-raw') });
      const res = await t.api('POST', '/api/v1/partners', { versionsUrl: emsp.versionsUrl, token: 'a-raw' });
      expect(res.body.tokenEncoding).to.equal('raw');
      expect(scope.isDone()).to.equal(true);
    });

    it('should report a refused POST as 502, leave the partner unregistered and revoke token B', async () => {
      const partyId = aPartyId();
      const emsp = anEmsp(partyId);
      const posted: { body?: any } = {};
      const scope = emsp.versions(nock(emsp.host), `Token ${b64('a-bad')}`).post('/ocpi/2.2.1/credentials', capture(posted))
        .reply(400, { status_code: 2001, status_message: 'roles: invalid', timestamp: '2026-01-01T00:00:00Z' });
      const res = await t.api('POST', '/api/v1/partners', { versionsUrl: emsp.versionsUrl, token: 'a-bad' });
      expect(res.status).to.equal(502);
      expect(res.body.error.message).to.include('status_code 2001');
      expect((await ocpi('GET', '/ocpi/versions', posted.body.token)).status).to.equal(401);
      expect(scope.isDone()).to.equal(true);
    });

    it('§7.2.4: should unregister through the admin API with a DELETE on the partner credentials', async () => {
      const partyId = aPartyId();
      const emsp = anEmsp(partyId);
      const scope = emsp.versions(nock(emsp.host), `Token ${b64('a-del')}`)
        .post('/ocpi/2.2.1/credentials').reply(200, { status_code: 1000, timestamp: '2026-01-01T00:00:00Z', data: emsp.credentials('c-del') })
        .delete('/ocpi/2.2.1/credentials').matchHeader('authorization', `Token ${b64('c-del')}`).reply(200, { status_code: 1000, timestamp: '2026-01-01T00:00:00Z' });
      const { body } = await t.api('POST', '/api/v1/partners', { versionsUrl: emsp.versionsUrl, token: 'a-del' });
      const res = await t.api('DELETE', `/api/v1/partners/${body.id}`);
      expect(res.body).to.deep.include({ remote: 'deleted' });
      expect(res.body.partner.status).to.equal('UNREGISTERED');
      expect(scope.isDone()).to.equal(true);
    });

    it('canary: should fail a partner call that no test mocked', async () => {
      const res = await t.api('POST', '/api/v1/partners', { versionsUrl: 'https://unmocked.emsp.test/ocpi/versions', token: 'a' });
      expect(res.status).to.equal(502);
      expect(res.body.error.message).to.match(/Disallowed net connect|ENOTFOUND|EAI_AGAIN/);
    });
  });

  describe('cli', function () {
    // On the embedded database each command opens (and migrates) a fresh in-memory engine of its own.
    this.timeout(120_000);
    const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL, PUBLIC_URL: process.env.PUBLIC_URL };
    before(() => Object.assign(process.env, { DATA_DIR: 'memory://', DATABASE_URL: t.testDb.databaseUrl, PUBLIC_URL: 'https://cpms.example.com' }));
    after(() => {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    });

    it('should print a token A and our versions URL for `partner invite`, and list partners', async () => {
      const lines: string[] = [];
      const code = await main(['node', 'cpms', 'partner', 'invite', '--country', 'de', '--party', aPartyId(), '--role', 'EMSP'], (l) => lines.push(l));
      expect(code).to.equal(0);
      expect(lines.join('\n')).to.match(/versions URL: https:\/\/cpms\.example\.com\/ocpi\/versions\ntoken A: \S{43}$/);
      expect(await main(['node', 'cpms', 'partner', 'list'], (l) => lines.push(l))).to.equal(0);
    });

    it('should refuse a malformed party with exit code 2', async () => {
      const lines: string[] = [];
      expect(await main(['node', 'cpms', 'partner', 'invite', '--country', 'DEU', '--party', 'ABC'], (l) => lines.push(l))).to.equal(2);
      expect(lines).to.deep.equal(['error: countryCode: must be 2 letters (ISO 3166-1 alpha-2)']);
    });
  });
});
