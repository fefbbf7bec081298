// One owner per embedded database (issue 7): two PGlite engines on the same files each see only part of
// the other's writes and may corrupt the data directory. Whoever opens DATA_DIR first holds
// `DATA_DIR/cpms.lock`; a second would-be owner is refused with a message naming the holder.
//
// The lock file appears whole or not at all: its content is written to a private file first and then
// hard-linked to the lock's name (link fails with EEXIST when the name exists, like open with O_EXCL).
// A lock whose process is gone (kill -9, power loss) is stale and taken over. Only the contender that
// holds the claim `cpms.lock.takeover-<nonce of the stale lock>` may delete that stale lock, so of several
// contenders exactly one removes it (and exactly one then wins the link); a claim left by a contender
// that died meanwhile is itself stale and taken over the same way, one level down.
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AppError } from '../shared/errors.ts';

/** What a lock file holds: who owns the directory, since when, and a nonce naming this holding. */
export interface LockHolder {
  pid: number;
  command: string;
  startedAt: string;
  nonce: string;
}

/** The embedded database is owned by another live process (or already by this one). */
export class DataDirInUse extends AppError {
  constructor(readonly dataDir: string, readonly holder: LockHolder, readonly lockFile: string) {
    const who = holder.pid === process.pid ? 'this process' : `process ${holder.pid}`;
    super(
      `the embedded database in ${dataDir} is in use by ${who} (\`${holder.command}\`, since ${holder.startedAt}); ` +
        `only one process may open it at a time (if process ${holder.pid} is not cpms, delete ${lockFile})`,
      'DATA_DIR_IN_USE',
    );
  }
}

export interface OwnerLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Deletes the lock file if it is still this holding's; idempotent. */
  release(): void;
}

const LOCK_NAME = 'cpms.lock';
const MAX_ATTEMPTS = 200;
const RETRY_MS = 5;
const MAX_CLAIM_DEPTH = 4;

/** Nonces of the locks this process holds: a lock naming our own pid is ours only if listed here. */
const heldHere = new Map<string, () => void>();
let exitHookInstalled = false;

/** Path of the owner lock of `dataDir`. */
export const ownerLockFile = (dataDir: string): string => join(dataDir, LOCK_NAME);

/** Takes the owner lock of `dataDir` (an existing directory) for `command`; throws DataDirInUse if held. */
export function acquireOwnerLock(dataDir: string, command: string): OwnerLock {
  const file = ownerLockFile(dataDir);
  const holder: LockHolder = { pid: process.pid, command, startedAt: new Date().toISOString(), nonce: randomBytes(12).toString('hex') };
  const refused = takeLock(file, holder, 0);
  if (refused) throw new DataDirInUse(dataDir, refused, file);
  const release = (): void => {
    if (!heldHere.delete(holder.nonce)) return;
    if (readHolder(file)?.nonce === holder.nonce) unlinkQuietly(file);
  };
  heldHere.set(holder.nonce, release);
  installExitHook();
  return { file, holder, release };
}

/** The current holder of `dataDir`'s lock if that process is alive; undefined when free or stale. */
export function liveOwner(dataDir: string): LockHolder | undefined {
  const holder = readHolder(ownerLockFile(dataDir));
  return holder && isAlive(holder) ? holder : undefined;
}

/** Creates `file` for `holder`; returns the live holder that prevents it, or undefined once created. */
function takeLock(file: string, holder: LockHolder, depth: number): LockHolder | undefined {
  if (depth > MAX_CLAIM_DEPTH) throw new Error(`${file}: too many abandoned takeover claims; delete ${file}* by hand`);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (createWhole(file, holder)) return undefined;
    const current = readHolder(file);
    if (!current) continue; // released meanwhile (or being replaced): try again
    if (isAlive(current)) return current;
    if (!removeStale(file, current, holder, depth)) pause(RETRY_MS); // another live contender is taking it over
  }
  throw new Error(`${file}: could not take the lock after ${MAX_ATTEMPTS} attempts`);
}

/** Deletes the stale lock `stale` under its takeover claim; false when another live process holds the claim. */
function removeStale(file: string, stale: LockHolder, holder: LockHolder, depth: number): boolean {
  const claim = `${file}.takeover-${stale.nonce}`;
  if (takeLock(claim, holder, depth + 1)) return false;
  try {
    // Under the claim nobody else deletes a lock with this nonce, and no new lock ever gets it.
    if (readHolder(file)?.nonce === stale.nonce) unlinkQuietly(file);
  } finally {
    unlinkQuietly(claim);
  }
  return true;
}

/** Creates `file` with the whole content of `holder` at once; false when it exists. */
function createWhole(file: string, holder: LockHolder): boolean {
  const tmp = `${file}.${holder.nonce}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(holder), { flag: 'wx', mode: 0o600 });
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkQuietly(tmp);
  }
}

function readHolder(file: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (Number.isInteger(h.pid) && typeof h.nonce === 'string') return h;
  } catch {
    // not JSON: not written by cpms (locks are created whole), reported below
  }
  throw new Error(`${file} is not a cpms lock file; delete it if no cpms process uses this directory`);
}

/**
 * A holder is alive while its process exists. Our own pid is ours only for a lock this process holds: in a
 * container the restarted server often gets the pid its killed predecessor had.
 */
function isAlive(h: LockHolder): boolean {
  if (h.pid === process.pid) return heldHere.has(h.nonce);
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, but another user's
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Blocks this thread for `ms` (the lock is taken synchronously while the database opens). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A normal exit (also process.exit and an uncaught exception) releases what this process holds. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const release of [...heldHere.values()]) release();
  });
}
