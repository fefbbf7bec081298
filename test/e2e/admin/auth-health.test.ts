// Admin API access (API keys and roles), health probes and the OpenAPI document.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';

describe('e2e admin API: auth, errors, health', () => {
  const t = useTestApp();

  it('should refuse a request without an API key with 401 JSON', async () => {
    const res = await t.api('GET', '/api/v1/chargers', undefined, { key: null });

    expect(res.status).to.equal(401);
    expect(res.body.error.code).to.equal('UNAUTHORIZED');
  });

  it('should refuse an invalid API key with 401', async () => {
    const res = await t.api('GET', '/api/v1/chargers', undefined, { key: 'cpms_not-a-real-key' });

    expect(res.status).to.equal(401);
  });

  it('should accept the key in an X-API-Key header too', async () => {
    const res = await fetch(`${t.httpUrl}/api/v1/chargers`, { headers: { 'x-api-key': t.adminKey } });

    expect(res.status).to.equal(200);
  });

  it('should let a viewer GET but refuse a viewer POST with 403', async () => {
    const { key } = await t.app.services.apiKeys.create('viewer', 'viewer');

    const get = await t.api('GET', '/api/v1/tokens', undefined, { key });
    const post = await t.api('POST', '/api/v1/tokens', { uid: 'VIEWER-TRY' }, { key });

    expect(get.status).to.equal(200);
    expect(post.status).to.equal(403);
    expect(post.body.error.message).to.match(/viewer/);
    expect(await t.db('id_tokens').where({ uid: 'VIEWER-TRY' })).to.deep.equal([]);
  });

  it('should let an operator key change things', async () => {
    const { key } = await t.app.services.apiKeys.create('ops', 'operator');

    const res = await t.api('POST', '/api/v1/tokens', { uid: 'OPERATOR-TOKEN' }, { key });

    expect(res.status).to.equal(201);
  });

  it('should refuse a revoked key', async () => {
    const { key, apiKey } = await t.app.services.apiKeys.create('old', 'admin');
    await t.app.services.apiKeys.revoke(apiKey.id);

    expect((await t.api('GET', '/api/v1/chargers', undefined, { key })).status).to.equal(401);
  });

  it('should store API keys hashed, never in clear', async () => {
    const rows = await t.db('api_keys').select('key_hash', 'prefix');

    expect(rows.length).to.be.greaterThan(0);
    for (const r of rows) expect(r.key_hash).to.match(/^[0-9a-f]{64}$/).and.not.equal(t.adminKey);
    expect(JSON.stringify(rows)).not.to.include(t.adminKey);
  });

  it('should answer an invalid JSON body with 400 JSON naming the body, never an HTML page', async () => {
    const res = await t.api('POST', '/api/v1/tokens', undefined, { rawBody: '{"uid": "A",' });

    expect(res.status).to.equal(400);
    expect(res.headers.get('content-type')).to.match(/application\/json/);
    expect(res.body.error.message).to.match(/^body: /);
  });

  it('should answer a body over the size limit with 413 JSON', async () => {
    const res = await t.api('POST', '/api/v1/tokens', undefined, { rawBody: JSON.stringify({ uid: 'X', pad: 'x'.repeat(1_100_000) }) });

    expect(res.status).to.equal(413);
    expect(res.headers.get('content-type')).to.match(/application\/json/);
  });

  it('should answer an unknown route with 404 JSON', async () => {
    const res = await t.api('GET', '/api/v1/nothing-here');

    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal('NOT_FOUND');
  });

  it('should refuse bad paging with 400 naming the parameter', async () => {
    const res = await t.api('GET', '/api/v1/chargers?limit=0');

    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.match(/^limit: /);
  });

  it('should answer /healthz while the process is up', async () => {
    const res = await t.api('GET', '/healthz', undefined, { key: null });

    expect([res.status, res.body]).to.deep.equal([200, { status: 'ok' }]);
  });

  it('should answer /readyz ready when the database is reachable and migrated', async () => {
    const res = await t.api('GET', '/readyz', undefined, { key: null });

    expect([res.status, res.body]).to.deep.equal([200, { status: 'ready' }]);
  });

  it('should serve the OpenAPI document without a key', async () => {
    const res = await t.api('GET', '/api/v1/openapi.yaml', undefined, { key: null });

    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/yaml/);
    expect(res.body).to.match(/^openapi: 3/m).and.to.include('/chargers/{id}/commands/{action}');
  });
});
