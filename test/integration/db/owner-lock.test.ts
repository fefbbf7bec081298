// One owner per embedded database (issue 7): the owner lock on DATA_DIR, with real processes contending.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { acquireOwnerLock, DataDirInUse, liveOwner, ownerLockFile, type LockHolder } from '../../../src/db/owner-lock.ts';
import { createDb } from '../../../src/db/knex.ts';

const CONTENDER = new URL('../../helpers/lock-contender.ts', import.meta.url).pathname;

interface Outcome {
  won: boolean;
  pid: number;
  holder?: LockHolder;
  message?: string;
}

/** A contender process, ready to try the lock when `go()` is called. */
function contender(dir: string, label: string): { child: ChildProcess; go(): Promise<Outcome>; stop(): Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, dir, label], { stdio: ['pipe', 'pipe', 'inherit'] });
  const outcome = new Promise<Outcome>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`contender exited (${code}) before answering`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Outcome));
  });
  outcome.catch(() => undefined); // observed by go()
  return {
    child,
    go() {
      child.stdin!.write('go\n');
      return outcome;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin!.end();
      await exited;
    },
  };
}

/** The pid of a process that has exited (a holder that was killed). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

function plantLock(file: string, holder: Partial<LockHolder>): void {
  writeFileSync(file, JSON.stringify({ command: 'cpms serve', startedAt: '2026-01-01T00:00:00.000Z', nonce: 'planted-nonce', ...holder }));
}

describe('integration db: owner lock of the embedded database', function () {
  this.timeout(60_000); // child processes load TypeScript
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cpms-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should write pid, command and start time into DATA_DIR/cpms.lock and delete it on release', () => {
    const lock = acquireOwnerLock(dir, 'cpms serve');
    const content = JSON.parse(readFileSync(ownerLockFile(dir), 'utf8'));
    lock.release();

    expect([content.pid, content.command, typeof content.startedAt]).to.deep.equal([process.pid, 'cpms serve', 'string']);
    expect(existsSync(ownerLockFile(dir))).to.equal(false);
  });

  it('should refuse a second owner in the same process, naming the holder, until the first releases', () => {
    const first = acquireOwnerLock(dir, 'cpms serve');
    const refused = (() => {
      try {
        acquireOwnerLock(dir, 'cpms token add');
      } catch (err) {
        return err;
      }
    })();
    first.release();
    const again = acquireOwnerLock(dir, 'cpms token add');
    again.release();

    expect(refused).to.be.instanceOf(DataDirInUse);
    expect((refused as Error).message).to.equal(`the embedded database in ${dir} is in use by this process (\`cpms serve\`, since ${first.holder.startedAt}); only one process may open it at a time (if process ${process.pid} is not cpms, delete ${ownerLockFile(dir)})`);
  });

  it('should refuse while another live process holds it, and be free once that process has exited', async () => {
    const holder = contender(dir, 'cpms serve');
    expect((await holder.go()).won).to.equal(true);

    const refused = (() => {
      try {
        acquireOwnerLock(dir, 'cpms charger add');
      } catch (err) {
        return err;
      }
    })();
    expect(liveOwner(dir)?.pid).to.equal(holder.child.pid);
    await holder.stop();

    expect(refused).to.be.instanceOf(DataDirInUse);
    expect((refused as Error).message).to.match(new RegExp(`is in use by process ${holder.child.pid} \\(\`cpms serve\`, since `));
    expect(liveOwner(dir)).to.equal(undefined);
    acquireOwnerLock(dir, 'cpms charger add').release();
  });

  it('should take over a stale lock whose process is gone (kill -9), and one naming its own pid but not held here (container restart)', async () => {
    plantLock(ownerLockFile(dir), { pid: await deadPid() });
    const taken = acquireOwnerLock(dir, 'cpms serve');
    const afterDead = JSON.parse(readFileSync(ownerLockFile(dir), 'utf8'));
    taken.release();
    plantLock(ownerLockFile(dir), { pid: process.pid });
    const takenOwnPid = acquireOwnerLock(dir, 'cpms serve');
    const afterOwnPid = JSON.parse(readFileSync(ownerLockFile(dir), 'utf8'));
    takenOwnPid.release();

    expect(afterDead.nonce).to.equal(taken.holder.nonce);
    expect(afterOwnPid.nonce).to.equal(takenOwnPid.holder.nonce);
    expect(readdirSync(dir)).to.deep.equal([]); // no claim or temporary file left behind
  });

  it('should take over a stale lock even when a contender died holding its takeover claim', async () => {
    plantLock(ownerLockFile(dir), { pid: await deadPid(), nonce: 'stale-1' });
    plantLock(`${ownerLockFile(dir)}.takeover-stale-1`, { pid: await deadPid(), nonce: 'dead-claimant' });

    const lock = acquireOwnerLock(dir, 'cpms serve');
    lock.release();

    expect(readdirSync(dir)).to.deep.equal([]);
  });

  for (const [name, stale] of [['a stale lock', true], ['a free directory', false]] as const) {
    it(`should let exactly one of several processes contending for ${name} win; the others are refused naming the winner`, async () => {
      // Arrange
      if (stale) plantLock(ownerLockFile(dir), { pid: await deadPid() });
      const contenders = Array.from({ length: 6 }, (_, i) => contender(dir, `cpms contender-${i}`));
      try {
        // Act: all start at once (each answers only after trying)
        const outcomes = await Promise.all(contenders.map((c) => c.go()));

        // Assert
        const winners = outcomes.filter((o) => o.won);
        expect(winners.length, JSON.stringify(outcomes)).to.equal(1);
        for (const loser of outcomes.filter((o) => !o.won)) expect(loser.holder!.pid).to.equal(winners[0]!.pid);
        expect(JSON.parse(readFileSync(ownerLockFile(dir), 'utf8')).pid).to.equal(winners[0]!.pid);
      } finally {
        await Promise.all(contenders.map((c) => c.stop()));
      }
      expect(readdirSync(dir)).to.deep.equal([]); // the winner released it on exit
    });
  }

  it('should refuse createDb on a held directory without starting PGlite, and release the lock when the db is destroyed', async () => {
    // Arrange
    const holder = acquireOwnerLock(dir, 'cpms serve');

    // Act
    const refused = (() => {
      try {
        createDb({ databaseUrl: '', dataDir: dir, owner: 'cpms token add' });
      } catch (err) {
        return err;
      }
    })();
    const pgdataWhileRefused = existsSync(join(dir, 'pgdata'));
    holder.release();
    const db = createDb({ databaseUrl: '', dataDir: dir, owner: 'cpms token add' });
    await db.raw('select 1');
    const ownerWhileOpen = liveOwner(dir);
    await db.destroy();

    // Assert
    expect(refused).to.be.instanceOf(DataDirInUse);
    expect(pgdataWhileRefused, 'PGlite must not have been started').to.equal(false);
    expect(ownerWhileOpen?.command).to.equal('cpms token add');
    expect(existsSync(ownerLockFile(dir)), 'destroy releases the lock').to.equal(false);
  });
});
