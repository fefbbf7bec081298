import cron, { type ScheduledTask } from 'node-cron';
import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import { NotFound } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { AdvisoryLocks } from '../db/advisory-lock.ts';
import { deleteJobRunsBefore, finishJobRun, insertJobRun, type JobRun } from './job-run.repo.ts';

export interface JobDefinition {
  name: string;
  /** node-cron expression (seconds field optional). */
  schedule: string;
  /** Does the work; returns counts recorded with the run. */
  run(): Promise<Record<string, number> | void>;
}

export type JobOutcome = { status: 'skipped'; reason: string } | { status: 'ran'; run: JobRun };

/**
 * Runs registered jobs on their cron schedule. Each run holds the job's PostgreSQL advisory lock, so
 * with several nodes on one database only one runs a job at a time; the others skip that tick.
 */
export class JobScheduler {
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<string>();
  private observer: ((job: string, result: 'succeeded' | 'failed' | 'skipped', seconds: number) => void) | undefined;

  private readonly locks: AdvisoryLocks;

  constructor(private readonly o: { db: Knex; logger: Logger; clock: Clock; nodeId: string }) {
    this.locks = new AdvisoryLocks(o.db);
  }

  /** Told of every run on this node (metrics): its result and duration; `skipped` when another node or tick had it. */
  observe(observer: (job: string, result: 'succeeded' | 'failed' | 'skipped', seconds: number) => void): void {
    this.observer = observer;
  }

  register(job: JobDefinition): void {
    if (this.jobs.has(job.name)) throw new Error(`job ${job.name} registered twice`);
    if (!cron.validate(job.schedule)) throw new Error(`job ${job.name}: invalid cron expression '${job.schedule}'`);
    this.jobs.set(job.name, job);
  }

  names(): string[] {
    return [...this.jobs.keys()];
  }

  /** Deletes the recorded runs of every registered job that started before `before`; returns how many. */
  pruneRuns(before: Date): Promise<number> {
    return deleteJobRunsBefore(this.o.db, this.names(), before);
  }

  start(): void {
    for (const job of this.jobs.values()) {
      const task = cron.schedule(job.schedule, async () => {
        await this.runNow(job.name, 'cron').catch((err: Error) => this.o.logger.error('job tick failed', { job: job.name, err: err.message }));
      }, { name: job.name });
      this.tasks.push(task);
    }
  }

  async stop(): Promise<void> {
    for (const task of this.tasks.splice(0)) await task.stop();
  }

  /** Runs a job now (cron tick, CLI or admin API) unless another node or tick is running it. */
  async runNow(name: string, trigger: 'cron' | 'manual' = 'manual'): Promise<JobOutcome> {
    const job = this.jobs.get(name);
    if (!job) throw new NotFound(`job ${name} not found (jobs: ${this.names().join(', ')})`);
    if (this.running.has(name)) return { status: 'skipped', reason: 'already running on this node' };
    this.running.add(name);
    try {
      const started = performance.now();
      const result = await this.locks.run(`cpms-job:${name}`, () => this.execute(job, trigger));
      this.observer?.(name, result.acquired ? result.value.status as 'succeeded' | 'failed' : 'skipped', (performance.now() - started) / 1000);
      return result.acquired ? { status: 'ran', run: result.value } : { status: 'skipped', reason: 'running on another node' };
    } finally {
      this.running.delete(name);
    }
  }

  private async execute(job: JobDefinition, trigger: 'cron' | 'manual'): Promise<JobRun> {
    const log = this.o.logger.child({ job: job.name });
    const id = await insertJobRun(this.o.db, { job: job.name, node: this.o.nodeId, trigger, startedAt: this.o.clock.now() });
    try {
      const counts = (await job.run()) ?? {};
      const run = await finishJobRun(this.o.db, id, { status: 'succeeded', finishedAt: this.o.clock.now(), counts });
      log.debug('job succeeded', { counts });
      return run;
    } catch (err) {
      log.error('job failed', { err: (err as Error).message, stack: (err as Error).stack });
      return finishJobRun(this.o.db, id, { status: 'failed', finishedAt: this.o.clock.now(), error: (err as Error).message });
    }
  }
}
