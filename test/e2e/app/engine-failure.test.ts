// The embedded engine's thread dying under `cpms serve` (issue 8): no statement can run any more, so the
// server logs why and exits with an error for its supervisor to start it again, instead of answering every
// charger and operator with an error for ever.
import { Writable } from 'node:stream';
import { expect } from 'chai';
import winston from 'winston';
import { serve } from '../../../src/main.ts';
import { testConfig } from '../../helpers/app.ts';
import { eventually } from '../../helpers/wait.ts';

describe('e2e serve: the embedded engine stops working', function () {
  this.timeout(60_000);

  it('should log that the embedded database stopped working and exit with code 1', async function () {
    if (process.env.DATABASE_URL) this.skip(); // the embedded database only
    // Arrange: a server on an embedded database, its exit and log recorded
    const entries: Array<{ level: string; message: string; err?: string }> = [];
    const stream = new Writable({ objectMode: true, write: (info, _encoding, done) => (entries.push(info), done()) });
    const logger = winston.createLogger({ level: 'error', transports: [new winston.transports.Stream({ stream })] });
    const exits: number[] = [];
    const serving = await serve(testConfig({ databaseUrl: '' }), logger, { exit: (code) => exits.push(code) });
    try {
      // Act: the engine's thread ends (as a crash of it would)
      const { pglite } = serving.db.client.config.connection as { pglite: { worker: { terminate(): Promise<number> } } };
      await pglite.worker.terminate();

      // Assert
      await eventually(async () => exits.length > 0, 'the server to exit');
      expect(exits).to.deep.equal([1]);
      expect(entries.map((e) => [e.level, e.message, e.err])).to.deep.equal([['error', 'the embedded database stopped working; cpms exits so that its supervisor starts it again', "the embedded database's thread exited (code 1)"]]);
    } finally {
      await serving.stop().catch(() => undefined);
    }
  });
});
