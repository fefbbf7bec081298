// Driver accounts in the driver API (issue 11): the operator sets a driver's password, the driver signs in,
// starts with one of its own tokens (the access rules of its groups decide, as for an RFID card), stops, and
// sees the session in its history with the CDR's cost. A driver session opens nothing of the admin API.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { anIdTag } from '../../fixtures/chargers.ts';
import { aPricedAdhocSite } from '../../fixtures/web.ts';

const PASSWORD = 'correct horse battery';

describe('e2e web: driver accounts', () => {
  const t = useTestApp();
  let seq = 0;
  const driverApi = (method: string, path: string, body?: unknown, token?: string) =>
    fetch(`${t.httpUrl}/api/v1/driver${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(async (res) => ({ status: res.status, headers: res.headers, body: res.status === 204 ? undefined : ((await res.json()) as any) }));

  /** A driver with an email, a password and one token of its own. */
  async function aDriverWithToken(): Promise<{ id: number; email: string; tokenId: number; idTag: string }> {
    const email = `driver${++seq}-${Date.now()}@example.com`;
    const driver = (await t.api('POST', '/api/v1/drivers', { name: 'Dana Driver', email })).body;
    const token = await t.app.services.tokens.addLocal({ uid: anIdTag() });
    expect((await t.api('PUT', `/api/v1/drivers/${driver.id}/tokens/${token.id}`)).status).to.equal(204);
    expect((await t.api('POST', `/api/v1/drivers/${driver.id}/password`, { password: PASSWORD })).status).to.equal(204);
    return { id: driver.id, email, tokenId: token.id, idTag: token.uid };
  }

  it('should sign a driver in with the password the operator set, show its tokens, and sign it out', async () => {
    // Arrange
    const d = await aDriverWithToken();

    // Act
    const login = await driverApi('POST', '/auth/login', { email: d.email.toUpperCase(), password: PASSWORD });
    const me = await driverApi('GET', '/me', undefined, login.body.token);
    const logout = await driverApi('POST', '/auth/logout', undefined, login.body.token);
    const after = await driverApi('GET', '/me', undefined, login.body.token);

    // Assert
    expect(login.status).to.equal(200);
    expect(login.body.token).to.match(/^cpmsdr_/);
    expect(login.body.driver).to.deep.equal({ id: d.id, name: 'Dana Driver', email: d.email });
    expect(me.body.tokens.map((x: any) => [x.id, x.uid])).to.deep.equal([[d.tokenId, d.idTag]]);
    expect(logout.status).to.equal(204);
    expect(after.status).to.equal(401);
  });

  it('should never let a driver session into the admin API, nor an admin key into the driver account', async () => {
    const d = await aDriverWithToken();
    const { token } = (await driverApi('POST', '/auth/login', { email: d.email, password: PASSWORD })).body;

    const admin = await t.api('GET', '/api/v1/drivers', undefined, { key: token });
    const withKey = await driverApi('GET', '/me', undefined, t.adminKey);
    const none = await driverApi('GET', '/me/sessions');

    expect(admin.status).to.equal(401);
    expect([withKey.status, none.status]).to.deep.equal([401, 401]);
  });

  it('should refuse a wrong password with one answer, lock the account after repeated failures, and lift it with a new password', async () => {
    // Arrange
    const d = await aDriverWithToken();
    const max = 5; // config auth.maxFailedLogins (default), as operators

    // Act
    const wrong = [];
    for (let i = 0; i < max; i++) wrong.push(await driverApi('POST', '/auth/login', { email: d.email, password: 'wrong password!' }));
    const locked = await driverApi('POST', '/auth/login', { email: d.email, password: PASSWORD });
    const unknown = await driverApi('POST', '/auth/login', { email: 'nobody@example.com', password: PASSWORD });
    await t.api('POST', `/api/v1/drivers/${d.id}/password`, { password: 'a brand new password' });
    const again = await driverApi('POST', '/auth/login', { email: d.email, password: 'a brand new password' });

    // Assert
    expect(wrong.slice(0, -1).map((r) => r.status)).to.deep.equal(Array(max - 1).fill(401));
    expect(wrong.at(-1)!.status).to.equal(429);
    expect(locked.status).to.equal(429);
    expect(Number(locked.headers.get('retry-after'))).to.be.greaterThan(0);
    expect(unknown.status).to.equal(401);
    expect(unknown.body.error.message).to.equal(wrong[0]!.body.error.message);
    expect(again.status).to.equal(200);
  });

  it('should answer bad password settings with a 4xx naming the problem', async () => {
    const noEmail = (await t.api('POST', '/api/v1/drivers', { name: 'No Mail' })).body;
    const d = await aDriverWithToken();

    const short = await t.api('POST', `/api/v1/drivers/${d.id}/password`, { password: 'short' });
    const missing = await t.api('POST', `/api/v1/drivers/${noEmail.id}/password`, { password: PASSWORD });
    const unknown = await t.api('POST', '/api/v1/drivers/999999/password', { password: PASSWORD });
    const badLogin = await driverApi('POST', '/auth/login', { email: 42 });

    expect([short.status, short.body.error.message]).to.deep.equal([400, 'password: must be a string of 12-256 characters']);
    expect(missing.status).to.equal(409);
    expect(unknown.status).to.equal(404);
    expect(badLogin.status).to.equal(400);
  });

  it('should start with the driver\'s own token, follow and stop the session, and list it in the history with the CDR\'s cost', async () => {
    // Arrange
    const site = await aPricedAdhocSite(t);
    await site.fleet.whenOnline();
    const d = await aDriverWithToken();
    const other = await aDriverWithToken();
    const { token } = (await driverApi('POST', '/auth/login', { email: d.email, password: PASSWORD })).body;
    await eventually(async () => (await driverApi('GET', `/evses/${site.evseUid}`)).body.availability === 'AVAILABLE' || undefined, 'the EVSE available');

    // Act
    const notMine = await driverApi('POST', `/me/evses/${site.evseUid}/start`, { tokenId: other.tokenId }, token);
    const started = await driverApi('POST', `/me/evses/${site.evseUid}/start`, { tokenId: d.tokenId }, token);
    const charging = await eventually(async () => {
      const [s] = (await driverApi('GET', '/me/sessions?limit=1', undefined, token)).body.data;
      return s?.status === 'ACTIVE' && s.kWh > 0 ? s : undefined;
    }, 'the session charging', 20_000);
    const othersView = await driverApi('GET', `/me/sessions/${charging.id}`, undefined, (await driverApi('POST', '/auth/login', { email: other.email, password: PASSWORD })).body.token);
    const stopped = await driverApi('POST', `/me/sessions/${charging.id}/stop`, undefined, token);
    const final = await eventually(async () => {
      const s = (await driverApi('GET', `/me/sessions/${charging.id}`, undefined, token)).body;
      return s.status === 'COMPLETED' && s.cdrId ? s : undefined;
    }, 'the CDR', 20_000);
    const history = await driverApi('GET', '/me/sessions?limit=10&offset=0', undefined, token);
    await site.fleet.stop();

    // Assert
    expect(notMine.status).to.equal(404);
    expect(started.status).to.equal(201);
    expect(started.body).to.deep.equal({ status: 'Accepted', evseUid: site.evseUid, tokenUid: d.idTag });
    expect(charging).to.include({ evseUid: site.evseUid, tokenUid: d.idTag });
    expect(othersView.status).to.equal(404);
    expect(stopped.body).to.deep.equal({ status: 'Accepted' });
    const cdr = await t.db('cdrs').where({ cdr_id: final.cdrId }).first();
    expect(final.cost).to.include({ amount: Number(cdr.total_cost_incl_vat), currency: 'EUR' });
    expect(final.kWh).to.be.greaterThan(0);
    expect(history.body.data.map((s: any) => s.id)).to.deep.equal([charging.id]);
  });

  it('should refuse a start where the driver\'s groups have no access rule, with the reason, without asking the charger', async () => {
    // Arrange: the site's location restricted to its groups' drivers
    const site = await aPricedAdhocSite(t);
    await site.fleet.whenOnline();
    expect((await t.api('PUT', `/api/v1/locations/${site.locationId}/access`, { accessMode: 'restricted' })).status).to.equal(200);
    const d = await aDriverWithToken();
    const { token } = (await driverApi('POST', '/auth/login', { email: d.email, password: PASSWORD })).body;

    // Act
    const refused = await driverApi('POST', `/me/evses/${site.evseUid}/start`, { tokenId: d.tokenId }, token);
    const badToken = await driverApi('POST', `/me/evses/${site.evseUid}/start`, { tokenId: 'x' }, token);
    await site.fleet.stop();

    // Assert
    expect(refused.status).to.equal(409);
    expect(refused.body.error.message).to.equal('refused: NO_ACCESS_RULES');
    expect((await t.api('GET', `/api/v1/access-refusals?idTag=${d.idTag}`)).body.data.map((r: any) => r.reason)).to.deep.equal(['NO_ACCESS_RULES']);
    expect(badToken.status).to.equal(400);
    expect(await t.db('sessions').where({ id_tag: d.idTag })).to.have.length(0);
  });
});
