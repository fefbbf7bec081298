// Issue 8 (reconnect storm): the handshakes' charger lookups are batched, many ids in one query
// (auth-lookup.ts); each handshake must still get its own charger's record, and a failed query must fail
// only the handshakes of its batch.
import { expect } from 'chai';
import { createDb } from '../../../src/db/knex.ts';
import { createAuthLookup } from '../../../src/chargers/auth-lookup.ts';
import { isDatabaseUnavailable } from '../../../src/db/pg-errors.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { aChargerId } from '../../fixtures/chargers.ts';

describe('batched charger lookups of handshakes', () => {
  let t: TestDb;

  before(async () => {
    t = await createTestDb();
  });
  after(async () => {
    await t.destroy();
  });

  /** Chargers stored directly, each with a password hash naming it. */
  async function chargers(n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, () => aChargerId('lookup'));
    await t.db('charge_points').insert(ids.map((id, i) => ({ id, password_hash: `hash-of-${id}`, registration_status: i % 2 ? 'Pending' : 'Accepted' })));
    return ids;
  }

  it('should answer each of many concurrent lookups with its own charger, and unknown ids with nothing, in fewer queries', async () => {
    // Arrange
    const known = await chargers(30);
    const unknown = [aChargerId('nobody'), aChargerId('nobody')];
    const asked = [...known, ...unknown, known[0]!];
    const lookup = createAuthLookup({ db: t.db, windowMs: 5 });

    // Act
    const records = await Promise.all(asked.map((id) => lookup.submit(id)));

    // Assert
    expect(records.map((r) => r?.passwordHash)).to.deep.equal(asked.map((id) => (unknown.includes(id) ? undefined : `hash-of-${id}`)));
    expect(records.slice(0, 30).map((r) => r!.registrationStatus)).to.deep.equal(known.map((_, i) => (i % 2 ? 'Pending' : 'Accepted')));
    expect(lookup.stats.items).to.equal(asked.length);
    expect(lookup.stats.batches).to.be.below(asked.length);
    await lookup.close(); // nothing left waiting
  });

  it('should fail the lookups of a batch whose database is unavailable with that error, and the next batch on a good database not at all', async () => {
    // Arrange: a pool on a port where no database listens
    const down = createDb({ databaseUrl: 'postgres://root@127.0.0.1:1/none', dataDir: 'memory://' });
    const failing = createAuthLookup({ db: down, windowMs: 5 });
    const ids = await chargers(3);

    // Act
    const failed = await Promise.allSettled(ids.map((id) => failing.submit(id)));
    const good = await createAuthLookup({ db: t.db }).submit(ids[0]!);

    // Assert
    expect(failed.map((r) => r.status)).to.deep.equal(['rejected', 'rejected', 'rejected']);
    expect(failed.every((r) => isDatabaseUnavailable((r as PromiseRejectedResult).reason))).to.equal(true);
    expect(failing.stats.batches).to.equal(1); // not retried id by id against a database that is down
    expect(good?.passwordHash).to.equal(`hash-of-${ids[0]}`);
    await down.destroy();
  });
});
