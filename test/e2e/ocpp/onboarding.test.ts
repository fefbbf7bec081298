// Onboarding (ocpp.acceptUnknownChargers) must end with the charger holding a credential only it knows.
// A charger admitted without one may hold a single connection, can do only what Pending allows and never
// becomes Accepted without a credential: the operator accepts it with a password configured on it, or cpms
// sends it a random AuthorizationKey (OCPP 1.6 security whitepaper, "Update Charge Point Password for HTTP
// Basic Authentication": 16-20 random bytes as at most 40 hex digits) and accepts it once it says Accepted.
import { once } from 'node:events';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, connectRaw, handshakeStatus, type ChargerClient } from '../../helpers/charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { aBootNotification, aChargerId, aStartTransaction, aToken } from '../../fixtures/chargers.ts';

describe('e2e OCPP onboarding without credentials', () => {
  const t = useTestApp({ overrides: { 'ocpp.acceptUnknownChargers': true, 'ocpp.callTimeoutSec': 1 } });

  /** An unknown charger connected without a password and booted (Pending). */
  async function anOnboardedCharger(): Promise<{ id: string; client: ChargerClient }> {
    const id = aChargerId('new');
    const client = await connectCharger(t, id);
    expect(((await client.call('BootNotification', aBootNotification())) as { status: string }).status).to.equal('Pending');
    return { id, client };
  }

  const rowOf = async (id: string) => {
    const row = await t.db('charge_points').where({ id }).first();
    return { status: row.registration_status, hasPassword: row.password_hash !== null, hasPendingKey: row.pending_password_hash !== null };
  };

  /** Answers ChangeConfiguration AuthorizationKey with `status`, keeping the key it was sent. */
  function answerAuthorizationKey(client: ChargerClient, status: string | 'never') {
    const seen: Array<{ key: string; value: string }> = [];
    client.handle('ChangeConfiguration', async ({ params }) => {
      seen.push(params as { key: string; value: string });
      if (status === 'never') return new Promise(() => undefined);
      return { status };
    });
    return seen;
  }

  it('should refuse a second handshake of a charger without credentials while its first connection is open (409), and admit it again once closed', async () => {
    const { id, client } = await anOnboardedCharger();

    const second = await handshakeStatus(t, id);
    await client.close();
    await eventually(async () => (await t.db('charge_points').where({ id }).first()).is_connected === false, 'the disconnection to be recorded');
    const third = await handshakeStatus(t, id);

    expect([second.status, second.body]).to.deep.equal([409, 'charger without credentials is already connected']);
    expect(third.status).to.equal(101);
  });

  it('should let exactly one of several simultaneous handshakes of a charger without credentials in (race: run on PostgreSQL)', async () => {
    const { id, client } = await anOnboardedCharger();
    await client.close();
    await eventually(async () => (await t.db('charge_points').where({ id }).first()).is_connected === false, 'the disconnection to be recorded');

    const attempts = await Promise.allSettled(Array.from({ length: 6 }, () => connectRaw(t, id)));
    const opened = attempts.filter((a) => a.status === 'fulfilled');
    for (const a of opened) await a.value.close();

    expect(opened).to.have.length(1);
  });

  it('OCPP16 §4.2.1: should refuse StartTransaction of a charger without credentials with SecurityError', async () => {
    const { client } = await anOnboardedCharger();
    const idTag = await aToken(t.app.services);

    const start = await client.call('StartTransaction', aStartTransaction(idTag)).catch((e: unknown) => e);
    await client.close();

    expect((start as { rpcErrorCode: string }).rpcErrorCode).to.equal('SecurityError');
  });

  it('should refuse to make a charger without a password Accepted through PUT registration (409), leaving it Pending', async () => {
    const { id, client } = await anOnboardedCharger();
    await client.close();

    const res = await t.api('PUT', `/api/v1/chargers/${id}/registration`, { status: 'Accepted' });

    expect([res.status, res.body.error.message]).to.deep.equal([409, `charger ${id} has no password: accept it with POST /api/v1/chargers/${id}/accept`]);
    expect(await rowOf(id)).to.deep.equal({ status: 'Pending', hasPassword: false, hasPendingKey: false });
  });

  it('should never let in a charger without a password that is recorded as Accepted', async () => {
    const { id, client } = await anOnboardedCharger();
    await client.close();
    await t.db('charge_points').where({ id }).update({ registration_status: 'Accepted' }); // e.g. set so before this rule

    const res = await handshakeStatus(t, id);

    expect(res.status).to.equal(401);
  });

  it('OCPP 1.6 security whitepaper: should accept it by sending a random AuthorizationKey (40 hex digits) and storing it once the charger says Accepted; only that key gets in afterwards', async () => {
    // Arrange
    const { id, client } = await anOnboardedCharger();
    const seen = answerAuthorizationKey(client, 'Accepted');
    const closed = once(client, 'close');

    // Act
    const res = await t.api('POST', `/api/v1/chargers/${id}/accept`, {});
    const [{ code }] = (await closed) as [{ code: number }];
    const key = Buffer.from(seen[0].value, 'hex');
    const withKey = await connectCharger(t, id, { password: key });
    const boot = (await withKey.call('BootNotification', aBootNotification())) as { status: string };
    await withKey.close();

    // Assert
    expect([res.status, res.body.registrationStatus, res.body.hasPassword]).to.deep.equal([200, 'Accepted', true]);
    expect(seen).to.have.length(1);
    expect(seen[0].key).to.equal('AuthorizationKey');
    expect(seen[0].value).to.match(/^[0-9A-F]{40}$/);
    expect(code).to.equal(1012); // the socket without credentials must come back with them
    expect(boot.status).to.equal('Accepted');
    expect((await handshakeStatus(t, id)).status).to.equal(401);
    expect((await handshakeStatus(t, id, { password: Buffer.from(seen[0].value) })).status).to.equal(401); // the hex text is not the key
    expect(await rowOf(id)).to.deep.equal({ status: 'Accepted', hasPassword: true, hasPendingKey: false });
  });

  for (const answer of ['Rejected', 'NotSupported']) {
    it(`should leave the charger Pending without a password when it answers ${answer} (409 naming the answer)`, async () => {
      const { id, client } = await anOnboardedCharger();
      answerAuthorizationKey(client, answer);

      const res = await t.api('POST', `/api/v1/chargers/${id}/accept`, {});
      await client.close();

      expect(res.status).to.equal(409);
      expect(res.body.error.message).to.match(new RegExp(`the charger answered ${answer}; it stays Pending`));
      expect(await rowOf(id)).to.deep.equal({ status: 'Pending', hasPassword: false, hasPendingKey: false });
    });
  }

  it('should answer 409 and change nothing when the charger is not connected', async () => {
    const { id, client } = await anOnboardedCharger();
    await client.close();
    await eventually(async () => (await t.db('charge_points').where({ id }).first()).is_connected === false, 'the disconnection to be recorded');

    const res = await t.api('POST', `/api/v1/chargers/${id}/accept`, {});

    expect([res.status, res.body.error.message]).to.deep.equal([409, `charger ${id} is not connected: it must be online to receive its AuthorizationKey; it stays Pending`]);
    expect(await rowOf(id)).to.deep.equal({ status: 'Pending', hasPassword: false, hasPendingKey: false });
  });

  it('should answer 502 when the charger does not answer, keep it Pending, and take the key as its password when it connects with it', async () => {
    // Arrange
    const { id, client } = await anOnboardedCharger();
    const seen = answerAuthorizationKey(client, 'never');

    // Act
    const res = await t.api('POST', `/api/v1/chargers/${id}/accept`, {});
    await client.close({ force: true });
    const withKey = await connectCharger(t, id, { password: Buffer.from(seen[0].value, 'hex') });
    await withKey.close();

    // Assert
    expect(res.status).to.equal(502);
    expect(res.body.error.message).to.match(/no answer within 1000 ms; it stays Pending$/);
    expect(await rowOf(id)).to.deep.equal({ status: 'Pending', hasPassword: true, hasPendingKey: false });
  });

  it('should accept it with a password the operator configured on it, and let in only that password', async () => {
    const { id, client } = await anOnboardedCharger();
    const closed = once(client, 'close');

    const res = await t.api('POST', `/api/v1/chargers/${id}/accept`, { password: 'set-on-the-charger' });
    await closed;

    expect([res.status, res.body.registrationStatus]).to.deep.equal([200, 'Accepted']);
    expect((await handshakeStatus(t, id)).status).to.equal(401);
    expect((await handshakeStatus(t, id, { password: 'set-on-the-charger' })).status).to.equal(101);
  });

  it('should refuse to accept a charger that is already Accepted (409) or unknown (404)', async () => {
    const { id, client } = await anOnboardedCharger();
    await client.close();
    await t.api('POST', `/api/v1/chargers/${id}/accept`, { password: 'set-on-the-charger' });

    const again = await t.api('POST', `/api/v1/chargers/${id}/accept`, {});
    const unknown = await t.api('POST', `/api/v1/chargers/${aChargerId('none')}/accept`, {});

    expect([again.status, unknown.status]).to.deep.equal([409, 404]);
  });
});
