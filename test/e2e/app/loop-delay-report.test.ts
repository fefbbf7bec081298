// Issue 8 (reconnect storm): the server reports its longest event-loop stall on demand (SIGUSR2 to `cpms
// serve` calls app.reportLoopDelay) since the previous report, so a benchmark measures its phases apart.
import { Writable } from 'node:stream';
import { expect } from 'chai';
import winston from 'winston';
import { startTestApp } from '../../helpers/app.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

type DelayEntry = { message: string; maxMs: number; isFinal: boolean };

function aRecordingLogger() {
  const entries: DelayEntry[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: DelayEntry, _encoding, done) {
      if (info.message === 'event loop delay') entries.push(info);
      done();
    },
  });
  return { logger: winston.createLogger({ level: 'info', transports: [new winston.transports.Stream({ stream })] }), entries };
}

/** Blocks the event loop for `ms` (a synchronous stretch, as a stall). */
function blockLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

const nextTurns = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('e2e event-loop delay reports', () => {
  let testDb: TestDb;
  before(async () => {
    testDb = await createTestDb();
  });
  after(async () => {
    await testDb.destroy();
  });

  it('should report the stall since the previous report and start afresh, and report once more at the stop', async () => {
    // Arrange
    const { logger, entries } = aRecordingLogger();
    const t = await startTestApp(testDb, { logger });
    await nextTurns();
    blockLoop(400);
    await nextTurns();

    // Act
    t.app.reportLoopDelay();
    await nextTurns();
    t.app.reportLoopDelay();
    await t.close();

    // Assert
    expect(entries.map((e) => e.isFinal)).to.deep.equal([false, false, true]);
    expect(entries[0]!.maxMs).to.be.at.least(400);
    expect(entries[1]!.maxMs).to.be.below(entries[0]!.maxMs);
  });
});
