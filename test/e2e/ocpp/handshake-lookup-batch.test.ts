// Issue 8 (reconnect storm): many handshakes at once share their charger lookups (auth-lookup.ts); each
// must still be decided on its own charger: the right password opens a socket, a wrong one and an unknown
// id get 401, whatever else was looked up in the same query.
import { expect } from 'chai';
import type { BinaryLike } from 'node:crypto';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { handshakeStatus } from '../../helpers/charger.ts';
import { aChargerId, aRegisteredCharger } from '../../fixtures/chargers.ts';
import type { PasswordHasher } from '../../../src/shared/password.ts';

/** A hasher without a KDF (the KDF's bound would refuse a burst of handshakes with 503, not under test here). */
const plainPasswords: PasswordHasher = {
  hash: async (password: BinaryLike) => `plain$${String(password)}`,
  verify: async (password: BinaryLike, stored: string) => stored === `plain$${String(password)}`,
};

describe('e2e concurrent handshakes with batched charger lookups', () => {
  let testDb: TestDb;
  let t: TestApp;
  before(async () => {
    testDb = await createTestDb();
    t = await startTestApp(testDb, { passwords: plainPasswords });
  });
  after(async () => {
    await t.close();
    await testDb.destroy();
  });

  it('OCPP-J 1.6 security profile 1: should open the socket of each charger with its own password and refuse wrong passwords and unknown ids with 401', async () => {
    // Arrange
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await aRegisteredCharger(t.app.services, { password: `password-${i}-ok` }));
    const attempts = [
      ...ids.map((id, i) => ({ id, password: `password-${i}-ok`, expected: 101 })),
      ...ids.slice(0, 4).map((id, i) => ({ id, password: `password-${i + 1}-ok`, expected: 401 })), // another charger's password
      ...[aChargerId('unknown'), aChargerId('unknown')].map((id) => ({ id, password: 'password-0-ok', expected: 401 })),
    ];
    const batchesBefore = t.app.services.chargerAuth.lookups.stats.batches;

    // Act
    const statuses = await Promise.all(attempts.map((a) => handshakeStatus(t, a.id, { password: a.password })));

    // Assert
    expect(statuses.map((s) => s.status)).to.deep.equal(attempts.map((a) => a.expected));
    expect(t.app.services.chargerAuth.lookups.stats.items).to.be.at.least(attempts.length);
    expect(t.app.services.chargerAuth.lookups.stats.batches - batchesBefore).to.be.at.least(1);
  });
});
