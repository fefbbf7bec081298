// OCPI 2.2.1 hubclientinfo §15.1: no requests can be sent to a party behind a hub that the hub reports
// OFFLINE, PLANNED or SUSPENDED, and no push messages are queued for it ("it is their responsibility to do a
// GET to get back in sync"): the delivery pass cancels its due rows instead of sending them (no attempt
// counted). Cancelled rows do not hold back later ones; other rows are not affected; an operator retry of a
// cancelled row is delivered once the party is CONNECTED, and cancelled again before.
import { expect } from 'chai';
import nock from 'nock';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { PushWorker } from '../../../src/partners/push.worker.ts';
import { claimDuePushes, enqueuePush, findPush, markPushDelivered, markPushFailed, type PushRequest } from '../../../src/partners/outbox.repo.ts';
import { retryPush } from '../../../src/partners/outbox.service.ts';
import type { Partner, PartyRef } from '../../../src/partners/partner.types.ts';
import type { ConnectionStatus } from '../../../src/hubclientinfo/client-info.repo.ts';
import { HubClientInfoService } from '../../../src/hubclientinfo/client-info.service.ts';
import { listDeliveryStates } from '../../../src/billing/cdr.repo.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aPartyId, aRegisteredPartner } from '../../fixtures/partners.ts';

const OK = { status_code: 1000, timestamp: '2026-01-01T00:00:00Z' };
const logger = createLogger('error');
logger.silent = true; // cancelled pushes are logged on purpose here

