// Terminal states of the OCPI outbox: CANCELLED when the partner is unregistered (either side), DEAD when a
// row can never be delivered (no endpoint for its module any more) or gave up after ocpi.push.maxAttempts;
// neither blocks later rows of its object key, and the operator can put one back (retryPush).
import { expect } from 'chai';
import nock from 'nock';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { Conflict, NotFound } from '../../../src/shared/errors.ts';
import { PushWorker } from '../../../src/partners/push.worker.ts';
import { claimDuePushes, enqueuePush, findPush, markPushDelivered, type PushRequest } from '../../../src/partners/outbox.repo.ts';
import { retryPush } from '../../../src/partners/outbox.service.ts';
import { CredentialsService } from '../../../src/partners/credentials.service.ts';
import { PartnerService } from '../../../src/partners/partner.service.ts';
import { updatePartner } from '../../../src/partners/partner.repo.ts';
import type { Partner } from '../../../src/partners/partner.types.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aRegisteredPartner, anEmspEndpoints } from '../../fixtures/partners.ts';

const OK = { status_code: 1000, timestamp: '2026-01-01T00:00:00Z' };
const logger = createLogger('error');
logger.silent = true; // dead and failed pushes are logged on purpose here

describe('integration partners/outbox terminal states (CANCELLED, DEAD) and retry', () => {
  const tdb = useTestDb({ nock: true });
  const clock = fixedClock(new Date());
  let partner: Partner;
  let host: string;

  const aWorker = (maxAttempts = 50) => new PushWorker({ db: tdb.db, clock, logger, intervalMs: 3_600_000, batchSize: 20, backoffBaseSec: 5, backoffMaxSec: 60, leaseSec: 120, maxAttempts });
  const push = (o: Partial<PushRequest> = {}): Promise<number> =>
    enqueuePush(tdb.db, { partnerFk: partner.id, module: 'locations', role: 'RECEIVER', method: 'PUT', path: '/NL/CPM/LOC1', body: { id: 'LOC1' }, objectKey: 'location:LOC1', ...o });
  const statusOf = async (id: number) => (await findPush(tdb.db, id))!.status;
  const credentials = () => new CredentialsService({ db: tdb.db, clock, logger, partners: new PartnerService({ db: tdb.db, clock }) });

  beforeEach(async () => {
    // Ahead of the database clock, so rows inserted with next_attempt_at = now() are due at once.
    clock.set(new Date(Date.now() + 60_000));
    ({ partner } = await aRegisteredPartner(tdb.db));
    host = `https://${partner.partyId.toLowerCase()}.emsp.test`;
  });

  describe('unregistration', () => {
    it('credentials §7.2.4: should cancel the undelivered rows when the partner unregisters itself, keeping delivered ones', async () => {
      // Arrange: one delivered, one pending, one in flight (claimed by a worker)
      const delivered = await push({ objectKey: 'location:D', path: '/NL/CPM/D' });
      await claimDuePushes(tdb.db, { now: clock.now(), leaseUntil: new Date(clock.now().getTime() + 120_000), limit: 10 });
      await markPushDelivered(tdb.db, delivered, clock.now());
      const inFlight = await push({ objectKey: 'location:F', path: '/NL/CPM/F' });
      await claimDuePushes(tdb.db, { now: clock.now(), leaseUntil: new Date(clock.now().getTime() + 120_000), limit: 10 });
      const pending = await push({ module: 'cdrs', method: 'POST', path: '', body: { id: 'CDR-U' }, objectKey: 'cdr:CDR-U' });
      // Act
      await credentials().acceptUnregistration(partner, false);
      // Assert
      expect(await statusOf(delivered)).to.equal('DELIVERED');
      for (const id of [inFlight, pending]) {
        const row = (await findPush(tdb.db, id))!;
        expect(row.status).to.equal('CANCELLED');
        expect(row.lastError).to.match(/partner unregistered/);
      }
    });

    it('credentials §7.2.4: should cancel the undelivered rows when we unregister the partner', async () => {
      const scope = nock(host).delete('/ocpi/2.2.1/credentials').reply(200, OK);
      const id = await push();
      await credentials().unregister(partner.id);
      const row = (await findPush(tdb.db, id))!;
      expect([row.status, row.lastError]).to.deep.equal(['CANCELLED', 'cancelled: partner unregistered (by us)']);
      expect(scope.isDone()).to.equal(true);
    });

    it('should record an in-flight row that the partner acknowledged after the cancellation as DELIVERED', async () => {
      const id = await push();
      await claimDuePushes(tdb.db, { now: clock.now(), leaseUntil: new Date(clock.now().getTime() + 120_000), limit: 10 });
      await credentials().acceptUnregistration(partner, false);
      await markPushDelivered(tdb.db, id, clock.now());
      expect(await statusOf(id)).to.equal('DELIVERED');
    });
  });

  describe('dead rows', () => {
    it('should make a row DEAD without calling the partner when it no longer has an endpoint for the module', async () => {
      // Arrange: after a credentials update the partner dropped its cdrs RECEIVER (nock would fail any call)
      const base = `${host}/ocpi/2.2.1`;
      await updatePartner(tdb.db, partner.id, { endpoints: anEmspEndpoints(base, ['locations']) });
      const id = await push({ module: 'cdrs', method: 'POST', path: '', body: { id: 'CDR-D' }, objectKey: 'cdr:CDR-D' });
      // Act
      const pass = await aWorker().runOnce();
      // Assert
      expect(pass).to.deep.equal({ claimed: 1, delivered: 0, failed: 0, dead: 1 });
      const row = (await findPush(tdb.db, id))!;
      expect(row.status).to.equal('DEAD');
      expect(row.lastError).to.match(/no cdrs RECEIVER endpoint/);
      expect(await aWorker().runOnce()).to.deep.include({ claimed: 0 });
    });

    it('should still deliver a row with an absolute url when the partner has no endpoint for its module', async () => {
      await updatePartner(tdb.db, partner.id, { endpoints: anEmspEndpoints(`${host}/ocpi/2.2.1`, ['locations']) });
      const scope = nock(host).post('/results/42').reply(200, OK);
      const id = await push({ module: 'commands', method: 'POST', path: '', url: `${host}/results/42`, body: { result: 'ACCEPTED' }, objectKey: 'command:42' });
      expect(await aWorker().runOnce()).to.deep.include({ delivered: 1 });
      expect(await statusOf(id)).to.equal('DELIVERED');
      expect(scope.isDone()).to.equal(true);
    });

    it('should make a row DEAD once it failed ocpi.push.maxAttempts times', async () => {
      const scope = nock(host).put('/ocpi/2.2.1/locations/NL/CPM/LOC1').times(3).reply(200, { status_code: 3000, status_message: 'busy', timestamp: '2026-01-01T00:00:00Z' });
      const id = await push();
      const worker = aWorker(3);
      const passes = [];
      for (let i = 0; i < 3; i++) {
        passes.push(await worker.runOnce());
        clock.advance(60_000);
      }
      expect(passes.map((p) => [p.failed, p.dead])).to.deep.equal([[1, 0], [1, 0], [0, 1]]);
      const row = (await findPush(tdb.db, id))!;
      expect(row).to.deep.include({ status: 'DEAD', attempts: 3 });
      expect(row.lastError).to.match(/^gave up after 3 attempts: .*status_code 3000/);
      expect(scope.isDone()).to.equal(true);
    });

    it('should keep retrying when ocpi.push.maxAttempts is 0 (unlimited)', async () => {
      const scope = nock(host).put('/ocpi/2.2.1/locations/NL/CPM/LOC1').times(4).replyWithError('socket hang up');
      const id = await push();
      const worker = aWorker(0);
      for (let i = 0; i < 4; i++) {
        await worker.runOnce();
        clock.advance(60_000);
      }
      expect(await findPush(tdb.db, id)).to.deep.include({ status: 'PENDING', attempts: 4 });
      expect(scope.isDone()).to.equal(true);
    });

    it('should not let a DEAD row block a later row of the same object key', async () => {
      // Arrange: the PUT dies on a missing endpoint, then the endpoint comes back with a credentials update
      const base = `${host}/ocpi/2.2.1`;
      await updatePartner(tdb.db, partner.id, { endpoints: anEmspEndpoints(base, ['cdrs']) });
      const dead = await push();
      await aWorker().runOnce();
      await updatePartner(tdb.db, partner.id, { endpoints: anEmspEndpoints(base) });
      const scope = nock(host).put('/ocpi/2.2.1/locations/NL/CPM/LOC1').reply(200, OK);
      const later = await push({ body: { id: 'LOC1', name: 'newer' } });
      // Act
      const pass = await aWorker().runOnce();
      // Assert
      expect(pass).to.deep.include({ claimed: 1, delivered: 1 });
      expect([await statusOf(dead), await statusOf(later)]).to.deep.equal(['DEAD', 'DELIVERED']);
      expect(scope.isDone()).to.equal(true);
    });
  });

  describe('retryPush (admin)', () => {
    /** A CDR POST that died because the partner had no cdrs endpoint; the endpoint is back afterwards. */
    async function aDeadCdrPush(cdrId: string): Promise<number> {
      const base = `${host}/ocpi/2.2.1`;
      await updatePartner(tdb.db, partner.id, { endpoints: anEmspEndpoints(base, ['locations']) });
      const id = await push({ module: 'cdrs', method: 'POST', path: '', body: { id: cdrId }, objectKey: `cdr:${cdrId}` });
      await aWorker().runOnce();
      await updatePartner(tdb.db, partner.id, { endpoints: anEmspEndpoints(base) });
      return id;
    }

    it('should put a DEAD row back to PENDING with fresh attempts, and the worker delivers it', async () => {
      const id = await aDeadCdrPush('CDR-R');
      const scope = nock(host).post('/ocpi/2.2.1/cdrs', { id: 'CDR-R' }).reply(200, OK);
      const row = await retryPush(tdb.db, partner.id, id);
      expect(row).to.deep.include({ status: 'PENDING', attempts: 0 });
      expect(await aWorker().runOnce()).to.deep.include({ delivered: 1 });
      expect(await statusOf(id)).to.equal('DELIVERED');
      expect(scope.isDone()).to.equal(true);
    });

    it('should refuse a row that is not DEAD or CANCELLED, or of another partner', async () => {
      const id = await push();
      const other = (await aRegisteredPartner(tdb.db)).partner;
      await expectRejection(retryPush(tdb.db, partner.id, id), Conflict, /PENDING/);
      await expectRejection(retryPush(tdb.db, other.id, id), NotFound, /outbox row/);
    });

    it('should refuse a row of a partner that is not registered', async () => {
      const id = await push();
      await credentials().acceptUnregistration(partner, false);
      await expectRejection(retryPush(tdb.db, partner.id, id), Conflict, /not registered/);
    });

    it('should refuse a DEAD row that a later PUT of the same object superseded', async () => {
      // Arrange: the PUT dies, a later PUT of the same location is queued
      const base = `${host}/ocpi/2.2.1`;
      await updatePartner(tdb.db, partner.id, { endpoints: anEmspEndpoints(base, ['cdrs']) });
      const dead = await push();
      await aWorker().runOnce();
      const later = await push({ body: { id: 'LOC1', name: 'newer' } });
      // Act + Assert
      await expectRejection(retryPush(tdb.db, partner.id, dead), Conflict, new RegExp(`superseded by outbox row ${later}`));
      expect(await statusOf(dead)).to.equal('DEAD');
    });
  });
});

async function expectRejection(p: Promise<unknown>, type: new (...args: any[]) => Error, message: RegExp): Promise<void> {
  const err = await p.then(() => undefined, (e: Error) => e);
  expect(err, 'rejection').to.be.instanceOf(type);
  expect(err!.message).to.match(message);
}
