// The embedded database's upkeep job (issue 8): registered on the embedded database only (a PostgreSQL server has
// its own autovacuum), runnable by hand like every job, reporting what it vacuumed and analyzed.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';

describe('e2e jobs: embedded-upkeep', () => {
  const t = useTestApp();

  it('should vacuum and analyze the embedded database when run, and not exist on a PostgreSQL server', async () => {
    // Arrange: a fresh database: its tables were written by the migrations and never vacuumed
    await t.db('events').insert(Array.from({ length: 1500 }, (_v, i) => ({ type: 'charger.connected', charge_point_id: `CP${i}`, data: {}, occurred_at: new Date() })));
    // Act
    const run = await t.api('POST', '/api/v1/jobs/embedded-upkeep/run');
    // Assert
    if (process.env.DATABASE_URL) {
      expect(run.status).to.equal(404);
      return;
    }
    expect(run.status).to.equal(200);
    expect(run.body.run).to.include({ status: 'succeeded', job: 'embedded-upkeep' });
    expect(run.body.run.counts.vacuumed).to.be.at.least(1);
    expect(run.body.run.counts.analyzed).to.be.at.least(1);
    expect(run.body.run.counts.checkpoints).to.be.oneOf([0, 1]);
    const { rows } = await t.db.raw("select reltuples from pg_class where oid = 'public.events'::regclass");
    expect(Number(rows[0].reltuples)).to.be.at.least(1500);
  });
});
