// OCPP 1.6 security whitepaper, "Update Charge Point Password for HTTP Basic Authentication": cpms sends a
// random AuthorizationKey (16-20 bytes as hex) with ChangeConfiguration; once the charger accepts it, the
// new key works and the old password stays valid until the charger's first connection with the new one.
// A charger that rejects it keeps its old password.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, handshakeStatus, type ChargerClient } from '../../helpers/charger.ts';
import { aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { runInServer } from '../../helpers/cli-in-server.ts';

describe('e2e OCPP password rotation (POST /chargers/{id}/rotate-password)', () => {
  const t = useTestApp({ overrides: { 'ocpp.callTimeoutSec': 2 } });

  /** A registered charger connected with its password, answering ChangeConfiguration with `status`. */
  async function aConnectedCharger(status: string): Promise<{ id: string; client: ChargerClient; sent: Array<{ key: string; value: string }> }> {
    const id = await aRegisteredCharger(t.app.services);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    const sent: Array<{ key: string; value: string }> = [];
    client.handle('ChangeConfiguration', async ({ params }) => {
      sent.push(params as { key: string; value: string });
      return { status };
    });
    return { id, client, sent };
  }

  it('should send a 20-byte AuthorizationKey as 40 hex digits and, once Accepted, admit both passwords until the charger connects with the new one', async () => {
    const { id, client, sent } = await aConnectedCharger('Accepted');

    const res = await t.api('POST', `/api/v1/chargers/${id}/rotate-password`);
    await client.close();
    const key = Buffer.from(sent[0].value, 'hex');
    const oldBeforeSwitch = await handshakeStatus(t, id, { password: CHARGER_PASSWORD });
    const withNew = await handshakeStatus(t, id, { password: key });
    const oldAfterSwitch = await handshakeStatus(t, id, { password: CHARGER_PASSWORD });
    const newAgain = await handshakeStatus(t, id, { password: key });

    expect([res.status, res.body]).to.deep.equal([200, { status: 'Accepted' }]);
    expect(sent[0].key).to.equal('AuthorizationKey');
    expect(sent[0].value).to.match(/^[0-9A-F]{40}$/);
    expect([oldBeforeSwitch.status, withNew.status, oldAfterSwitch.status, newAgain.status]).to.deep.equal([101, 101, 401, 101]);
  });

  it('should keep the old password when the charger rejects the new key (409), and refuse the key it was sent', async () => {
    const { id, client, sent } = await aConnectedCharger('Rejected');

    const res = await t.api('POST', `/api/v1/chargers/${id}/rotate-password`);
    await client.close();
    const old = await handshakeStatus(t, id, { password: CHARGER_PASSWORD });
    const refusedKey = await handshakeStatus(t, id, { password: Buffer.from(sent[0].value, 'hex') });

    expect([res.status, res.body.error.message]).to.deep.equal([409, 'ChangeConfiguration AuthorizationKey: the charger answered Rejected; its password is unchanged']);
    expect([old.status, refusedKey.status]).to.deep.equal([101, 401]);
    expect((await t.db('charge_points').where({ id }).first()).pending_password_hash).to.equal(null);
  });

  it('should answer 409 for a charger that is not connected, and 404 for an unknown one', async () => {
    const id = await aRegisteredCharger(t.app.services);

    const offline = await t.api('POST', `/api/v1/chargers/${id}/rotate-password`);
    const unknown = await t.api('POST', '/api/v1/chargers/CP-no-such-charger/rotate-password');

    expect([offline.status, offline.body.error.message]).to.deep.equal([409, `charger ${id} is not connected`]);
    expect(unknown.status).to.equal(404);
  });

  it('should refuse a security profile this server does not serve (no TLS here) with 400', async () => {
    const id = await aRegisteredCharger(t.app.services);

    const res = await t.api('POST', `/api/v1/chargers/${id}/security-profile`, { profile: 2 });
    const bad = await t.api('POST', `/api/v1/chargers/${id}/security-profile`, { profile: '3' });

    expect([res.status, res.body.error.message]).to.deep.equal([400, 'profile: this server serves security profiles up to 1 (profile 2 needs tls.certFile, 3 also tls.caFile)']);
    expect([bad.status, bad.body.error.message]).to.deep.equal([400, 'profile: must be 1, 2 or 3']);
  });

  it('should rotate the password from the command line run in the server (cpms charger rotate-password)', async () => {
    const { id, client, sent } = await aConnectedCharger('Accepted');

    const res = await runInServer(t, 'charger', 'rotate-password', id);
    await client.close();
    const withNew = await handshakeStatus(t, id, { password: Buffer.from(sent[0].value, 'hex') });

    expect([res.code, res.lines]).to.deep.equal([0, [`charger ${id} answered Accepted: the new password replaces the old one at its next connection`]]);
    expect(withNew.status).to.equal(101);
  });
});
