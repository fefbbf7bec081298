// OCPP security profiles 1/2 (HTTP Basic auth) under attack: a failed login costs a bounded amount of
// work, never blocks the event loop, cannot tell an unknown charger id from a wrong password, and
// repeated failures are refused at once (429) for a growing period.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { basicAuth, connectCharger, handshakeStatus } from '../../helpers/charger.ts';
import { aPasswordSpy } from '../../helpers/password-spy.ts';
import { eventually } from '../../helpers/wait.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { aChargerId, aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e OCPP handshake authentication: no charger id enumeration', () => {
  const spy = aPasswordSpy();
  const t = useTestApp({ passwords: spy.hasher });

  it('should answer an unknown id and a wrong password alike (status, body, headers) after one password check each', async () => {
    // Arrange
    const known = await aRegisteredCharger(t.app.services);
    const unknown = aChargerId('unknown');
    const before = spy.verifications;

    // Act
    const wrong = await handshakeStatus(t, known, { password: 'not-the-password' });
    const afterWrong = spy.verifications;
    const missing = await handshakeStatus(t, unknown, { password: 'not-the-password' });

    // Assert
    expect(wrong).to.deep.equal(missing);
    expect([wrong.status, wrong.body, wrong.headers['www-authenticate']]).to.deep.equal([401, 'invalid charge point identity or password', 'Basic realm="ocpp"']);
    expect([afterWrong - before, spy.verifications - afterWrong]).to.deep.equal([1, 1]);
  });

  it('should answer an imported charger (generated secret) with a wrong password like an unknown id, after one password check each', async () => {
    // Arrange: a generated password is stored as sha256 (checked without the KDF); an unknown id costs a KDF check
    const imported = aChargerId('imported');
    const res = await t.api('POST', '/api/v1/chargers/bulk', [{ id: imported }]);
    expect(res.body.results[0].password).to.be.a('string');
    const before = spy.verifications;

    // Act
    const wrong = await handshakeStatus(t, imported, { password: 'not-the-password' });
    const afterWrong = spy.verifications;
    const missing = await handshakeStatus(t, aChargerId('unknown'), { password: 'not-the-password' });
    const afterMissing = spy.verifications;
    const right = await handshakeStatus(t, imported, { password: res.body.results[0].password });

    // Assert: same answer, same work (the right generated secret still costs no KDF check)
    expect(wrong).to.deep.equal(missing);
    expect(wrong.status).to.equal(401);
    expect([afterWrong - before, afterMissing - afterWrong, spy.verifications - afterMissing]).to.deep.equal([1, 1, 0]);
    expect(right.status).to.equal(101);
  });

  it('should answer an unknown and a known id without credentials alike, without any password check', async () => {
    const known = await aRegisteredCharger(t.app.services);
    const before = spy.verifications;

    const knownRes = await handshakeStatus(t, known);
    const unknownRes = await handshakeStatus(t, aChargerId('unknown'));

    expect(knownRes).to.deep.equal(unknownRes);
    expect(knownRes.status).to.equal(401);
    expect(spy.verifications).to.equal(before);
  });
});

describe('e2e OCPP handshake authentication: bounded password checks', () => {
  const spy = aPasswordSpy();
  const t = useTestApp({ passwords: spy.hasher, overrides: { 'ocpp.auth.maxConcurrentVerifications': 1, 'ocpp.auth.maxQueuedVerifications': 1, 'ocpp.auth.busyRetryAfterSec': 7 } });

  it('should refuse a handshake at once with 503 and Retry-After, without a password check, while every slot and queue place is taken; a connected charger is answered meanwhile', async () => {
    // Arrange: a working charger, and one handshake checking its password (held) with one waiting behind it
    const working = await aRegisteredCharger(t.app.services);
    const client = await connectCharger(t, working, { password: CHARGER_PASSWORD });
    const target = await aRegisteredCharger(t.app.services);
    const held = spy.hold();
    const before = spy.verifications;
    const first = handshakeStatus(t, target, { password: 'wrong-password-1' });
    await eventually(async () => spy.verifications === before + 1, 'the first password check to start');
    const second = handshakeStatus(t, target, { password: 'wrong-password-2' });
    await eventually(async () => t.app.services.chargerAuth.load.queued === 1, 'the second handshake to wait for a slot');

    // Act
    const third = await handshakeStatus(t, target, { password: CHARGER_PASSWORD });
    const heartbeat = (await client.call('Heartbeat', {})) as { currentTime: string };
    held.release();

    // Assert
    expect([third.status, third.headers['retry-after']]).to.deep.equal([503, '7']);
    expect(heartbeat.currentTime).to.be.a('string');
    expect([(await first).status, (await second).status]).to.deep.equal([401, 401]);
    expect(spy.verifications).to.equal(before + 2);
    await client.close();
  });
});

