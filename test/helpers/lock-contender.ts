// A separate process contending for a data directory's owner lock (run with `node --import tsx`).
// argv: <dataDir> <command label>. Waits for a `go` line on stdin, tries the lock once, prints one JSON
// line ({ won } and the holder that refused it), then holds what it won until stdin ends.
import { createInterface } from 'node:readline';
import { acquireOwnerLock, DataDirInUse } from '../../src/db/owner-lock.ts';

const [dataDir, command] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  try {
    acquireOwnerLock(dataDir!, command!);
    process.stdout.write(`${JSON.stringify({ won: true, pid: process.pid })}\n`);
  } catch (err) {
    if (!(err instanceof DataDirInUse)) throw err;
    process.stdout.write(`${JSON.stringify({ won: false, pid: process.pid, holder: err.holder, message: err.message })}\n`);
  }
});
lines.once('close', () => process.exit(0)); // the exit hook releases a lock won
