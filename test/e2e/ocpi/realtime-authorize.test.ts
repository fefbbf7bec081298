// OCPI 2.2.1 tokens §12.2.2.2 real-time authorization: a charger (ocpp-rpc, strict) presents a roaming
// token; cpms asks the token's eMSP (played by nock) as the token's whitelist (§12.4.5) requires, and
// answers the charger in time. Cached answers (issue 4) spare a second call.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import nock from 'nock';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import type { ChargerClient } from '../../helpers/charger.ts';
import { aStartTransaction, anIdTag } from '../../fixtures/chargers.ts';
import { tokenHeader, aRegisteredEmsp, type RegisteredEmsp } from '../../fixtures/partners.ts';

const REALTIME_TIMEOUT_MS = 400;

describe('e2e ocpi real-time authorization', () => {
  let emsp: RegisteredEmsp;
  // A second eMSP that accepts the authorize request and never answers. Not nock: on Node 20, nock 15's
  // delayed replies ignore fetch's AbortSignal, so a timeout cannot be played with it.
  let silentEmsp: { partyId: string; token: string; server: Server; requests: IncomingMessage[] };
  let charger: { id: string; locationId: string; evseUid: string; client: ChargerClient };

  // Registered first: they run before useTestApp's afterEach (nock.cleanAll) and after (closing the app).
  afterEach(async () => {
    await charger.client.close();
  });
  after(() => {
    silentEmsp.server.closeAllConnections();
    silentEmsp.server.close();
  });
  const t = useTestApp({ nock: true, overrides: { 'ocpi.realtimeAuthTimeoutMs': REALTIME_TIMEOUT_MS, 'ocpi.authorizationCacheTtlSec': 300 } });

  before(async () => {
    emsp = await aRegisteredEmsp(t.db);
    const requests: IncomingMessage[] = [];
    const server = createServer((req) => void requests.push(req));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const silent = await aRegisteredEmsp(t.db, { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    silentEmsp = { partyId: silent.partyId, token: silent.token, server, requests };
  });
  beforeEach(async () => {
    charger = await aBootedChargerAtEvse(t);
  });

  /** The eMSP pushes a token to cpms (tokens RECEIVER PUT) and returns its uid. */
  async function aPushedToken(whitelist: string, o: { valid?: boolean; from?: { partyId: string; token: string } } = {}): Promise<string> {
    const uid = anIdTag();
    const from = o.from ?? emsp;
    const body = { country_code: 'DE', party_id: from.partyId, uid, type: 'RFID', contract_id: `DE-${uid}`, issuer: 'eMSP', valid: o.valid ?? true, whitelist, last_updated: '2025-01-01T00:00:00Z' };
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1/tokens/DE/${from.partyId}/${uid}`, { method: 'PUT', headers: { authorization: tokenHeader(from.token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(((await res.json()) as any).status_code).to.equal(1000);
    return uid;
  }

  const authorizationInfo = (uid: string, allowed: string, reference?: string) => ({
    status_code: 1000,
    timestamp: new Date().toISOString(),
    data: {
      allowed,
      token: { country_code: 'DE', party_id: emsp.partyId, uid, type: 'RFID', contract_id: `DE-${uid}`, issuer: 'eMSP', valid: true, whitelist: 'ALLOWED', last_updated: '2025-01-01T00:00:00Z' },
      ...(reference ? { authorization_reference: reference } : {}),
    },
  });

  /** The eMSP's authorize endpoint for `uid`, expecting the charger's LocationReferences. */
  function authorizeEndpoint(uid: string) {
    return nock(emsp.origin)
      .post(`/ocpi/2.2.1/tokens/${uid}/authorize`, (body) => body.location_id === charger.locationId && JSON.stringify(body.evse_uids) === JSON.stringify([charger.evseUid]))
      .query({ type: 'RFID' })
      .matchHeader('authorization', /^Token /)
      .matchHeader('ocpi-to-party-id', emsp.partyId);
  }

  const authorizeAtCharger = async (idTag: string) => ((await charger.client.call('Authorize', { idTag })) as any).idTagInfo;

  it('§12.4.5 ALLOWED: should accept on ALLOWED and reuse the cached answer for StartTransaction, keeping authorization_reference', async () => {
    // Arrange
    const uid = await aPushedToken('ALLOWED');
    const scope = authorizeEndpoint(uid).once().reply(200, authorizationInfo(uid, 'ALLOWED', 'AUTH-REF-1'));

    // Act
    const info = await authorizeAtCharger(uid);
    const start = (await charger.client.call('StartTransaction', aStartTransaction(uid))) as any;

    // Assert
    expect(info.status).to.equal('Accepted');
    expect(start.idTagInfo.status).to.equal('Accepted');
    expect(scope.isDone()).to.equal(true);
    const session = await t.db('sessions').where({ id: start.transactionId }).first();
    expect({ ref: session.authorization_reference, method: session.auth_method, status: session.status }).to.deep.equal({ ref: 'AUTH-REF-1', method: 'AUTH_REQUEST', status: 'ACTIVE' });
    const cached = await t.db('authorization_cache').join('id_tokens', 'id_tokens.id', 'authorization_cache.token_fk').where({ 'id_tokens.uid': uid }).first();
    expect({ allowed: cached.allowed, location: cached.location_id }).to.deep.equal({ allowed: 'ALLOWED', location: charger.locationId });
  });

  it('§12.2.2.2 NEVER: should answer Blocked when the eMSP answers HTTP 200 with allowed BLOCKED', async () => {
    const uid = await aPushedToken('NEVER');
    const scope = authorizeEndpoint(uid).reply(200, authorizationInfo(uid, 'BLOCKED'));

    expect((await authorizeAtCharger(uid)).status).to.equal('Blocked');
    expect(scope.isDone()).to.equal(true);
  });

  it('§12.2.2.2 ALLOWED: should answer Invalid when the eMSP does not know the token (HTTP 404, 2004), not fall back', async () => {
    const uid = await aPushedToken('ALLOWED');
    const scope = authorizeEndpoint(uid).reply(404, { status_code: 2004, status_message: 'Unknown Token', timestamp: new Date().toISOString() });

    expect((await authorizeAtCharger(uid)).status).to.equal('Invalid');
    expect(scope.isDone()).to.equal(true);
    expect(await t.db('authorization_cache').join('id_tokens', 'id_tokens.id', 'authorization_cache.token_fk').where({ 'id_tokens.uid': uid }).first()).to.equal(undefined);
  });

  it('§12.4.5 NEVER: should refuse in time when the eMSP does not answer within ocpi.realtimeAuthTimeoutMs', async () => {
    const uid = await aPushedToken('NEVER', { from: silentEmsp });

    const info = await authorizeAtCharger(uid);

    // The eMSP never answers: an answer at all is cpms giving up after ocpi.realtimeAuthTimeoutMs, and
    // it hangs up on the eMSP rather than leave the request open (no timed assertion: the machine may be slow).
    expect(info.status).to.equal('Invalid');
    const request = silentEmsp.requests.find((r) => r.url === `/ocpi/2.2.1/tokens/${uid}/authorize?type=RFID`);
    expect(request, 'authorize request at the eMSP').to.not.equal(undefined);
    await eventually(async () => request!.socket.destroyed, 'cpms to close the timed-out authorize request');
  });

  it('§12.4.5 ALLOWED_OFFLINE: should fall back to the stored token when the eMSP does not answer in time', async () => {
    const uid = await aPushedToken('ALLOWED_OFFLINE', { from: silentEmsp });

    expect((await authorizeAtCharger(uid)).status).to.equal('Accepted');
    expect(silentEmsp.requests.map((r) => r.url)).to.include(`/ocpi/2.2.1/tokens/${uid}/authorize?type=RFID`);
  });

  it('§12.4.5 ALLOWED_OFFLINE: should not fall back when the eMSP answers with an error status (2002)', async () => {
    const uid = await aPushedToken('ALLOWED_OFFLINE');
    const scope = authorizeEndpoint(uid).reply(200, { status_code: 2002, status_message: 'not enough information', timestamp: new Date().toISOString() });

    expect((await authorizeAtCharger(uid)).status).to.equal('Invalid');
    expect(scope.isDone()).to.equal(true);
  });

  it('§12.4.5 NEVER: should call the eMSP again for StartTransaction (no cache) and keep the new authorization_reference', async () => {
    const uid = await aPushedToken('NEVER', { valid: false });
    const scope = authorizeEndpoint(uid).reply(200, authorizationInfo(uid, 'ALLOWED', 'REF-A')).post(`/ocpi/2.2.1/tokens/${uid}/authorize`).query(true).reply(200, authorizationInfo(uid, 'ALLOWED', 'REF-B'));

    expect((await authorizeAtCharger(uid)).status).to.equal('Accepted');
    const start = (await charger.client.call('StartTransaction', aStartTransaction(uid))) as any;

    expect(start.idTagInfo.status).to.equal('Accepted');
    expect(scope.isDone()).to.equal(true);
    expect((await t.db('sessions').where({ id: start.transactionId }).first()).authorization_reference).to.equal('REF-B');
  });

  it('§12.4.5 ALWAYS: should decide from the stored token without calling the eMSP', async () => {
    const uid = await aPushedToken('ALWAYS', { valid: false });
    const anyCall = nock(emsp.origin).post(/.*/).query(true).reply(200, authorizationInfo(uid, 'ALLOWED'));

    expect((await authorizeAtCharger(uid)).status).to.equal('Blocked');
    expect(anyCall.isDone()).to.equal(false);
  });

  it('should answer Invalid for a token no eMSP pushed, without any real-time call', async () => {
    const anyCall = nock(emsp.origin).post(/.*/).query(true).reply(200, {});
    expect((await authorizeAtCharger(anIdTag())).status).to.equal('Invalid');
    expect(anyCall.isDone()).to.equal(false);
  });

  it('job authorization-cache-expiry: should delete cached answers past their validity', async () => {
    // Arrange
    const uid = await aPushedToken('ALLOWED');
    const token = await t.db('id_tokens').where({ uid }).first();
    await t.db('authorization_cache').insert([
      { token_fk: token.id, location_id: 'OLD', allowed: 'ALLOWED', expires_at: new Date(Date.now() - 1000) },
      { token_fk: token.id, location_id: 'NEW', allowed: 'ALLOWED', expires_at: new Date(Date.now() + 60_000) },
    ]);

    // Act
    const outcome = await t.app.scheduler.runNow('authorization-cache-expiry');

    // Assert
    expect(outcome.status).to.equal('ran');
    expect(outcome.status === 'ran' && outcome.run.counts).to.deep.include({ expired: 1 });
    expect((await t.db('authorization_cache').where({ token_fk: token.id })).map((r) => r.location_id)).to.deep.equal(['NEW']);
  });

  it('should drop cached answers of a token its eMSP changes (PATCH)', async () => {
    const uid = await aPushedToken('ALLOWED');
    const scope = authorizeEndpoint(uid).reply(200, authorizationInfo(uid, 'ALLOWED'));
    await authorizeAtCharger(uid);
    expect(scope.isDone()).to.equal(true);

    await fetch(`${t.httpUrl}/ocpi/2.2.1/tokens/DE/${emsp.partyId}/${uid}`, { method: 'PATCH', headers: { authorization: tokenHeader(emsp.token), 'content-type': 'application/json' }, body: JSON.stringify({ valid: false, last_updated: '2025-02-01T00:00:00Z' }) });

    expect(await t.db('authorization_cache').join('id_tokens', 'id_tokens.id', 'authorization_cache.token_fk').where({ 'id_tokens.uid': uid }).first()).to.equal(undefined);
  });

  it('issue 8: should answer a repeated Authorize from memory, and refuse at once after the eMSP PATCHes the token invalid', async () => {
    // Arrange: the first Authorize asks the eMSP and caches ALLOWED; the second is answered from this node's memory
    const uid = await aPushedToken('ALLOWED');
    const scope = authorizeEndpoint(uid).once().reply(200, authorizationInfo(uid, 'ALLOWED'));
    const answers = [(await authorizeAtCharger(uid)).status, (await authorizeAtCharger(uid)).status];
    expect(scope.isDone()).to.equal(true);

    // Act
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1/tokens/DE/${emsp.partyId}/${uid}`, { method: 'PATCH', headers: { authorization: tokenHeader(emsp.token), 'content-type': 'application/json' }, body: JSON.stringify({ valid: false, last_updated: '2025-02-01T00:00:00Z' }) });
    expect(((await res.json()) as any).status_code).to.equal(1000);
    answers.push((await authorizeAtCharger(uid)).status);

    // Assert
    expect(answers.slice(0, 2)).to.deep.equal(['Accepted', 'Accepted']);
    expect(answers[2]).to.not.equal('Accepted');
  });

  it('issue 8: should refuse at once after the eMSP PUTs the token again as invalid', async () => {
    const uid = await aPushedToken('ALLOWED');
    authorizeEndpoint(uid).once().reply(200, authorizationInfo(uid, 'ALLOWED'));
    const before = (await authorizeAtCharger(uid)).status;

    const body = { country_code: 'DE', party_id: emsp.partyId, uid, type: 'RFID', contract_id: `DE-${uid}`, issuer: 'eMSP', valid: false, whitelist: 'ALLOWED', last_updated: '2025-03-01T00:00:00Z' };
    await fetch(`${t.httpUrl}/ocpi/2.2.1/tokens/DE/${emsp.partyId}/${uid}`, { method: 'PUT', headers: { authorization: tokenHeader(emsp.token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const after = (await authorizeAtCharger(uid)).status;

    expect([before, after === 'Accepted']).to.deep.equal(['Accepted', false]);
  });
});
