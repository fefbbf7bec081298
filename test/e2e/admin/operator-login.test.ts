// Operator accounts and their sessions (issue 9): login → bearer token and HttpOnly cookie, CSRF header on
// cookie-authenticated changes, logout, password change, lock-out, no user enumeration.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aPasswordSpy } from '../../helpers/password-spy.ts';

const PASSWORD = 'correct horse battery';

describe('e2e admin API: operator login and sessions', () => {
  const clock = fixedClock(new Date('2026-12-04T10:00:00Z'));
  const spy = aPasswordSpy();
  const t = useTestApp({ clock, passwords: spy.hasher, overrides: { 'auth.maxFailedLogins': 3, 'auth.lockoutMin': 10, 'auth.sessionTtlMin': 60 } });
  let n = 0;

  /** A new operator account of `role` with PASSWORD (null: none, a one-time one); returns its email and id. */
  async function anOperator(role = 'operator', password: string | null = PASSWORD): Promise<{ email: string; id: number; oneTimePassword?: string }> {
    n += 1;
    const res = await t.api('POST', '/api/v1/operators', { email: `op${n}@example.com`, role, name: `Op ${n}`, ...(password === null ? {} : { password }) });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return { email: res.body.email, id: res.body.id, oneTimePassword: res.body.oneTimePassword };
  }

  const login = (email: string, password = PASSWORD) => t.api('POST', '/api/v1/auth/login', { email, password }, { key: null });

  async function withCookie(method: string, path: string, cookie: string, o: { csrf?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = { cookie };
    if (o.csrf) headers['x-csrf-token'] = o.csrf;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${t.httpUrl}${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
  }

  it('should log in with email and password: a bearer token and an HttpOnly SameSite=Strict cookie', async () => {
    const op = await anOperator();

    const res = await login(op.email.toUpperCase());

    expect(res.status).to.equal(200);
    expect(res.body.token).to.match(/^cpmsop_/);
    expect(res.body.operator).to.include({ email: op.email, role: 'operator', mustChangePassword: false });
    expect(res.body.operator).to.not.have.property('passwordHash');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).to.include(`cpms_session=${res.body.token}`).and.include('HttpOnly').and.include('SameSite=Strict').and.include('Path=/api/v1');
    expect(cookie).to.not.include('Secure'); // plain http test server
    const me = await t.api('GET', '/api/v1/auth/me', undefined, { key: res.body.token });
    expect([me.status, me.body.operator.email]).to.deep.equal([200, op.email]);
  });

  it('should store only the SHA-256 of a session token', async () => {
    const op = await anOperator();
    const { body } = await login(op.email);

    const rows = await t.db('operator_sessions').where({ operator_id: op.id });

    expect(rows.length).to.equal(1);
    expect(rows[0].token_hash).to.match(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).to.not.include(body.token);
  });

  it('should refuse a change made with the session cookie without the CSRF header, and accept it with the header', async () => {
    const op = await anOperator();
    const { body } = await login(op.email);
    const cookie = `cpms_session=${body.token}`;

    const read = await withCookie('GET', '/api/v1/tokens', cookie);
    const refused = await withCookie('POST', '/api/v1/tokens', cookie, { body: { uid: 'CSRF-1' } });
    const wrong = await withCookie('POST', '/api/v1/tokens', cookie, { body: { uid: 'CSRF-1' }, csrf: 'not-it' });
    const accepted = await withCookie('POST', '/api/v1/tokens', cookie, { body: { uid: 'CSRF-1' }, csrf: body.csrfToken });

    expect([read.status, refused.status, wrong.status, accepted.status]).to.deep.equal([200, 403, 403, 201]);
    expect(refused.body.error.message).to.match(/x-csrf-token/);
  });

  it('should answer an unknown or malformed session cookie with 401', async () => {
    const unknown = await withCookie('GET', '/api/v1/auth/me', 'cpms_session=cpmsop_not-a-session');
    const malformed = await withCookie('GET', '/api/v1/chargers', 'other=1; cpms_session=%E0%A4%A');

    expect([unknown.status, malformed.status]).to.deep.equal([401, 401]);
  });

  it('should give the CSRF token again from /auth/me (after a page reload)', async () => {
    const op = await anOperator();
    const { body } = await login(op.email);

    const me = await withCookie('GET', '/api/v1/auth/me', `cpms_session=${body.token}`);

    expect(me.body.csrfToken).to.equal(body.csrfToken);
  });

  it('should end the session at logout', async () => {
    const op = await anOperator();
    const { body } = await login(op.email);

    const out = await t.api('POST', '/api/v1/auth/logout', undefined, { key: body.token });
    const after = await t.api('GET', '/api/v1/auth/me', undefined, { key: body.token });

    expect(out.status).to.equal(204);
    expect(out.headers.get('set-cookie')).to.include('Max-Age=0');
    expect(after.status).to.equal(401);
  });

  it('should end a session at its expiry', async () => {
    const op = await anOperator();
    const { body } = await login(op.email);

    clock.advance(61 * 60_000);
    const res = await t.api('GET', '/api/v1/auth/me', undefined, { key: body.token });

    expect(res.status).to.equal(401);
  });

  it('should answer a wrong password and an unknown email alike, each with a password check', async () => {
    const op = await anOperator();
    const before = spy.verifications;

    const wrong = await login(op.email, 'not the password at all');
    const unknown = await login('nobody@example.com', 'not the password at all');

    expect([wrong.status, unknown.status]).to.deep.equal([401, 401]);
    expect(unknown.body.error.message).to.equal(wrong.body.error.message).and.equal('invalid email or password');
    expect(spy.verifications - before).to.equal(2);
  });

  it('should lock an account after maxFailedLogins failures (429 with Retry-After), even for the right password, until the lock-out ends', async () => {
    const op = await anOperator();
    for (let i = 0; i < 2; i += 1) expect((await login(op.email, 'wrong password!')).status).to.equal(401);

    const third = await login(op.email, 'wrong password!');
    const right = await login(op.email);
    clock.advance(10 * 60_000 + 1000);
    const later = await login(op.email);

    expect(third.status).to.equal(429);
    expect(third.body.error.message).to.match(/too many failed logins: try again in 10 minute/);
    expect(third.headers.get('retry-after')).to.equal('600');
    expect(right.status).to.equal(429);
    expect(later.status).to.equal(200);
  });

  it('should count failed logins made at the same time each once: the account is locked after maxFailedLogins of them', async () => {
    const op = await anOperator();

    const concurrent = await Promise.all([1, 2, 3].map(() => login(op.email, 'wrong password!')));
    const right = await login(op.email);

    expect(concurrent.map((r) => r.status).sort()).to.deep.equal([401, 401, 429]);
    expect(right.status).to.equal(429);
  });

  it('should lock an unknown email after as many failures as an account: the lock-out tells nothing', async () => {
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push((await login('ghost@example.com', 'wrong password!')).status);

    expect(answers).to.deep.equal([401, 401, 429, 429]);
  });

  it('should refuse the login of a disabled account like a wrong password, and end its sessions', async () => {
    const op = await anOperator();
    const { body } = await login(op.email);

    const disabled = await t.api('PATCH', `/api/v1/operators/${op.id}`, { disabled: true });
    const session = await t.api('GET', '/api/v1/auth/me', undefined, { key: body.token });
    const again = await login(op.email);

    expect([disabled.status, disabled.body.disabledAt]).to.deep.equal([200, clock.now().toISOString()]);
    expect(session.status).to.equal(401);
    expect([again.status, again.body.error.message]).to.deep.equal([401, 'invalid email or password']);
  });

  it('should change the password with the current one, and end the other sessions only', async () => {
    const op = await anOperator();
    const first = (await login(op.email)).body.token;
    const second = (await login(op.email)).body.token;

    const wrong = await t.api('POST', '/api/v1/auth/password', { currentPassword: 'not it at all', newPassword: 'a brand new password' }, { key: second });
    const changed = await t.api('POST', '/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' }, { key: second });

    expect([wrong.status, wrong.body.error.message]).to.deep.equal([400, 'currentPassword: does not match']);
    expect(changed.status).to.equal(204);
    expect((await t.api('GET', '/api/v1/auth/me', undefined, { key: first })).status).to.equal(401);
    expect((await t.api('GET', '/api/v1/auth/me', undefined, { key: second })).status).to.equal(200);
    expect((await login(op.email)).status).to.equal(401);
    expect((await login(op.email, 'a brand new password')).status).to.equal(200);
  });

  it('should give a one-time password when none is given, which must be changed before anything else', async () => {
    const op = await anOperator('viewer', null);
    const { body } = await login(op.email, op.oneTimePassword);

    const blocked = await t.api('GET', '/api/v1/chargers', undefined, { key: body.token });
    await t.api('POST', '/api/v1/auth/password', { currentPassword: op.oneTimePassword, newPassword: 'my own password now' }, { key: body.token });
    const allowed = await t.api('GET', '/api/v1/chargers', undefined, { key: body.token });

    expect(op.oneTimePassword).to.be.a('string').with.length.greaterThan(11);
    expect(body.operator.mustChangePassword).to.equal(true);
    expect([blocked.status, blocked.body.error.message]).to.deep.equal([403, 'password change required: POST /api/v1/auth/password first']);
    expect(allowed.status).to.equal(200);
  });

  it('should refuse a second account with the same email in another case with 409', async () => {
    const op = await anOperator();

    const res = await t.api('POST', '/api/v1/operators', { email: op.email.toUpperCase(), role: 'viewer', password: PASSWORD });

    expect(res.status).to.equal(409);
  });

  it('should create one account of two added at the same time with one email in two cases, and refuse the other with 409', async () => {
    const both = await Promise.all(['race@example.com', 'RACE@example.com'].map((email) => t.api('POST', '/api/v1/operators', { email, role: 'viewer', password: PASSWORD })));

    expect(both.map((r) => r.status).sort()).to.deep.equal([201, 409]);
    expect((await t.db('operators').whereRaw("lower(email) = 'race@example.com'")).length).to.equal(1);
  });

  it('should refuse bad operator input with 400 naming the field', async () => {
    const role = await t.api('POST', '/api/v1/operators', { email: 'x@example.com', role: 'root', password: PASSWORD });
    const short = await t.api('POST', '/api/v1/operators', { email: 'x@example.com', role: 'viewer', password: 'short' });
    const email = await t.api('POST', '/api/v1/operators', { email: 'not-an-email', role: 'viewer', password: PASSWORD });
    const loginBody = await t.api('POST', '/api/v1/auth/login', { email: 42 }, { key: null });

    expect([role.status, role.body.error.message]).to.deep.equal([400, 'role: must be one of admin, operator, viewer, finance']);
    expect([short.status, short.body.error.message]).to.deep.equal([400, 'password: must be a string of 12-256 characters']);
    expect([email.status, email.body.error.message]).to.deep.equal([400, 'email: must be an email address of at most 254 characters']);
    expect([loginBody.status, loginBody.body.error.message]).to.deep.equal([400, 'email: required string of 1-254 characters']);
  });

  it('should answer /auth/me called with an API key with 401 naming what is needed', async () => {
    const res = await t.api('GET', '/api/v1/auth/me');

    expect(res.status).to.equal(401);
    expect(res.body.error.message).to.match(/operator session/);
  });
});
