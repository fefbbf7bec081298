// The audit log of admin API changes (issue 9): who, when, what, before/after, request id; secrets never
// stored; listed and filtered by admins through GET /audit.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aChargerId } from '../../fixtures/chargers.ts';

const tariffBody = { currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 2, vat: 10, step_size: 300 }] }] };
let seq = 0;
const aTariffId = () => `AUD-${Date.now().toString(36)}-${++seq}`;

describe('e2e admin API: audit log', () => {
  const t = useTestApp();

  const entriesOf = async (entityType: string, entityId: string) => (await t.api('GET', `/api/v1/audit?entityType=${entityType}&entityId=${encodeURIComponent(entityId)}`)).body.data;

  it('should record a change with its actor, action, entity, before and after, and the request id it answered with', async () => {
    const id = aTariffId();
    await t.api('PUT', `/api/v1/tariffs/${id}`, tariffBody);

    const replaced = await t.api('PUT', `/api/v1/tariffs/${id}`, { ...tariffBody, tariff_alt_url: 'https://cpo.example.com/t' });
    const [latest, first] = await entriesOf('tariffs', id);

    expect(latest).to.include({ source: 'api', actorKind: 'api_key', actorLabel: 'test-admin', action: 'PUT /tariffs/:id', entityType: 'tariffs', entityId: id });
    expect(latest.requestId).to.equal(replaced.headers.get('x-request-id'));
    expect(latest.before.tariff_alt_url).to.equal(undefined);
    expect(latest.after.tariff_alt_url).to.equal('https://cpo.example.com/t');
    expect(latest.request.tariff_alt_url).to.equal('https://cpo.example.com/t');
    expect([first.before, first.after.id]).to.deep.equal([null, id]);
  });

  it("should record an operator's login and change under the operator's email, filterable by actor", async () => {
    await t.app.services.operators.add({ email: 'auditor@example.com', role: 'operator', password: 'auditor password!' });
    const { token } = (await t.api('POST', '/api/v1/auth/login', { email: 'auditor@example.com', password: 'auditor password!' }, { key: null })).body;

    const created = await t.api('POST', '/api/v1/tokens', { uid: 'AUDIT-TAG-1' }, { key: token });
    const byEmail = await t.api('GET', '/api/v1/audit?actor=AUDITOR@example.com');

    expect(created.status).to.equal(201);
    const operatorId = byEmail.body.data[1]?.actorId;
    expect(byEmail.body.data.map((e: { action: string; entityType: string; entityId: string; actorKind: string }) => [e.actorKind, e.action, e.entityType, e.entityId])).to.deep.equal([
      ['operator', 'POST /tokens', 'tokens', String(created.body.id)],
      ['operator', 'POST /auth/login', 'operators', operatorId],
    ]);
    expect(byEmail.body.data[1].request).to.deep.equal({ email: 'auditor@example.com' });
  });

  it('should record a refused login with the email tried and the reason, never the password', async () => {
    // Arrange
    await t.app.services.operators.add({ email: 'forgetful@example.com', role: 'viewer', password: 'the right password' });

    // Act
    const wrong = await t.api('POST', '/api/v1/auth/login', { email: 'forgetful@example.com', password: 'a wrong password 1' }, { key: null });
    const unknown = await t.api('POST', '/api/v1/auth/login', { email: 'nobody@example.com', password: 'a wrong password 2' }, { key: null });
    const malformed = await t.api('POST', '/api/v1/auth/login', { email: 'forgetful@example.com' }, { key: null });
    const entries = (await t.api('GET', '/api/v1/audit?actor=forgetful@example.com')).body.data;

    // Assert
    expect([wrong.status, unknown.status, malformed.status]).to.deep.equal([401, 401, 400]);
    expect(entries.map((e: { actorKind: string; actorId: string | null; action: string; request: unknown }) => [e.actorKind, e.actorId, e.action, e.request])).to.deep.equal([
      ['operator', null, 'POST /auth/login (failed)', { email: 'forgetful@example.com', refused: wrong.body.error.message }],
    ]);
    expect((await t.api('GET', '/api/v1/audit?actor=nobody@example.com')).body.data).to.have.length(1);
    const stored = JSON.stringify(await t.db('audit_log'));
    for (const password of ['a wrong password 1', 'a wrong password 2', 'the right password']) expect(stored).to.not.include(password);
  });

  it('should record nothing for a refused or failed change, nor for a read', async () => {
    const { key } = await t.app.services.apiKeys.create('audit-viewer', 'viewer');
    const before = (await t.db('audit_log').count({ n: '*' }))[0].n;

    await t.api('POST', '/api/v1/tokens', { uid: 'AUDIT-REFUSED' }, { key });
    await t.api('POST', '/api/v1/tokens', {});
    await t.api('GET', '/api/v1/tokens');

    expect((await t.db('audit_log').count({ n: '*' }))[0].n).to.equal(before);
  });

  it('should never store a password, session token, API key or partner token', async () => {
    const chargerId = aChargerId('audit');
    const secrets = ['charger password 1', 'charger password 2', 'operator password 1', 'operator password 2'];
    await t.api('POST', '/api/v1/chargers', { id: chargerId, password: secrets[0] });
    await t.api('PUT', `/api/v1/chargers/${chargerId}/password`, { password: secrets[1] });
    const op = await t.api('POST', '/api/v1/operators', { email: 'secretive@example.com', role: 'viewer', password: secrets[2] });
    const oneTime = await t.api('POST', '/api/v1/operators', { email: 'onetime@example.com', role: 'viewer' });
    const { token } = (await t.api('POST', '/api/v1/auth/login', { email: 'secretive@example.com', password: secrets[2] }, { key: null })).body;
    await t.api('POST', '/api/v1/auth/password', { currentPassword: secrets[2], newPassword: secrets[3] }, { key: token });
    const invite = await t.api('POST', '/api/v1/partners/invitations', { countryCode: 'DE', partyId: 'AUD' });

    const stored = JSON.stringify(await t.db('audit_log'));

    expect([op.status, oneTime.status, invite.status]).to.deep.equal([201, 201, 201]);
    for (const secret of [...secrets, oneTime.body.oneTimePassword, token, t.adminKey, invite.body.token]) expect(stored).to.not.include(secret);
    const passwordChange = (await entriesOf('operators', String(op.body.id)))[0];
    expect([passwordChange.action, passwordChange.actorLabel, passwordChange.request]).to.deep.equal(['POST /auth/password', 'secretive@example.com', { currentPassword: '[redacted]', newPassword: '[redacted]' }]);
  });

  it('should filter by time ([from, to)) and page', async () => {
    const id = aTariffId();
    await t.api('PUT', `/api/v1/tariffs/${id}`, tariffBody);
    await t.api('DELETE', `/api/v1/tariffs/${id}`);
    const [deleted, created] = await entriesOf('tariffs', id);

    const from = await t.api('GET', `/api/v1/audit?entityId=${id}&from=${encodeURIComponent(deleted.at)}`);
    const to = await t.api('GET', `/api/v1/audit?entityId=${id}&to=${encodeURIComponent(deleted.at)}`);
    const page = await t.api('GET', `/api/v1/audit?entityId=${id}&limit=1&offset=1`);

    expect([deleted.action, deleted.after]).to.deep.equal(['DELETE /tariffs/:id', null]);
    expect(from.body.data.map((e: { id: number }) => e.id)).to.include(deleted.id);
    expect(to.body.data.map((e: { id: number }) => e.id)).to.not.include(deleted.id);
    expect(page.body.data.map((e: { id: number }) => e.id)).to.deep.equal([created.id]);
  });

  it('should refuse a bad time filter with 400 naming it', async () => {
    const res = await t.api('GET', '/api/v1/audit?from=yesterday');

    expect([res.status, res.body.error.message]).to.deep.equal([400, 'from: must be an ISO 8601 date or date-time with a time zone']);
  });
});
