// Liveness must not wait behind database work (issue 7: during a reconnect burst on the embedded
// database /healthz took seconds and timed out). PGlite runs each query synchronously on the main thread;
// a backlog of queries chained through promise microtasks would never give the event loop a turn for I/O.
// Asserted by ordering, never by time: the answer must arrive while the burst is still running.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';

describe('integration db: liveness under a burst of database work', () => {
  const t = useTestApp();

  it('should answer /healthz while a burst of queued database work is still running', async () => {
    // Arrange: a burst like a reconnect storm: many small transactions queued at once on the app's db
    const total = 1_500;
    let completed = 0;
    const burst = Promise.all(
      Array.from({ length: total }, (_, i) =>
        t.db.transaction(async (trx) => {
          await trx.raw('select ?::int as i', [i]);
          await trx.raw('select count(*) from charge_points');
        }).then(() => void completed++),
      ),
    );

    // Act
    const res = await fetch(`${t.httpUrl}/healthz`);
    const completedWhenAnswered = completed;
    const body = await res.json();
    await burst;

    // Assert
    expect([res.status, body]).to.deep.equal([200, { status: 'ok' }]);
    expect(completedWhenAnswered, 'transactions completed when /healthz answered').to.be.lessThan(total);
    expect(completed).to.equal(total);
  });

  it('should answer /readyz (which does use the database) once the database answers', async () => {
    const res = await fetch(`${t.httpUrl}/readyz`);

    expect([res.status, await res.json()]).to.deep.equal([200, { status: 'ready' }]);
  });
});