describe('integration partners/outbox to a party its hub reports not CONNECTED', () => {
  const tdb = useTestDb({ nock: true });
  const clock = fixedClock(new Date());
  let hub: Partner;
  let host: string;
  let party: PartyRef;

  // maxAttempts 1: a single counted failure would make a row DEAD
  const aWorker = () => new PushWorker({ db: tdb.db, clock, logger, intervalMs: 3_600_000, batchSize: 20, backoffBaseSec: 5, backoffMaxSec: 600, leaseSec: 120, maxAttempts: 1 });
  const push = (o: Partial<PushRequest> = {}): Promise<number> =>
    enqueuePush(tdb.db, { partnerFk: hub.id, module: 'sessions', role: 'RECEIVER', method: 'PUT', path: '/NL/CPM/S1', body: { id: 'S1' }, objectKey: 'session:S1', toParty: party, ...o });
  const aCdrPush = (id: string) => push({ module: 'cdrs', method: 'POST', path: '', body: { id }, objectKey: `cdr:${id}` });
  /** The hub PUTs the ClientInfo of `of` (default: the party) with `status` (hubclientinfo §15.3.1.2). */
  const report = (status: ConnectionStatus, o: { from?: Partner; of?: PartyRef } = {}) => {
    const of = o.of ?? party;
    const body = { country_code: of.countryCode, party_id: of.partyId, role: 'EMSP', status, last_updated: clock.now().toISOString() };
    return new HubClientInfoService({ db: tdb.db }).put(o.from ?? hub, of, body);
  };
  const reason = (status: ConnectionStatus) =>
    `party ${party.countryCode}/${party.partyId} is ${status} at the hub: not sent (hubclientinfo §15.1: no pushes are queued for it; it gets back in sync with GET once CONNECTED)`;

  beforeEach(async () => {
    // Ahead of the database clock, so rows inserted with next_attempt_at = now() are due at once.
    clock.set(new Date(Date.now() + 60_000));
    ({ partner: hub } = await aRegisteredPartner(tdb.db, { role: 'HUB' }));
    host = `https://${hub.partyId.toLowerCase()}.emsp.test`;
    party = { countryCode: 'DE', partyId: aPartyId() };
  });

  for (const status of ['OFFLINE', 'PLANNED', 'SUSPENDED'] as const) {
    it(`§15.1 ${status}: should cancel the party's due rows with the reason, without sending them or counting an attempt`, async () => {
      // Arrange: the hub would accept the push; it must not be asked
      const scope = nock(host).put('/ocpi/2.2.1/sessions/NL/CPM/S1').reply(200, OK);
      await report(status);
      const ids = [await push(), await push({ method: 'PATCH', body: { n: 1 } })];
      // Act
      const pass = await aWorker().runOnce();
      // Assert
      expect(pass).to.deep.equal({ claimed: 0, delivered: 0, failed: 0, dead: 0 });
      for (const id of ids) expect(await findPush(tdb.db, id)).to.deep.include({ status: 'CANCELLED', attempts: 0, lastError: reason(status) });
      expect(scope.isDone()).to.equal(false);
    });
  }

  it('§15.1 CONNECTED: should send the later rows of an object whose earlier rows were cancelled, in order', async () => {
    // Arrange: the session PUT is cancelled while the party is OFFLINE; PATCHes come after it is back
    const seen: string[] = [];
    const record = (label: string) => () => {
      seen.push(label);
      return OK;
    };
    const scope = nock(host)
      .patch('/ocpi/2.2.1/sessions/NL/CPM/S1').reply(200, record('patch 1'))
      .patch('/ocpi/2.2.1/sessions/NL/CPM/S1').reply(200, record('patch 2'));
    await report('OFFLINE');
    const cancelled = await push();
    const worker = aWorker();
    const whileOffline = await worker.runOnce();
    await report('CONNECTED');
    const later = [await push({ method: 'PATCH', body: { n: 1 } }), await push({ method: 'PATCH', body: { n: 2 } })];
    // Act
    const passes = [await worker.runOnce(), await worker.runOnce(), await worker.runOnce()];
    // Assert
    expect(whileOffline).to.deep.include({ claimed: 0 });
    expect(passes.map((p) => p.delivered)).to.deep.equal([1, 1, 0]);
    expect(seen).to.deep.equal(['patch 1', 'patch 2']);
    expect((await findPush(tdb.db, cancelled))!.status).to.equal('CANCELLED');
    for (const id of later) expect(await findPush(tdb.db, id)).to.deep.include({ status: 'DELIVERED', attempts: 1 });
    expect(scope.isDone()).to.equal(true);
  });

  it('should cancel a row waiting for its retry once it is due, keeping its attempt count', async () => {
    // Arrange: the row failed once while the party was CONNECTED; the party goes OFFLINE during the backoff
    const id = await push();
    await claimDuePushes(tdb.db, { now: clock.now(), leaseUntil: new Date(clock.now().getTime() + 120_000), limit: 10 });
    await markPushFailed(tdb.db, id, { nextAttemptAt: new Date(clock.now().getTime() + 600_000), error: 'hub: party unreachable' });
    await report('OFFLINE');
    const worker = aWorker();
    await worker.runOnce();
    const beforeDue = await findPush(tdb.db, id);
    clock.advance(600_000);
    // Act
    const due = await worker.runOnce();
    // Assert
    expect(beforeDue).to.deep.include({ status: 'PENDING', attempts: 1 });
    expect(due).to.deep.include({ claimed: 0 });
    expect(await findPush(tdb.db, id)).to.deep.include({ status: 'CANCELLED', attempts: 1, lastError: reason('OFFLINE') });
  });

  it('should leave a row in flight when the party goes OFFLINE (its delivery is recorded), and cancel one whose lease ran out', async () => {
    // Arrange: two rows claimed while the party is CONNECTED, one by a node that then died (lease over)
    const leaseUntil = new Date(clock.now().getTime() + 120_000);
    const inFlight = await push({ objectKey: 'session:I', path: '/NL/CPM/I' });
    await claimDuePushes(tdb.db, { now: clock.now(), leaseUntil: new Date(clock.now().getTime() + 3_600_000), limit: 10 });
    const orphan = await push({ objectKey: 'session:O', path: '/NL/CPM/O' });
    await claimDuePushes(tdb.db, { now: clock.now(), leaseUntil, limit: 10 });
    await report('OFFLINE');
    clock.set(new Date(leaseUntil.getTime() + 1000));
    // Act
    const pass = await aWorker().runOnce();
    await markPushDelivered(tdb.db, inFlight, clock.now());
    // Assert
    expect(pass).to.deep.include({ claimed: 0 });
    expect(await findPush(tdb.db, inFlight)).to.deep.include({ status: 'DELIVERED', attempts: 1 });
    expect(await findPush(tdb.db, orphan)).to.deep.include({ status: 'CANCELLED', attempts: 1, lastError: reason('OFFLINE') });
  });

  it('should send as before the rows without to_party, for a party without ClientInfo, for a CONNECTED party or one not CONNECTED at another hub only', async () => {
    // Arrange: this party is OFFLINE at another hub, but this hub never reported it
    const { partner: otherHub } = await aRegisteredPartner(tdb.db, { role: 'HUB' });
    const connected = { countryCode: 'DE', partyId: aPartyId() };
    await report('OFFLINE', { from: otherHub });
    await report('CONNECTED', { of: connected });
    const scope = nock(host).put(/^\/ocpi\/2\.2\.1\/locations\/NL\/CPM\/L[1-4]$/).times(4).reply(200, OK);
    const ids = [
      await push({ module: 'locations', path: '/NL/CPM/L1', objectKey: 'location:L1', toParty: undefined }),
      await push({ module: 'locations', path: '/NL/CPM/L2', objectKey: 'location:L2', toParty: { countryCode: 'DE', partyId: aPartyId() } }),
      await push({ module: 'locations', path: '/NL/CPM/L3', objectKey: 'location:L3', toParty: connected }),
      await push({ module: 'locations', path: '/NL/CPM/L4', objectKey: 'location:L4' }),
    ];
    // Act
    const pass = await aWorker().runOnce();
    // Assert
    expect(pass).to.deep.include({ claimed: 4, delivered: 4 });
    for (const id of ids) expect((await findPush(tdb.db, id))!.status).to.equal('DELIVERED');
    expect(scope.isDone()).to.equal(true);
  });

  it('should match the party case-insensitively (to_party as a partner sent it, ClientInfo upper case)', async () => {
    await report('SUSPENDED');
    const id = await push({ toParty: { countryCode: party.countryCode.toLowerCase(), partyId: party.partyId.toLowerCase() } });

    expect(await aWorker().runOnce()).to.deep.include({ claimed: 0 });
    expect(await findPush(tdb.db, id)).to.deep.include({ status: 'CANCELLED', lastError: reason('SUSPENDED') });
  });

  describe('a cancelled CDR', () => {
    it('should count as CANCELLED in the delivery states of the statement reconciliation', async () => {
      await report('SUSPENDED');
      await aCdrPush('CDR-S');
      await aWorker().runOnce();

      expect(await listDeliveryStates(tdb.db, hub.id, ['CDR-S'])).to.deep.equal(new Map([['CDR-S', 'CANCELLED']]));
    });

    it('should be cancelled again when the operator retries it while the party is still OFFLINE, and delivered once it is CONNECTED', async () => {
      // Arrange
      const scope = nock(host).post('/ocpi/2.2.1/cdrs', { id: 'CDR-R' }).reply(200, OK);
      await report('OFFLINE');
      const id = await aCdrPush('CDR-R');
      const worker = aWorker();
      await worker.runOnce();
      // Act: retried too early, then again after the hub reports the party CONNECTED
      await retryPush(tdb.db, hub.id, id);
      const tooEarly = await worker.runOnce();
      const afterTooEarly = await findPush(tdb.db, id);
      await report('CONNECTED');
      await retryPush(tdb.db, hub.id, id);
      const onceConnected = await worker.runOnce();
      // Assert
      expect(tooEarly).to.deep.include({ claimed: 0 });
      expect(afterTooEarly).to.deep.include({ status: 'CANCELLED', attempts: 0, lastError: reason('OFFLINE') });
      expect(onceConnected).to.deep.include({ claimed: 1, delivered: 1 });
      expect(await findPush(tdb.db, id)).to.deep.include({ status: 'DELIVERED', attempts: 1, lastError: null });
      expect(scope.isDone()).to.equal(true);
    });
  });
});
