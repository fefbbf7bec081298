// OCPI 2.2.1 credentials §7.1.4 "Updating the credentials and resetting the credentials token", cpms as the
// client of the PUT (§7.2.3), started by the operator through the admin API; the partner is played by nock.
import { expect } from 'chai';
import nock from 'nock';
import { main } from '../../../src/cli/index.ts';
import { callPartner } from '../../../src/ocpi/client.ts';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { findPartner } from '../../../src/partners/partner.repo.ts';
import { OUTGOING_TOKEN, type Endpoint, type Partner } from '../../../src/partners/partner.types.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { anEmspEndpoints, anInvitedPartner, aRegisteredEmsp, tokenHeader, type RegisteredEmsp } from '../../fixtures/partners.ts';

const b64 = (token: string) => Buffer.from(token).toString('base64');
const envelope = (data?: unknown, statusCode = 1000) => ({ status_code: statusCode, timestamp: '2026-01-01T00:00:00Z', ...(data === undefined ? {} : { data }) });

// nock 15 on Node 20 never answers when a reply function takes the request body: bodies are captured
// with a body matcher instead, and reply functions take no arguments.
function capture(into: { body?: any }) {
  return (body: unknown) => {
    into.body = body;
    return true;
  };
}

/** Everything stored about a partner, the token we call it with included. */
const stored = async (t: { db: any }, id: number) => {
  const p = (await findPartner(t.db, id)) as Partner;
  return { ...p, outgoing: p[OUTGOING_TOKEN] };
};

