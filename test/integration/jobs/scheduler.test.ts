// Job scheduler on a real database: runs are recorded, failures kept, one runner per job across nodes.
import { expect } from 'chai';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { JobScheduler } from '../../../src/jobs/scheduler.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';

describe('integration jobs/scheduler', () => {
  const tdb = useTestDb();
  const logger = createLogger('error');
  logger.silent = true;
  const clock = fixedClock(new Date('2026-04-01T00:00:00Z'));
  const aScheduler = (nodeId = 'node-a') => new JobScheduler({ db: tdb.db, logger, clock, nodeId });
  let n = 0;
  const aJobName = () => `job-${++n}-${Math.random().toString(36).slice(2, 8)}`;

  it('should refuse a duplicate job name and an invalid cron expression at registration', () => {
    const s = aScheduler();
    const name = aJobName();
    s.register({ name, schedule: '*/5 * * * *', run: async () => undefined });

    expect(() => s.register({ name, schedule: '* * * * *', run: async () => undefined })).to.throw(/registered twice/);
    expect(() => s.register({ name: aJobName(), schedule: 'every minute', run: async () => undefined })).to.throw(/invalid cron/);
  });

  it('should record a successful run with its counts', async () => {
    const s = aScheduler();
    const name = aJobName();
    s.register({ name, schedule: '* * * * *', run: async () => ({ done: 3 }) });

    const outcome = await s.runNow(name);

    expect(outcome.status === 'ran' && [outcome.run.status, outcome.run.counts, outcome.run.trigger, outcome.run.node]).to.deep.equal(['succeeded', { done: 3 }, 'manual', 'node-a']);
    const rows = await tdb.db('job_runs').where({ job: name });
    expect(rows.map((r) => r.status)).to.deep.equal(['succeeded']);
  });

  it('should record a failed run with its error and stay usable', async () => {
    const s = aScheduler();
    const name = aJobName();
    let fail = true;
    s.register({ name, schedule: '* * * * *', run: async () => {
      if (fail) throw new Error('partner down');
      return { ok: 1 };
    } });

    const first = await s.runNow(name);
    fail = false;
    const second = await s.runNow(name);

    expect(first.status === 'ran' && [first.run.status, first.run.error]).to.deep.equal(['failed', 'partner down']);
    expect(second.status === 'ran' && second.run.status).to.equal('succeeded');
  });

  it('should answer NotFound for an unknown job', async () => {
    const err = await aScheduler().runNow('no-such-job').catch((e: unknown) => e);

    expect((err as Error).name).to.equal('NotFound');
  });

  it('should skip a run while the same job runs on another node (advisory lock)', async function () {
    // PGlite is one session, and so one node: only a server can show two nodes competing.
    if (tdb.kind !== 'pg') this.skip();
    // Arrange
    const name = aJobName();
    let release!: () => void;
    let started!: () => void;
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const a = aScheduler('node-a');
    const b = aScheduler('node-b');
    a.register({ name, schedule: '* * * * *', run: () => new Promise((resolve) => { started(); release = () => resolve({}); }) });
    b.register({ name, schedule: '* * * * *', run: async () => ({}) });

    // Act
    const running = a.runNow(name);
    await isStarted;
    const skipped = await b.runNow(name);
    release();
    const ran = await running;

    // Assert
    expect(skipped).to.deep.equal({ status: 'skipped', reason: 'running on another node' });
    expect(ran.status).to.equal('ran');
  });

  it('should skip a second run of the same job on this node while the first runs', async () => {
    const name = aJobName();
    let release!: () => void;
    let started!: () => void;
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const s = aScheduler();
    s.register({ name, schedule: '* * * * *', run: () => new Promise((resolve) => { started(); release = () => resolve({}); }) });

    const running = s.runNow(name);
    await isStarted;
    const second = await s.runNow(name);
    release();
    await running;

    expect(second).to.deep.equal({ status: 'skipped', reason: 'already running on this node' });
  });
});
