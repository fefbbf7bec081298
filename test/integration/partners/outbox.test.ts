// The OCPI outbox and its push worker on a real database: order per object, retries with backoff,
// leases that survive a crash, several workers never sending a row twice.
import { expect } from 'chai';
import nock from 'nock';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useClock } from '../../../src/db/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { backoffMs, PushWorker } from '../../../src/partners/push.worker.ts';
import { claimDuePushes, enqueuePush, findPush, type PushRequest } from '../../../src/partners/outbox.repo.ts';
import { updatePartner } from '../../../src/partners/partner.repo.ts';
import type { Partner } from '../../../src/partners/partner.types.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aRegisteredPartner } from '../../fixtures/partners.ts';

const OK = { status_code: 1000, timestamp: '2026-01-01T00:00:00Z' };
const logger = createLogger('error');
logger.silent = true; // failed pushes are logged as warnings on purpose here

describe('integration partners/outbox', () => {
  let worker: PushWorker;
  // Registered first: the worker stops before useTestDb's afterEach drops the nock interceptors.
  afterEach(async () => {
    await worker.stop();
  });
  const tdb = useTestDb({ nock: true });
  const clock = fixedClock(new Date());
  let partner: Partner;
  let host: string;

  const aWorker = () => new PushWorker({ db: tdb.db, clock, logger, intervalMs: 3_600_000, batchSize: 20, backoffBaseSec: 5, backoffMaxSec: 60, leaseSec: 120 });
  const push = (o: Partial<PushRequest> = {}): Promise<number> =>
    enqueuePush(tdb.db, { partnerFk: partner.id, module: 'locations', role: 'RECEIVER', method: 'PUT', path: '/NL/CPM/LOC1', body: { id: 'LOC1' }, objectKey: 'location:LOC1', ...o });

  beforeEach(async () => {
    // The repos read the same clock as the worker (one clock: src/db/clock.ts).
    clock.set(new Date(Date.now() + 60_000));
    useClock(tdb.db, clock);
    ({ partner } = await aRegisteredPartner(tdb.db));
    host = `https://${partner.partyId.toLowerCase()}.emsp.test`;
    worker = aWorker();
  });

  it('should deliver in enqueue order per object key, one row of a key per pass', async () => {
    // Arrange
    const seen: string[] = [];
    const record = (label: string) => () => {
      seen.push(label);
      return OK;
    };
    const scope = nock(host)
      .put('/ocpi/2.2.1/locations/NL/CPM/LOC1').reply(200, record('LOC1 put'))
      .patch('/ocpi/2.2.1/locations/NL/CPM/LOC1').reply(200, record('LOC1 patch 1'))
      .patch('/ocpi/2.2.1/locations/NL/CPM/LOC1').reply(200, record('LOC1 patch 2'))
      .put('/ocpi/2.2.1/locations/NL/CPM/LOC2').reply(200, record('LOC2 put'));
    await push();
    await push({ method: 'PATCH', body: { n: 1 } });
    await push({ method: 'PATCH', body: { n: 2 } });
    await push({ path: '/NL/CPM/LOC2', objectKey: 'location:LOC2' });
    // Act
    const passes = [await worker.runOnce(), await worker.runOnce(), await worker.runOnce(), await worker.runOnce()];
    // Assert
    expect(passes.map((p) => p.claimed)).to.deep.equal([2, 1, 1, 0]);
    expect(seen.filter((s) => s.startsWith('LOC1'))).to.deep.equal(['LOC1 put', 'LOC1 patch 1', 'LOC1 patch 2']);
    expect(scope.isDone()).to.equal(true);
  });

  it('should not attempt a row while an older row of the same key is undelivered, and back off exponentially', async () => {
    // Arrange: the partner fails the first push twice (network, then a non-1000 answer)
    const scope = nock(host)
      .put('/ocpi/2.2.1/locations/NL/CPM/LOC1').replyWithError('socket hang up')
      .put('/ocpi/2.2.1/locations/NL/CPM/LOC1').reply(200, { status_code: 3000, status_message: 'busy', timestamp: '2026-01-01T00:00:00Z' })
      .put('/ocpi/2.2.1/locations/NL/CPM/LOC1').reply(200, OK)
      .patch('/ocpi/2.2.1/locations/NL/CPM/LOC1').reply(200, OK);
    const first = await push();
    const second = await push({ method: 'PATCH', body: { n: 1 } });
    // Act + Assert: first attempt fails, retry due 5 s later; the PATCH waits behind it
    expect(await worker.runOnce()).to.deep.include({ claimed: 1, failed: 1 });
    const afterOne = (await findPush(tdb.db, first))!;
    expect(afterOne).to.deep.include({ status: 'PENDING', attempts: 1 });
    expect(afterOne.lastError).to.match(/socket hang up/);
    expect(afterOne.nextAttemptAt.getTime() - clock.now().getTime()).to.equal(5_000);
    expect(await worker.runOnce()).to.deep.include({ claimed: 0 });
    clock.advance(5_000);
    expect(await worker.runOnce()).to.deep.include({ claimed: 1, failed: 1 });
    const afterTwo = (await findPush(tdb.db, first))!;
    expect(afterTwo.lastError).to.match(/status_code 3000 \(busy\)/);
    expect(afterTwo.nextAttemptAt.getTime() - clock.now().getTime()).to.equal(10_000);
    clock.advance(10_000);
    expect(await worker.runOnce()).to.deep.include({ claimed: 1, delivered: 1 });
    expect(await worker.runOnce()).to.deep.include({ claimed: 1, delivered: 1 });
    expect((await findPush(tdb.db, second))!.status).to.equal('DELIVERED');
    expect(scope.isDone()).to.equal(true);
  });

  it('should cap the backoff', () => {
    expect([1, 2, 3, 4, 30].map((n) => backoffMs(n, 5, 60))).to.deep.equal([5_000, 10_000, 20_000, 40_000, 60_000]);
  });

  it('should POST a CDR once, and after a crash mid-delivery re-POST the same CDR id once the lease expires', async () => {
    // Arrange: a node claimed the row and died before recording the outcome
    const posted: unknown[] = [];
    const scope = nock(host).post('/ocpi/2.2.1/cdrs', (body) => posted.push(body) > 0).reply(200, OK);
    const id = await push({ module: 'cdrs', method: 'POST', path: '', body: { id: 'CDR-1' }, objectKey: 'cdr:CDR-1' });
    await claimDuePushes(tdb.db, { now: clock.now(), leaseUntil: new Date(clock.now().getTime() + 120_000), limit: 10 });
    // Act: a restarted worker finds it leased, then due once the lease runs out
    const restarted = aWorker();
    const duringLease = await restarted.runOnce();
    clock.advance(120_000);
    const afterLease = await restarted.runOnce();
    const afterDelivery = await restarted.runOnce();
    // Assert
    expect([duringLease.claimed, afterLease.delivered, afterDelivery.claimed]).to.deep.equal([0, 1, 0]);
    expect(posted).to.deep.equal([{ id: 'CDR-1' }]);
    expect(await findPush(tdb.db, id)).to.deep.include({ status: 'DELIVERED', attempts: 2 });
    expect(scope.isDone()).to.equal(true);
  });

  it('should never let two workers deliver the same row (FOR UPDATE SKIP LOCKED)', async () => {
    const keys = ['A', 'B', 'C', 'D', 'E'];
    const scope = nock(host);
    for (const k of keys) scope.put(`/ocpi/2.2.1/locations/NL/CPM/${k}`).reply(200, OK); // each exactly once
    for (const k of keys) await push({ path: `/NL/CPM/${k}`, objectKey: `location:${k}` });
    const other = aWorker();
    const [a, b] = await Promise.all([worker.runOnce(), other.runOnce()]);
    expect(a.claimed + b.claimed).to.equal(5);
    expect(a.failed + b.failed).to.equal(0);
    expect(scope.isDone()).to.equal(true);
  });

  it('should treat a row queued at the clock\'s current time as due at once, not a millisecond earlier (one clock)', async () => {
    // Arrange: next_attempt_at comes from the clock bound to the database, the very clock the worker reads
    // (it used to be the database's now(), with microseconds the millisecond clock could be behind of)
    const id = await push();
    const queuedAt = (await findPush(tdb.db, id))!.nextAttemptAt;
    // Act
    const leaseUntil = new Date(clock.now().getTime() + 3_600_000); // the later tests' workers must not take it back
    const early = await claimDuePushes(tdb.db, { now: new Date(clock.now().getTime() - 1), leaseUntil, limit: 10 });
    const claimed = await claimDuePushes(tdb.db, { now: clock.now(), leaseUntil, limit: 10 });
    // Assert
    expect(queuedAt.getTime()).to.equal(clock.now().getTime());
    expect(early).to.deep.equal([]);
    expect(claimed.map((r) => r.id)).to.deep.equal([id]);
  });

  it('should leave the rows of a partner that is not registered', async () => {
    await push();
    await updatePartner(tdb.db, partner.id, { status: 'UNREGISTERED' });
    expect(await worker.runOnce()).to.deep.include({ claimed: 0 });
  });

  it('should enqueue inside the caller transaction: nothing on rollback, delivered after a commit kick', async () => {
    // Arrange
    const scope = nock(host).put('/ocpi/2.2.1/locations/NL/CPM/TX1').reply(200, OK);
    worker.start(); // interval is an hour: only the commit kick can make it deliver now
    // Act
    await tdb.db.transaction(async (trx) => {
      await enqueuePush(trx, { partnerFk: partner.id, module: 'locations', role: 'RECEIVER', method: 'PUT', path: '/NL/CPM/TX0', body: {}, objectKey: 'location:TX0' });
      throw new Error('rolled back');
    }).catch(() => undefined);
    const id = await tdb.db.transaction((trx) => enqueuePush(trx, { partnerFk: partner.id, module: 'locations', role: 'RECEIVER', method: 'PUT', path: '/NL/CPM/TX1', body: {}, objectKey: 'location:TX1' }));
    // Assert
    await eventually(async () => (await findPush(tdb.db, id))?.status === 'DELIVERED', 'the kicked delivery');
    const rolledBack = await tdb.db('ocpi_outbox').where({ partner_fk: partner.id, object_key: 'location:TX0' });
    expect(rolledBack).to.deep.equal([]);
    expect(scope.isDone()).to.equal(true);
  });
});