describe('e2e ocpi credentials update started by cpms (credentials §7.1.4)', () => {
  const t = useTestApp({ nock: true });

  const ocpiStatus = async (path: string, token: string): Promise<number> => (await fetch(`${t.httpUrl}${path}`, { headers: { authorization: tokenHeader(token) } })).status;
  const update = (id: number) => t.api('POST', `/api/v1/partners/${id}/credentials/update`);

  /** The partner's versions and 2.2.1 details (answering `endpoints`), expected with the token we call it with. */
  const versions = (e: RegisteredEmsp, endpoints: Endpoint[] = anEmspEndpoints(e.base)) => {
    const header = `Token ${b64(e.partner[OUTGOING_TOKEN]!)}`;
    return nock(e.origin)
      .get('/ocpi/versions').matchHeader('authorization', header).reply(200, envelope([{ version: '2.2.1', url: e.base }]))
      .get('/ocpi/2.2.1').matchHeader('authorization', header).reply(200, envelope({ version: '2.2.1', endpoints }));
  };
  const theirCredentials = (e: RegisteredEmsp, token: string, name = `eMSP ${e.partyId}`) => ({ token, url: `${e.origin}/ocpi/versions`, roles: [{ role: 'EMSP', country_code: e.countryCode, party_id: e.partyId, business_details: { name } }] });

  it('should fetch the endpoints again, PUT our credentials with a fresh token to the credentials endpoint found, and store the answer', async () => {
    // Arrange: the partner moved its API; while answering the PUT it calls our versions with the new token
    const e = await aRegisteredEmsp(t.db);
    const moved = anEmspEndpoints(`${e.origin}/ocpi/v2/2.2.1`, ['locations', 'cdrs']);
    const put: { body?: any } = {};
    const during: Record<string, number> = {};
    const scope = versions(e, moved)
      .put('/ocpi/v2/2.2.1/credentials', capture(put)).matchHeader('authorization', `Token ${b64(e.partner[OUTGOING_TOKEN]!)}`)
      .reply(async () => {
        during.newToken = await ocpiStatus('/ocpi/versions', put.body.token);
        during.oldToken = await ocpiStatus('/ocpi/versions', e.token);
        return [200, envelope(theirCredentials(e, 'their-new-token', 'eMSP renamed'))];
      });
    // Act
    const res = await update(e.partner.id);
    // Assert
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ id: e.partner.id, status: 'REGISTERED', name: 'eMSP renamed', versionsUrl: `${e.origin}/ocpi/versions` });
    expect(res.body.endpoints).to.deep.equal(moved);
    expect(JSON.stringify(res.body)).not.to.include(put.body.token).and.not.to.include('their-new-token').and.not.to.include(e.token);
    expect(validateOcpi('Credentials', put.body, { strict: true })).to.deep.equal({ ok: true });
    expect(put.body).to.deep.include({ url: `${t.httpUrl}/ocpi/versions` });
    expect(put.body.token).to.not.equal(e.token);
    expect(during).to.deep.equal({ newToken: 200, oldToken: 200 });
    expect((await stored(t, e.partner.id)).outgoing).to.equal('their-new-token');
    expect(scope.isDone()).to.equal(true);
  });

  it('should refuse the old token and accept the new one on every module once the partner has accepted', async () => {
    // Arrange
    const e = await aRegisteredEmsp(t.db);
    const put: { body?: any } = {};
    const scope = versions(e).put('/ocpi/2.2.1/credentials', capture(put)).reply(200, envelope(theirCredentials(e, 'c-after')));
    // Act
    expect((await update(e.partner.id)).status).to.equal(200);
    // Assert
    expect(await ocpiStatus('/ocpi/versions', e.token)).to.equal(401);
    expect(await ocpiStatus('/ocpi/2.2.1/locations', e.token)).to.equal(401);
    expect(await ocpiStatus('/ocpi/2.2.1/locations', put.body.token)).to.equal(200);
    expect(scope.isDone()).to.equal(true);
  });

  it('should call the partner with the token it answered with afterwards', async () => {
    // Arrange
    const e = await aRegisteredEmsp(t.db);
    const scope = versions(e).put('/ocpi/2.2.1/credentials').reply(200, envelope(theirCredentials(e, 'c-second')))
      .put('/ocpi/2.2.1/locations/NL/CPM/LOC1').matchHeader('authorization', `Token ${b64('c-second')}`).reply(200, envelope());
    expect((await update(e.partner.id)).status).to.equal(200);
    // Act
    const reply = await callPartner((await findPartner(t.db, e.partner.id))!, { module: 'locations', role: 'RECEIVER', method: 'PUT', path: '/NL/CPM/LOC1', body: {} });
    // Assert
    expect(reply.status_code).to.equal(1000);
    expect(scope.isDone()).to.equal(true);
  });

  const failures: Array<{ name: string; answer: (i: nock.Interceptor) => nock.Scope; message: RegExp }> = [
    { name: 'cannot be reached', answer: (i) => i.replyWithError('connect ECONNRESET'), message: /ECONNRESET/ },
    { name: 'refuses with HTTP 400 and status_code 2001', answer: (i) => i.reply(400, envelope(undefined, 2001)), message: /HTTP 400 status_code 2001/ },
    { name: 'answers HTTP 200 with status_code 3001', answer: (i) => i.reply(200, envelope(undefined, 3001)), message: /status_code 3001/ },
    { name: 'answers without a Credentials object', answer: (i) => i.reply(200, envelope({ token: 'half' })), message: /^credentials answer: url: must have required property 'url'$/ },
  ];
  for (const f of failures) {
    it(`should answer 502 and change nothing when the partner ${f.name}: the old token works, the offered one never`, async () => {
      // Arrange
      const e = await aRegisteredEmsp(t.db);
      const before = await stored(t, e.partner.id);
      const put: { body?: any } = {};
      const scope = f.answer(versions(e).put('/ocpi/2.2.1/credentials', capture(put)));
      // Act
      const res = await update(e.partner.id);
      // Assert
      expect(res.status).to.equal(502);
      expect(res.body.error.message).to.match(f.message);
      expect(await stored(t, e.partner.id)).to.deep.equal(before);
      expect(await ocpiStatus('/ocpi/2.2.1/locations', e.token)).to.equal(200);
      expect(await ocpiStatus('/ocpi/versions', put.body.token)).to.equal(401);
      expect(scope.isDone()).to.equal(true);
    });
  }

  it('should answer 502 without any PUT when the partner no longer offers 2.2.1, and change nothing', async () => {
    const e = await aRegisteredEmsp(t.db);
    const before = await stored(t, e.partner.id);
    const scope = nock(e.origin).get('/ocpi/versions').reply(200, envelope([{ version: '2.1.1', url: `${e.origin}/ocpi/2.1.1` }]));
    const res = await update(e.partner.id);
    expect([res.status, res.body.error.message]).to.deep.equal([502, `${e.origin}/ocpi/versions offers no OCPI 2.2.1 (offered: 2.1.1)`]);
    expect(await stored(t, e.partner.id)).to.deep.equal(before);
    expect(scope.isDone()).to.equal(true);
  });

  it('should answer 404 for an unknown partner and 409 for one that is only invited or unregistered', async () => {
    const { partner: invited } = await anInvitedPartner(t.db);
    const gone = await aRegisteredEmsp(t.db);
    const scope = nock(gone.origin).delete('/ocpi/2.2.1/credentials').reply(200, envelope());
    expect((await t.api('DELETE', `/api/v1/partners/${gone.partner.id}`)).status).to.equal(200);
    const unknown = await update(999_999);
    const notYet = await update(invited.id);
    const unregistered = await update(gone.partner.id);
    expect([unknown.status, notYet.status, unregistered.status]).to.deep.equal([404, 409, 409]);
    expect(notYet.body.error.message).to.equal(`OCPI partner ${invited.id} is not registered`);
    expect(scope.isDone()).to.equal(true);
  });

  it('should answer 409 without calling the partner while another update of it is under way', async () => {
    // Arrange: the first update waits in the partner's versions endpoint until the second one is refused
    const e = await aRegisteredEmsp(t.db);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const inVersions = new Promise<void>((resolve) => (reached = resolve));
    const scope = nock(e.origin).get('/ocpi/versions').reply(async () => {
      reached();
      await released;
      return [503, 'busy'];
    });
    const first = update(e.partner.id);
    await inVersions;
    // Act
    const second = await update(e.partner.id);
    release();
    // Assert
    expect([second.status, second.body.error.message]).to.deep.equal([409, `OCPI partner ${e.partner.id}: another credentials update is under way`]);
    expect((await first).status).to.equal(502);
    expect(scope.isDone()).to.equal(true);
  });

  describe('cli', function () {
    // One-shot commands open and migrate a database of their own (an empty one on PGlite): slow on a loaded machine.
    this.timeout(120_000);
    const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL, PORT: process.env.PORT };
    before(() => Object.assign(process.env, { DATA_DIR: 'memory://', DATABASE_URL: t.testDb.databaseUrl, PORT: '0' }));
    after(() => {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    });

    it('should refuse a malformed or unknown partner id with exit code 2 for `partner update-credentials`', async () => {
      const lines: string[] = [];
      expect(await main(['node', 'cpms', 'partner', 'update-credentials', 'x1'], (l) => lines.push(l))).to.equal(2);
      expect(await main(['node', 'cpms', 'partner', 'update-credentials', '999999'], (l) => lines.push(l))).to.equal(2);
      expect(lines).to.deep.equal(['error: id: must be a positive integer', 'error: OCPI partner 999999 not found']);
    });
  });
});
