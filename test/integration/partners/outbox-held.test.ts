// OCPI 2.2.1 hubclientinfo §15.1: pushes to a party behind a hub that the hub reports OFFLINE, PLANNED or
// SUSPENDED are held in the outbox (not claimed, no attempt counted, never DEAD), keep their order per
// object key, and go once the hub reports the party CONNECTED again. Other rows are not affected.
import { expect } from 'chai';
import nock from 'nock';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { PushWorker } from '../../../src/partners/push.worker.ts';
import { claimDuePushes, enqueuePush, findPush, listPushes, markPushFailed, type PushRequest } from '../../../src/partners/outbox.repo.ts';
import type { Partner, PartyRef } from '../../../src/partners/partner.types.ts';
import type { ConnectionStatus } from '../../../src/hubclientinfo/client-info.repo.ts';
import { HubClientInfoService } from '../../../src/hubclientinfo/client-info.service.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aPartyId, aRegisteredPartner } from '../../fixtures/partners.ts';

const OK = { status_code: 1000, timestamp: '2026-01-01T00:00:00Z' };
const logger = createLogger('error');
logger.silent = true;

describe('integration partners/outbox held by hub ClientInfo', () => {
  const tdb = useTestDb({ nock: true });
  const clock = fixedClock(new Date());
  let hub: Partner;
  let host: string;
  let party: PartyRef;

  const BACKOFF_MAX_SEC = 600;
  // maxAttempts 1: a single counted failure would make a row DEAD
  const aWorker = () => new PushWorker({ db: tdb.db, clock, logger, intervalMs: 3_600_000, batchSize: 20, backoffBaseSec: 5, backoffMaxSec: BACKOFF_MAX_SEC, leaseSec: 120, maxAttempts: 1 });
  const push = (o: Partial<PushRequest> = {}): Promise<number> =>
    enqueuePush(tdb.db, { partnerFk: hub.id, module: 'sessions', role: 'RECEIVER', method: 'PUT', path: '/NL/CPM/S1', body: { id: 'S1' }, objectKey: 'session:S1', toParty: party, ...o });
  /** The hub PUTs the ClientInfo of `of` (default: the party) with `status` (hubclientinfo §15.3.1.2). */
  const report = (status: ConnectionStatus, o: { from?: Partner; of?: PartyRef } = {}) => {
    const of = o.of ?? party;
    const body = { country_code: of.countryCode, party_id: of.partyId, role: 'EMSP', status, last_updated: clock.now().toISOString() };
    return new HubClientInfoService({ db: tdb.db }).put(o.from ?? hub, of, body);
  };

  beforeEach(async () => {
    // Ahead of the database clock, so rows inserted with next_attempt_at = now() are due at once.
    clock.set(new Date(Date.now() + 60_000));
    ({ partner: hub } = await aRegisteredPartner(tdb.db, { role: 'HUB' }));
    host = `https://${hub.partyId.toLowerCase()}.emsp.test`;
    party = { countryCode: 'DE', partyId: aPartyId() };
  });

  for (const status of ['OFFLINE', 'PLANNED', 'SUSPENDED'] as const) {
    it(`§15.1 ${status}: should not claim the party's rows, count no attempt and never make them DEAD`, async () => {
      // Arrange
      await report(status);
      const id = await push();
      const worker = aWorker();
      // Act
      const passes = [await worker.runOnce(), await worker.runOnce()];
      clock.advance(3_600_000);
      passes.push(await worker.runOnce());
      // Assert
      expect(passes.map((p) => p.claimed)).to.deep.equal([0, 0, 0]);
      expect(await findPush(tdb.db, id)).to.deep.include({ status: 'PENDING', attempts: 0, lastError: null });
    });
  }

  it('should park a held row out of the due range until the longest backoff, so that passes do not walk it again', async () => {
    // Arrange
    await report('OFFLINE');
    const id = await push();
    // Act
    await aWorker().runOnce();
    // Assert: ocpi_outbox_due (next_attempt_at, id) no longer has it among the due rows
    expect((await findPush(tdb.db, id))!.nextAttemptAt.getTime()).to.equal(clock.now().getTime() + BACKOFF_MAX_SEC * 1000);
  });

  it('should make the party\'s waiting rows due when the hub reports it CONNECTED again, parked or in backoff, but not a row in flight', async () => {
    // Arrange: a row failed once (retry in 10 min) before the party went OFFLINE, one was parked, one is in flight
    const failed = await push({ objectKey: 'session:F', path: '/NL/CPM/F' });
    const inFlight = await push({ objectKey: 'session:I', path: '/NL/CPM/I' });
    const leaseUntil = new Date(clock.now().getTime() + 3_600_000); // the later tests' workers must not take them back
    await claimDuePushes(tdb.db, { now: clock.now(), leaseUntil, limit: 10 });
    await markPushFailed(tdb.db, failed, { nextAttemptAt: new Date(clock.now().getTime() + 600_000), error: 'hub: party unreachable' });
    await report('OFFLINE');
    const parked = await push();
    await aWorker().runOnce();
    // Act
    await report('CONNECTED');
    // Assert
    const due = await claimDuePushes(tdb.db, { now: clock.now(), leaseUntil, limit: 10 });
    expect(due.map((r) => r.id)).to.deep.equal([failed, parked]);
    expect((await findPush(tdb.db, inFlight))!.nextAttemptAt.getTime()).to.equal(leaseUntil.getTime());
  });

  it('should leave a retry scheduled when the hub reports a party CONNECTED that already was', async () => {
    // Arrange
    await report('CONNECTED');
    const id = await push();
    const retryAt = new Date(clock.now().getTime() + 3_600_000);
    await claimDuePushes(tdb.db, { now: clock.now(), leaseUntil: new Date(clock.now().getTime() + 120_000), limit: 10 });
    await markPushFailed(tdb.db, id, { nextAttemptAt: retryAt, error: 'busy' });
    // Act
    await report('CONNECTED');
    // Assert
    expect((await findPush(tdb.db, id))!.nextAttemptAt.getTime()).to.equal(retryAt.getTime());
  });

  it('should deliver the held rows in enqueue order per object key once the hub reports the party CONNECTED', async () => {
    // Arrange: PUT, PATCH, PATCH of one session and a CDR, all queued while the party is OFFLINE
    const seen: string[] = [];
    const record = (label: string) => () => {
      seen.push(label);
      return OK;
    };
    const scope = nock(host)
      .put('/ocpi/2.2.1/sessions/NL/CPM/S1').reply(200, record('put'))
      .patch('/ocpi/2.2.1/sessions/NL/CPM/S1').reply(200, record('patch 1'))
      .patch('/ocpi/2.2.1/sessions/NL/CPM/S1').reply(200, record('patch 2'))
      .post('/ocpi/2.2.1/cdrs').reply(200, record('cdr'));
    await report('OFFLINE');
    const ids = [await push(), await push({ method: 'PATCH', body: { n: 1 } }), await push({ method: 'PATCH', body: { n: 2 } })];
    ids.push(await push({ module: 'cdrs', method: 'POST', path: '', body: { id: 'CDR-H' }, objectKey: 'cdr:CDR-H' }));
    const worker = aWorker();
    const whileOffline = await worker.runOnce();
    // Act
    await report('CONNECTED');
    const passes = [await worker.runOnce(), await worker.runOnce(), await worker.runOnce(), await worker.runOnce()];
    // Assert
    expect(whileOffline.claimed).to.equal(0);
    expect(passes.map((p) => p.delivered)).to.deep.equal([2, 1, 1, 0]);
    expect(seen.filter((s) => s !== 'cdr')).to.deep.equal(['put', 'patch 1', 'patch 2']);
    for (const id of ids) expect(await findPush(tdb.db, id)).to.deep.include({ status: 'DELIVERED', attempts: 1 });
    expect(scope.isDone()).to.equal(true);
  });

  it('should keep a later row of the same object key behind a held row, even one for another party', async () => {
    // Arrange
    await report('OFFLINE');
    const held = await push();
    const behind = await push({ method: 'PATCH', toParty: { countryCode: 'DE', partyId: aPartyId() } });
    // Act
    const pass = await aWorker().runOnce();
    // Assert
    expect(pass.claimed).to.equal(0);
    for (const id of [held, behind]) expect((await findPush(tdb.db, id))!.status).to.equal('PENDING');
  });

  it('should deliver as before the rows without to_party, for a party without ClientInfo, for a CONNECTED party or held by another hub only', async () => {
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
    await push({ toParty: { countryCode: party.countryCode.toLowerCase(), partyId: party.partyId.toLowerCase() } });

    expect((await aWorker().runOnce()).claimed).to.equal(0);
  });

  it('should list a held row with the reason, and a row of the same party already delivered with held null', async () => {
    // Arrange: one row delivered while the party was CONNECTED, one queued after it went OFFLINE
    const scope = nock(host).put('/ocpi/2.2.1/sessions/NL/CPM/S1').reply(200, OK);
    await report('CONNECTED');
    const delivered = await push();
    await aWorker().runOnce();
    await report('OFFLINE');
    const held = await push({ method: 'PATCH' });
    // Act
    const rows = await listPushes(tdb.db, { partnerFk: hub.id });
    // Assert
    expect(rows.map((r) => [r.id, r.status, r.held])).to.deep.equal([
      [held, 'PENDING', `party ${party.countryCode}/${party.partyId} is OFFLINE at the hub (hubclientinfo): held until CONNECTED`],
      [delivered, 'DELIVERED', null],
    ]);
    expect(scope.isDone()).to.equal(true);
  });
});
