// The embedded engine sized for a small deployment (issue 8): a new DATA_DIR's cluster is created by a child
// process (its initdb engine's memory leaves with it), under the owner lock the opener keeps, and the engine
// runs with a small shared_buffers.
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../../src/db/knex.ts';
import { DataDirInUse } from '../../../src/db/owner-lock.ts';
import { EMBEDDED_SETTINGS } from '../../../src/db/pglite-init.ts';

describe('integration db openDb (embedded)', function () {
  this.timeout(120_000); // creating a cluster takes seconds on a loaded machine
  let dataDir: string;
  before(() => (dataDir = mkdtempSync(join(tmpdir(), 'cpms-open-db-'))));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('should create the cluster of a new data directory, open it with the embedded settings and hold its owner lock', async () => {
    // Act
    const db = await openDb({ databaseUrl: '', dataDir, owner: 'open-db test' });
    try {
      // Assert
      expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).to.equal(true);
      const { rows } = await db.raw('show shared_buffers');
      expect(rows[0].shared_buffers).to.equal(EMBEDDED_SETTINGS.shared_buffers);
      let refused: unknown;
      await openDb({ databaseUrl: '', dataDir, owner: 'second' }).catch((err) => (refused = err));
      expect(refused).to.be.instanceOf(DataDirInUse);
      expect((await db.raw('select 1 as one')).rows).to.deep.equal([{ one: 1 }]); // still the first owner's, unharmed
    } finally {
      await db.destroy();
    }
  });

  it('should reopen the cluster it created, keeping its data', async () => {
    // Arrange
    const first = await openDb({ databaseUrl: '', dataDir });
    await first.raw('create table if not exists kept (v int)');
    await first.raw('insert into kept values (42)');
    await first.destroy();
    // Act
    const again = await openDb({ databaseUrl: '', dataDir });
    try {
      // Assert
      expect((await again.raw('select v from kept')).rows).to.deep.equal([{ v: 42 }]);
    } finally {
      await again.destroy();
    }
  });
});
