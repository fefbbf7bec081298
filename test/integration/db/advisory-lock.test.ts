// Session advisory locks (one runner of a job across nodes) are taken on a connection of their own, outside the pool:
// when each of a cron tick's jobs held a pooled connection for its lock, ten jobs took the whole pool and waited
// for it for their own queries until the pool's acquire timeout, and with them every charger of the node.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { createDb } from '../../../src/db/knex.ts';
import { AdvisoryLocks } from '../../../src/db/advisory-lock.ts';

describe('integration db: advisory locks', function () {
  this.timeout(20_000);
  const tdb = useTestDb();
  let small: Knex | undefined;

  beforeEach(function () {
    // PGlite has one session: its locks are taken on the connection the work uses (the scheduler tests cover it).
    if (tdb.kind !== 'pg') this.skip();
    small = createDb({ databaseUrl: tdb.databaseUrl, dataDir: 'memory://', poolMax: 2 });
  });

  afterEach(async () => {
    await small?.destroy();
    small = undefined;
  });

  const connections = async (db: Knex): Promise<number> => Number((await db.raw('select count(*) as n from pg_stat_activity where datname = current_database()')).rows[0].n);

  it('should leave the whole pool to the work of more lock holders than the pool has connections', async () => {
    // Arrange: three jobs at once, a pool of two
    const locks = new AdvisoryLocks(small!);
    // Act
    const results = await Promise.all(['a', 'b', 'c'].map((k) => locks.run(`test-pool-${k}`, async () => (await small!.raw('select pg_sleep(0.05), ? as k', [k])).rows[0].k)));
    // Assert
    expect(results).to.deep.equal(['a', 'b', 'c'].map((value) => ({ acquired: true, value })));
  });

  it('should refuse a lock another holder has, and give it once released', async () => {
    // Arrange
    const a = new AdvisoryLocks(small!);
    const b = new AdvisoryLocks(tdb.db);
    let release!: () => void;
    let held!: () => void;
    const isHeld = new Promise<void>((resolve) => (held = resolve));
    // Act
    const first = a.run('test-shared', () => new Promise<string>((resolve) => { held(); release = () => resolve('a'); }));
    await isHeld;
    const refused = await b.run('test-shared', async () => 'b');
    release();
    const got = await first;
    const after = await b.run('test-shared', async () => 'b');
    // Assert
    expect([refused, got, after]).to.deep.equal([{ acquired: false }, { acquired: true, value: 'a' }, { acquired: true, value: 'b' }]);
  });

  it('should send the statements of locks taken at once one at a time on its connection', async () => {
    // Arrange: count the statements in flight on the lock's own connection (node-postgres deprecates overlapping ones)
    let inFlight = 0;
    let most = 0;
    const client = small!.client as { acquireRawConnection(): Promise<{ query: (config: unknown, callback: (...a: unknown[]) => void) => unknown }> };
    const acquire = client.acquireRawConnection.bind(client);
    client.acquireRawConnection = async () => {
      const conn = await acquire();
      const query = conn.query.bind(conn);
      conn.query = (config: unknown, callback: (...a: unknown[]) => void) => {
        most = Math.max(most, ++inFlight);
        return query(config, (...a: unknown[]) => {
          inFlight--;
          callback(...a);
        });
      };
      return conn;
    };
    const locks = new AdvisoryLocks(small!);
    // Act: ten jobs of one cron tick
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => locks.run(`test-serial-${i}`, async () => i)));
    // Assert
    expect({ acquired: results.filter((r) => r.acquired).length, most }).to.deep.equal({ acquired: 10, most: 1 });
  });

  it('should close its connection once its last lock is released', async () => {
    // Arrange
    const locks = new AdvisoryLocks(small!);
    // Act
    const during = await locks.run('test-close', () => connections(small!));
    const after = await connections(small!);
    // Assert: the lock's own connection was open during the work and is gone after it
    expect(during.acquired && during.value - after).to.equal(1);
  });
});
