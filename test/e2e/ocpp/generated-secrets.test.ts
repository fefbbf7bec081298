// Reconnect storms (issue 8): a charger whose password cpms generated (bulk import) is checked with the
// fast sha256 scheme, without the scrypt KDF; a password the operator chose still goes through scrypt.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, handshakeStatus } from '../../helpers/charger.ts';
import { aPasswordSpy } from '../../helpers/password-spy.ts';
import { eventually } from '../../helpers/wait.ts';
import { aChargerId } from '../../fixtures/chargers.ts';

describe('e2e OCPP handshake with generated and chosen passwords', () => {
  const spy = aPasswordSpy();
  const t = useTestApp({ passwords: spy.hasher });

  it('should connect a charger imported with a generated password without hashing or checking it with scrypt (a wrong one costs the dummy check of any failed login)', async () => {
    // Arrange
    const id = aChargerId('gen');
    const before = { hashes: spy.hashes, verifications: spy.verifications };
    const res = await t.api('POST', '/api/v1/chargers/bulk', [{ id }]);
    const password = res.body.results[0].password as string;
    // Act
    const client = await connectCharger(t, id, { password });
    const boot = await client.call('BootNotification', { chargePointVendor: 'v', chargePointModel: 'm' });
    const afterRight = { hashes: spy.hashes, verifications: spy.verifications };
    const wrong = await handshakeStatus(t, id, { password: `not-${password}` });
    // Assert
    expect((await t.db('charge_points').where({ id }).first()).password_hash).to.match(/^sha256\$/);
    expect((boot as { status: string }).status).to.equal('Accepted');
    expect(wrong.status).to.equal(401);
    expect([afterRight.hashes - before.hashes, afterRight.verifications - before.verifications]).to.deep.equal([0, 0]);
    // A failed login costs one KDF check like an unknown id (handshake-auth.test.ts: no identity oracle).
    expect(spy.verifications - afterRight.verifications).to.equal(1);
    await client.close();
  });

  it('should hash and check a chosen password with scrypt', async () => {
    // Arrange
    const id = aChargerId('chosen');
    const before = { hashes: spy.hashes, verifications: spy.verifications };
    await t.api('POST', '/api/v1/chargers/bulk', [{ id, password: 'operator-chosen-1' }]);
    // Act
    const client = await connectCharger(t, id, { password: 'operator-chosen-1' });
    // Assert
    expect((await t.db('charge_points').where({ id }).first()).password_hash).to.match(/^scrypt\$/);
    expect([spy.hashes - before.hashes, spy.verifications - before.verifications]).to.deep.equal([1, 1]);
    await client.close();
  });
});

describe('e2e OCPP handshake with a generated password while every KDF slot is taken', () => {
  const spy = aPasswordSpy();
  const t = useTestApp({ passwords: spy.hasher, overrides: { 'ocpp.auth.maxConcurrentVerifications': 1, 'ocpp.auth.maxQueuedVerifications': 1 } });

  it('should admit a charger with a generated password at once, while a chosen password is refused with 503', async () => {
    // Arrange: one scrypt check running (held), one waiting: the gate is full
    const [chosen, generated] = [aChargerId('chosen'), aChargerId('gen')];
    const res = await t.api('POST', '/api/v1/chargers/bulk', [{ id: chosen, password: 'operator-chosen-1' }, { id: generated }]);
    const held = spy.hold();
    const before = spy.verifications;
    const first = handshakeStatus(t, chosen, { password: 'wrong-password-1' });
    await eventually(async () => spy.verifications === before + 1, 'the first scrypt check to start');
    const second = handshakeStatus(t, chosen, { password: 'wrong-password-2' });
    await eventually(async () => t.app.services.chargerAuth.load.queued === 1, 'the second check to wait');
    // Act
    const fast = await handshakeStatus(t, generated, { password: res.body.results[1].password });
    const slow = await handshakeStatus(t, chosen, { password: 'operator-chosen-1' });
    held.release();
    // Assert
    expect([fast.status, slow.status]).to.deep.equal([101, 503]);
    expect([(await first).status, (await second).status]).to.deep.equal([401, 401]);
  });
});
