import type { Db } from '../db/knex.ts';

export interface JobRun {
  id: string;
  job: string;
  node: string;
  trigger: 'cron' | 'manual';
  status: 'running' | 'succeeded' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  counts: Record<string, number> | null;
  error: string | null;
}

const toRun = (r: Record<string, any>): JobRun => ({ id: String(r.id), job: r.job, node: r.node, trigger: r.trigger, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at, counts: r.counts, error: r.error });

export async function insertJobRun(db: Db, r: { job: string; node: string; trigger: JobRun['trigger']; startedAt: Date }): Promise<string> {
  const [row] = await db('job_runs').insert({ job: r.job, node: r.node, trigger: r.trigger, status: 'running', started_at: r.startedAt }).returning('id');
  return String(row.id);
}

export async function finishJobRun(db: Db, id: string, f: { status: 'succeeded' | 'failed'; finishedAt: Date; counts?: Record<string, number>; error?: string }): Promise<JobRun> {
  const [row] = await db('job_runs')
    .where({ id })
    .update({ status: f.status, finished_at: f.finishedAt, counts: f.counts ? JSON.stringify(f.counts) : null, error: f.error ?? null })
    .returning('*');
  return toRun(row);
}

export async function listJobRuns(db: Db, opts: { job?: string; limit: number }): Promise<JobRun[]> {
  const q = db('job_runs').orderBy('id', 'desc').limit(opts.limit);
  if (opts.job) q.where({ job: opts.job });
  return (await q).map(toRun);
}

/**
 * Deletes the runs of `jobs` that started before `before`; returns how many. One statement per job, each a range of
 * the (job, started_at) index, so the cost is the rows deleted, not the table.
 */
export async function deleteJobRunsBefore(db: Db, jobs: readonly string[], before: Date): Promise<number> {
  let deleted = 0;
  for (const job of jobs) deleted += await db('job_runs').where({ job }).where('started_at', '<', before).delete();
  return deleted;
}
