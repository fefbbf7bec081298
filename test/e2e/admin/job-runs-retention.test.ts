// Job runs are kept jobs.runsRetentionDays (30): the job-runs-retention job deletes older records of the
// registered jobs, by the (job, started_at) index.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';

describe('e2e jobs: job-runs-retention', () => {
  const t = useTestApp();

  it('should delete the runs that started more than jobs.runsRetentionDays ago and keep the newer ones', async () => {
    // Arrange: runs of a registered job 31 and 29 days old
    const day = 86_400_000;
    const run = (startedAt: Date) => ({ job: 'events-retention', node: 'n1', trigger: 'cron', status: 'succeeded', started_at: startedAt, finished_at: startedAt, counts: JSON.stringify({ deleted: 0 }) });
    const [old, recent] = await t.db('job_runs').insert([run(new Date(Date.now() - 31 * day)), run(new Date(Date.now() - 29 * day))]).returning('id');
    // Act
    const res = await t.api('POST', '/api/v1/jobs/job-runs-retention/run');
    // Assert
    expect(res.status).to.equal(200);
    expect(res.body.run).to.include({ status: 'succeeded', job: 'job-runs-retention' });
    expect(res.body.run.counts).to.deep.equal({ deleted: 1 });
    const left = (await t.db('job_runs').whereIn('id', [old.id, recent.id]).pluck('id')).map(String);
    expect(left).to.deep.equal([String(recent.id)]);
  });
});