describe('e2e OCPP handshake authentication: back-off after failed logins', () => {
  const spy = aPasswordSpy();
  const clock = fixedClock(new Date('2026-03-01T10:00:00Z'));
  const backoff = { failuresPerId: 3, failuresPerAddress: 100, windowSec: 60, baseSec: 30, maxSec: 300 };
  const t = useTestApp({ passwords: spy.hasher, clock, overrides: Object.fromEntries(Object.entries(backoff).map(([k, v]) => [`ocpp.auth.backoff.${k}`, v])) });

  const failTimes = async (id: string, n: number) => {
    for (let i = 0; i < n; i += 1) expect((await handshakeStatus(t, id, { password: `wrong-${i}-password` })).status).to.equal(401);
  };

  it('should refuse even the right password with 429 and Retry-After, without a password check, after 3 failures; other chargers are unaffected; the right password works once the block ends', async () => {
    // Arrange
    const id = await aRegisteredCharger(t.app.services);
    const other = await aRegisteredCharger(t.app.services);
    await failTimes(id, 3);
    const before = spy.verifications;

    // Act
    const blocked = await handshakeStatus(t, id, { password: CHARGER_PASSWORD });
    const checksWhileBlocked = spy.verifications - before;
    const otherRes = await handshakeStatus(t, other, { password: CHARGER_PASSWORD });
    clock.advance(30_000);
    const afterBlock = await handshakeStatus(t, id, { password: CHARGER_PASSWORD });

    // Assert
    expect([blocked.status, blocked.headers['retry-after'], checksWhileBlocked]).to.deep.equal([429, '30', 0]);
    expect([otherRes.status, afterBlock.status]).to.deep.equal([101, 101]);
  });

  it('should block twice as long each time the failures go on (capped), and count an unknown id like a known one', async () => {
    const id = aChargerId('unknown');
    await failTimes(id, 3);
    clock.advance(30_000);

    await failTimes(id, 3);
    const second = await handshakeStatus(t, id, { password: 'again' });
    clock.advance(60_000);
    await failTimes(id, 3);
    const third = await handshakeStatus(t, id, { password: 'again' });
    clock.advance(120_000);
    await failTimes(id, 3);
    clock.advance(240_000);
    await failTimes(id, 3);
    const capped = await handshakeStatus(t, id, { password: 'again' });

    expect([second.status, second.headers['retry-after']]).to.deep.equal([429, '60']);
    expect([third.status, third.headers['retry-after']]).to.deep.equal([429, '120']);
    expect([capped.status, capped.headers['retry-after']]).to.deep.equal([429, '300']);
  });

  it('should start counting again after a successful login', async () => {
    const id = await aRegisteredCharger(t.app.services);
    await failTimes(id, 2);
    expect((await handshakeStatus(t, id, { password: CHARGER_PASSWORD })).status).to.equal(101);

    await failTimes(id, 2);

    expect((await handshakeStatus(t, id, { password: CHARGER_PASSWORD })).status).to.equal(101);
  });

  it('should count failures only within the window', async () => {
    const id = await aRegisteredCharger(t.app.services);
    await failTimes(id, 2);
    clock.advance(60_000);

    await failTimes(id, 2);

    expect((await handshakeStatus(t, id, { password: CHARGER_PASSWORD })).status).to.equal(101);
  });
});

describe('e2e OCPP handshake authentication: back-off per remote address', () => {
  const clock = fixedClock(new Date('2026-03-01T10:00:00Z'));
  const t = useTestApp({ clock, overrides: { 'ocpp.auth.backoff.failuresPerId': 100, 'ocpp.auth.backoff.failuresPerAddress': 4, 'ocpp.auth.backoff.baseSec': 45 } });

  it('should refuse every charger id from an address with 429 after its failures across ids, until the block ends', async () => {
    // Arrange: four guesses at four different ids, all from 127.0.0.1
    const id = await aRegisteredCharger(t.app.services);
    for (let i = 0; i < 4; i += 1) expect((await handshakeStatus(t, aChargerId('guess'), { password: 'guess-password' })).status).to.equal(401);

    // Act
    const blocked = await handshakeStatus(t, id, { authorization: basicAuth(id, CHARGER_PASSWORD) });
    clock.advance(45_000);
    const later = await handshakeStatus(t, id, { password: CHARGER_PASSWORD });

    // Assert
    expect([blocked.status, blocked.headers['retry-after'], later.status]).to.deep.equal([429, '45', 101]);
  });
});
