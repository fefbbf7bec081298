// Defence in depth for asynchronous results (commands §13.2.2, chargingprofiles): the push worker checks a
// row's response_url against the partner's registered hosts again when it is due, so a result queued
// before a credentials update moved the partner elsewhere is made DEAD with the reason, never POSTed.
import { expect } from 'chai';
import nock from 'nock';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { PushWorker } from '../../../src/partners/push.worker.ts';
import { enqueuePush, findPush } from '../../../src/partners/outbox.repo.ts';
import { updatePartner } from '../../../src/partners/partner.repo.ts';
import type { Partner } from '../../../src/partners/partner.types.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aRegisteredPartner, anEmspEndpoints } from '../../fixtures/partners.ts';

const OK = { status_code: 1000, timestamp: '2026-01-01T00:00:00Z' };
const logger = createLogger('error');
logger.silent = true; // dead pushes are logged on purpose here

describe('integration partners/outbox response_url hosts', () => {
  const tdb = useTestDb({ nock: true });
  const clock = fixedClock(new Date());
  let partner: Partner;
  let host: string;

  const aWorker = (responseUrlAllowedHosts?: string[]) =>
    new PushWorker({ db: tdb.db, clock, logger, intervalMs: 3_600_000, batchSize: 20, backoffBaseSec: 5, backoffMaxSec: 60, leaseSec: 120, responseUrlAllowedHosts });
  const aResult = (url: string) => enqueuePush(tdb.db, { partnerFk: partner.id, module: 'commands', role: 'SENDER', method: 'POST', path: '', url, body: { result: 'ACCEPTED' }, objectKey: `command:${url}` });

  beforeEach(async () => {
    clock.set(new Date(Date.now() + 60_000)); // rows queued with next_attempt_at = now() are due
    ({ partner } = await aRegisteredPartner(tdb.db));
    host = `https://${partner.partyId.toLowerCase()}.emsp.test`;
  });

  it('should POST a result whose host is registered', async () => {
    const scope = nock(host).post('/results/1').reply(200, OK);
    const id = await aResult(`${host}/results/1`);

    expect(await aWorker().runOnce()).to.deep.include({ delivered: 1 });
    expect((await findPush(tdb.db, id))!.status).to.equal('DELIVERED');
    expect(scope.isDone()).to.equal(true);
  });

  it('should make a result DEAD without calling anyone when the partner moved to another host since', async () => {
    const id = await aResult(`${host}/results/2`);
    await updatePartner(tdb.db, partner.id, { versionsUrl: 'https://new.emsp.test/ocpi/versions', endpoints: anEmspEndpoints('https://new.emsp.test/ocpi/2.2.1') });

    const pass = await aWorker().runOnce();

    expect(pass).to.deep.equal({ claimed: 1, delivered: 0, failed: 0, dead: 1 });
    const row = (await findPush(tdb.db, id))!;
    expect([row.status, row.lastError]).to.deep.equal(['DEAD', `response_url: host ${new URL(host).host} is not one of the partner's registered hosts (new.emsp.test): not sent`]);
  });

  it('should POST to a host the operator allows (ocpi.responseUrlAllowedHosts)', async () => {
    const scope = nock('https://results.example.net').post('/cb/3').reply(200, OK);
    const id = await aResult('https://results.example.net/cb/3');

    expect(await aWorker(['results.example.net']).runOnce()).to.deep.include({ delivered: 1 });
    expect((await findPush(tdb.db, id))!.status).to.equal('DELIVERED');
    expect(scope.isDone()).to.equal(true);
  });
});
