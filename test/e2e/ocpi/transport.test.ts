// OCPI 2.2.1 transport and format (§4): token authentication, envelope, message ids, routing headers and
// pagination, on the real /ocpi router with a tiny test module mounted next to the real versions module.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { expect } from 'chai';
import { createOcpiRouter, type OcpiModule } from '../../../src/ocpi/router.ts';
import { parseListQuery, sendPage } from '../../../src/ocpi/paging.ts';
import { sendOcpi } from '../../../src/ocpi/envelope.ts';
import { InvalidParams, UnknownLocation } from '../../../src/ocpi/errors.ts';
import { assertOcpi, validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { tokenCandidates } from '../../../src/ocpi/auth.ts';
import { PartnerService } from '../../../src/partners/partner.service.ts';
import { insertParty } from '../../../src/parties/party.repo.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { aRegisteredPartner, anInvitedPartner, tokenHeader } from '../../fixtures/partners.ts';

const ITEMS = Array.from({ length: 7 }, (_, i) => ({ n: i }));

/**
 * A module exercising the transport helpers: a paginated list, an echo of req.ocpi, throwing routes, and
 * a lookup that passes a body value to the database as is.
 */
function aTestModule(db: () => TestDb['db']): OcpiModule {
  const router = express.Router();
  router.get('/', (req, res) => {
    const q = parseListQuery(req, { maxLimit: 3 });
    sendPage(req, res, { items: ITEMS.slice(q.offset, q.offset + q.limit), total: ITEMS.length, offset: q.offset, limit: q.limit });
  });
  router.get('/whoami', (req, res) => {
    sendOcpi(res, { partner: req.ocpi.partner.partyId, ownParty: `${req.ocpi.ownParty.countryCode}/${req.ocpi.ownParty.partyId}`, from: req.ocpi.fromParty ?? null });
  });
  router.put('/body', (req, res) => {
    assertOcpi('DisplayText', req.body);
    sendOcpi(res, undefined);
  });
  router.get('/unknown', () => {
    throw new UnknownLocation('location LOC9 not found');
  });
  router.get('/bad', () => {
    throw new InvalidParams('evse_uid: required');
  });
  router.get('/crash', () => {
    throw new Error('secret internals');
  });
  router.put('/lookup', async (req, res) => {
    sendOcpi(res, (await db()('id_tokens').where({ uid: req.body.uid }).first()) ?? null);
  });
  return { id: 'locations', role: 'SENDER', router };
}

describe('e2e ocpi transport', () => {
  let tdb: TestDb;
  let server: Server;
  let base: string;

  before(async () => {
    tdb = await createTestDb();
    const app = express();
    const auth = new PartnerService({ db: tdb.db, clock: systemClock });
    const logger = createLogger('error');
    logger.silent = true; // one test crashes a route on purpose
    app.use('/ocpi', createOcpiRouter({ auth, logger, publicUrl: '', clock: systemClock, maxBodyBytes: 1024 * 1024, rateLimit: { requestsPerSec: 0, burst: 1 } }, [aTestModule(() => tdb.db)]));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await tdb.destroy();
  });

  const call = async (path: string, o: { token?: string; headers?: Record<string, string>; method?: string; body?: string } = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = tokenHeader(o.token);
    if (o.body) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method: o.method ?? 'GET', headers, body: o.body });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };

  describe('authorization (§4.1.2)', () => {
    it('should answer HTTP 401 with an envelope when the Authorization header is missing', async () => {
      const res = await call('/ocpi/versions');
      expect(res.status).to.equal(401);
      expect(validateOcpiEnvelope(res.body)).to.deep.equal({ ok: true });
      expect(res.body.status_code).to.be.within(2000, 2999);
    });

    it('should answer HTTP 401 for an unknown token', async () => {
      const res = await call('/ocpi/2.2.1/locations', { token: 'not-a-known-token' });
      expect(res.status).to.equal(401);
    });

    it('should accept the token base64-encoded (2.2.1) and raw (2.1.1 style)', async () => {
      const { token } = await aRegisteredPartner(tdb.db);
      const b64 = await call('/ocpi/versions', { headers: { authorization: tokenHeader(token) } });
      const raw = await call('/ocpi/versions', { headers: { authorization: tokenHeader(token, 'raw') } });
      expect([b64.status, raw.status]).to.deep.equal([200, 200]);
    });

    it('should read the spec example header, whose base64 includes a trailing newline', () => {
      expect(tokenCandidates('Token ZXhhbXBsZS10b2tlbgo=')).to.include('example-token');
    });

    it('should let an invited token A use versions and version details only', async () => {
      const { tokenA } = await anInvitedPartner(tdb.db);
      expect((await call('/ocpi/versions', { token: tokenA })).status).to.equal(200);
      expect((await call('/ocpi/2.2.1', { token: tokenA })).status).to.equal(200);
      const functional = await call('/ocpi/2.2.1/locations', { token: tokenA });
      expect(functional.status).to.equal(401);
      expect(functional.body.status_message).to.match(/not registered/);
    });
  });

  describe('envelope (§4.1.7) and message ids (§4.2)', () => {
    it('should wrap answers in the envelope with a UTC timestamp ending in Z', async () => {
      const { token } = await aRegisteredPartner(tdb.db);
      const res = await call('/ocpi/versions', { token });
      expect(res.body.status_code).to.equal(1000);
      expect(res.body.timestamp).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(validateOcpiEnvelope(res.body, 'Version', { list: true, strict: true })).to.deep.equal({ ok: true });
    });

    it('should echo X-Request-ID and X-Correlation-ID', async () => {
      const { token } = await aRegisteredPartner(tdb.db);
      const res = await call('/ocpi/versions', { token, headers: { 'X-Request-ID': 'req-1', 'X-Correlation-ID': 'corr-1' } });
      expect([res.headers.get('x-request-id'), res.headers.get('x-correlation-id')]).to.deep.equal(['req-1', 'corr-1']);
    });

    it('should generate X-Request-ID and X-Correlation-ID when absent, also on a 401', async () => {
      const res = await call('/ocpi/versions');
      expect(res.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
      expect(res.headers.get('x-correlation-id')).to.match(/^[0-9a-f-]{36}$/);
    });

    it('should map OCPI errors to their status codes and hide unexpected errors behind 3000', async () => {
      const { token } = await aRegisteredPartner(tdb.db);
      const unknown = await call('/ocpi/2.2.1/locations/unknown', { token });
      const bad = await call('/ocpi/2.2.1/locations/bad', { token });
      const crash = await call('/ocpi/2.2.1/locations/crash', { token });
      expect([unknown.status, unknown.body.status_code]).to.deep.equal([404, 2003]);
      expect([bad.status, bad.body.status_code, bad.body.status_message]).to.deep.equal([400, 2001, 'evse_uid: required']);
      expect([crash.status, crash.body.status_code, crash.body.status_message]).to.deep.equal([500, 3000, 'internal error']);
      expect(crash.body).not.to.have.property('data');
    });

    it('should answer invalid JSON with HTTP 400 and a schema violation with 2001 naming the field', async () => {
      const { token } = await aRegisteredPartner(tdb.db);
      const notJson = await call('/ocpi/2.2.1/locations/body', { token, method: 'PUT', body: '{"language":' });
      const invalid = await call('/ocpi/2.2.1/locations/body', { token, method: 'PUT', body: JSON.stringify({ language: 'en' }) });
      expect([notJson.status, notJson.body.status_code]).to.deep.equal([400, 2001]);
      expect([invalid.body.status_code, invalid.body.status_message]).to.deep.equal([2001, "text: must have required property 'text'"]);
    });

    it('should answer a value the database refuses (SQLSTATE class 22) with 2001, not 3000', async () => {
      const { token } = await aRegisteredPartner(tdb.db);
      const res = await call('/ocpi/2.2.1/locations/lookup', { token, method: 'PUT', body: JSON.stringify({ uid: 'A\u0000B' }) });
      expect([res.status, res.body.status_code]).to.deep.equal([400, 2001]);
      expect(res.body.status_message).to.equal('invalid value: a character the database cannot store (e.g. NUL, U+0000) (SQLSTATE 22021)');
    });

    it('should answer an unknown path with an envelope, not an HTML page', async () => {
      const { token } = await aRegisteredPartner(tdb.db);
      const res = await call('/ocpi/2.2.1/nothing', { token });
      expect([res.status, res.body.status_code]).to.deep.equal([404, 2000]);
    });
  });

  describe('routing headers (§4.1.8)', () => {
    it('should not require routing headers and then address the default party', async () => {
      const { token, partner } = await aRegisteredPartner(tdb.db);
      const res = await call('/ocpi/2.2.1/locations/whoami', { token });
      expect(res.body.data).to.deep.equal({ partner: partner.partyId, ownParty: 'NL/CPM', from: null });
    });

    it('should address the party named in OCPI-to-* and report OCPI-from-*', async () => {
      await insertParty(tdb.db, { countryCode: 'BE', partyId: 'CP2', name: 'white-label CPO' });
      const { token } = await aRegisteredPartner(tdb.db);
      const headers = { 'OCPI-to-country-code': 'BE', 'OCPI-to-party-id': 'CP2', 'OCPI-from-country-code': 'DE', 'OCPI-from-party-id': 'ABC' };
      const res = await call('/ocpi/2.2.1/locations/whoami', { token, headers });
      expect(res.body.data.ownParty).to.equal('BE/CP2');
      expect(res.body.data.from).to.deep.equal({ countryCode: 'DE', partyId: 'ABC' });
    });

    it('should refuse a party that is not on this platform with 2001', async () => {
      const { token } = await aRegisteredPartner(tdb.db);
      const res = await call('/ocpi/2.2.1/locations/whoami', { token, headers: { 'OCPI-to-country-code': 'FR', 'OCPI-to-party-id': 'XXX' } });
      expect([res.status, res.body.status_code]).to.deep.equal([400, 2001]);
    });
  });

  describe('pagination (§4.1.3)', () => {
    it('should walk every page through the Link header with X-Total-Count and X-Limit', async () => {
      const { token } = await aRegisteredPartner(tdb.db);
      const seen: number[] = [];
      let url: string | undefined = `${base}/ocpi/2.2.1/locations?limit=50&date_from=2019-01-01T00:00:00Z`;
      const links: string[] = [];
      while (url) {
        const res: Response = await fetch(url, { headers: { authorization: tokenHeader(token) } });
        expect([res.headers.get('x-total-count'), res.headers.get('x-limit')]).to.deep.equal(['7', '3']);
        seen.push(...((await res.json()) as any).data.map((i: { n: number }) => i.n));
        const link: string | null = res.headers.get('link');
        url = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : undefined;
        if (url) links.push(url);
      }
      expect(seen).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
      expect(links).to.deep.equal([
        `${base}/ocpi/2.2.1/locations?date_from=2019-01-01T00%3A00%3A00Z&offset=3&limit=3`,
        `${base}/ocpi/2.2.1/locations?date_from=2019-01-01T00%3A00%3A00Z&offset=6&limit=3`,
      ]);
    });

    it('should refuse a malformed offset or date with 2001', async () => {
      const { token } = await aRegisteredPartner(tdb.db);
      const offset = await call('/ocpi/2.2.1/locations?offset=-1', { token });
      const date = await call('/ocpi/2.2.1/locations?date_to=yesterday', { token });
      expect([offset.body.status_code, offset.body.status_message]).to.deep.equal([2001, 'offset: must be a non-negative integer']);
      expect(date.body.status_code).to.equal(2001);
    });
  });
});
