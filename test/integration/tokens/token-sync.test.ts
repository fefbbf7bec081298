// Job token-sync (issue 4; OCPI 2.2.1 tokens §12.1.2 pull model, §12.2.2.1 GET): pulls every eMSP's
// token list page by page through `Link: <…>; rel="next"` (transport §4.1.4.1), from the start of the
// last successful run on. The eMSPs are played by nock.
import { expect } from 'chai';
import nock from 'nock';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { OcpiTokenService } from '../../../src/tokens/ocpi-token.service.ts';
import { runTokenSync, type TokenSyncDeps } from '../../../src/tokens/sync.job.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { startTestApp } from '../../helpers/app.ts';
import { aPartyId, aRegisteredPartner, aRegisteredEmsp } from '../../fixtures/partners.ts';

const ok = (data: unknown[]) => ({ status_code: 1000, timestamp: '2025-03-01T10:00:00Z', data });

describe('integration tokens/token-sync', () => {
  const tdb = useTestDb({ nock: true });
  let deps: TokenSyncDeps;
  const clock = fixedClock(new Date('2025-03-01T10:00:00Z'));

  before(async () => {
    const logger = createLogger('error');
    logger.silent = true; // failing partners are logged on purpose
    deps = { db: tdb.db, clock, logger, tokens: new OcpiTokenService({ db: tdb.db }) };
  });
  beforeEach(async () => {
    // each test sees only its own partners
    await tdb.db('ocpi_partners').update({ status: 'UNREGISTERED' });
  });

  async function anEmsp() {
    const emsp = await aRegisteredEmsp(tdb.db);
    return { ...emsp, tokensUrl: `${emsp.base}/tokens` };
  }

  const aToken = (partyId: string, uid: string, o: Record<string, unknown> = {}) => ({
    country_code: 'DE', party_id: partyId, uid, type: 'RFID', contract_id: `DE-${uid}`, issuer: 'eMSP', valid: true, whitelist: 'ALLOWED', last_updated: '2025-02-01T00:00:00Z', ...o,
  });

  it('should follow the Link header over two pages, then send date_from = the start of the last successful run', async () => {
    // Arrange
    const emsp = await anEmsp();
    const scope = nock(emsp.origin)
      .get('/ocpi/2.2.1/tokens').query((q) => q.date_from === undefined)
      .reply(200, ok([aToken(emsp.partyId, 'S-1'), aToken(emsp.partyId, 'S-2')]), { Link: `<${emsp.tokensUrl}?offset=2&limit=2>; rel="next"`, 'X-Total-Count': '3', 'X-Limit': '2' })
      .get('/ocpi/2.2.1/tokens').query({ offset: '2', limit: '2' })
      .reply(200, ok([aToken(emsp.partyId, 'S-3', { whitelist: 'NEVER' })]), { 'X-Total-Count': '3', 'X-Limit': '2' });

    // Act
    const first = await runTokenSync(deps);

    // Assert
    expect(scope.isDone()).to.equal(true);
    expect(first).to.deep.equal({ partners: 1, partnersFailed: 0, pages: 2, tokensUpserted: 3, tokensSkipped: 0 });
    const rows = await tdb.db('id_tokens').where({ party_id: emsp.partyId }).orderBy('uid');
    expect(rows.map((r) => [r.uid, r.whitelist, r.partner_fk])).to.deep.equal([['S-1', 'ALLOWED', emsp.partner.id], ['S-2', 'ALLOWED', emsp.partner.id], ['S-3', 'NEVER', emsp.partner.id]]);

    // Act: the second run asks only for what changed since the first one started
    clock.advance(6 * 3600_000);
    const second = nock(emsp.origin)
      .get('/ocpi/2.2.1/tokens').query({ date_from: '2025-03-01T10:00:00Z' })
      .reply(200, ok([aToken(emsp.partyId, 'S-2', { valid: false, last_updated: '2025-03-01T12:00:00Z' })]));
    const counts = await runTokenSync(deps);

    // Assert
    expect(second.isDone()).to.equal(true);
    expect(counts).to.deep.include({ pages: 1, tokensUpserted: 1 });
    expect((await tdb.db('id_tokens').where({ party_id: emsp.partyId, uid: 'S-2' }).first()).valid).to.equal(false);
  });

  it('should skip invalid tokens and tokens of parties that are not the partner\'s', async () => {
    const emsp = await anEmsp();
    const scope = nock(emsp.origin).get('/ocpi/2.2.1/tokens').query(true).reply(200, ok([
      aToken(emsp.partyId, 'K-1'),
      aToken(emsp.partyId, 'K-2', { whitelist: 'SOMETIMES' }),
      aToken('ZZZ', 'K-3'),
    ]));

    const counts = await runTokenSync(deps);

    expect(scope.isDone()).to.equal(true);
    expect(counts).to.deep.include({ tokensUpserted: 1, tokensSkipped: 2 });
  });

  it('should keep a stored token that is newer than the pulled one (a push overtook the pull)', async () => {
    const emsp = await anEmsp();
    await deps.tokens.put(emsp.partner, { countryCode: 'DE', partyId: emsp.partyId, uid: 'N-1', type: 'RFID' }, aToken(emsp.partyId, 'N-1', { valid: false, last_updated: '2025-02-10T00:00:00Z' }) as never);
    const scope = nock(emsp.origin).get('/ocpi/2.2.1/tokens').query(true).reply(200, ok([aToken(emsp.partyId, 'N-1', { valid: true, last_updated: '2025-02-01T00:00:00Z' })]));

    const counts = await runTokenSync(deps);

    expect(scope.isDone()).to.equal(true);
    expect(counts).to.deep.include({ tokensUpserted: 0 });
    expect((await tdb.db('id_tokens').where({ party_id: emsp.partyId, uid: 'N-1' }).first()).valid).to.equal(false);
  });

  it('types §16.2: should compare last_updated on every fractional digit sent (a pull older by 0.1 ms is not applied)', async () => {
    const emsp = await anEmsp();
    await deps.tokens.put(emsp.partner, { countryCode: 'DE', partyId: emsp.partyId, uid: 'F-1', type: 'RFID' }, aToken(emsp.partyId, 'F-1', { valid: false, last_updated: '2025-02-10T00:00:00.1236Z' }) as never);
    const scope = nock(emsp.origin).get('/ocpi/2.2.1/tokens').query(true).reply(200, ok([aToken(emsp.partyId, 'F-1', { valid: true, last_updated: '2025-02-10T00:00:00.1235Z' })]));

    const counts = await runTokenSync(deps);

    expect(scope.isDone()).to.equal(true);
    expect(counts).to.deep.include({ tokensUpserted: 0 });
    expect(await tdb.db('id_tokens').where({ party_id: emsp.partyId, uid: 'F-1' }).first()).to.deep.include({ valid: false, last_updated_as_sent: '2025-02-10T00:00:00.1236Z' });
  });

  it('should sync the other partners when one fails, fail the run, and retry the failed one from its old date_from', async () => {
    // Arrange
    const down = await anEmsp();
    const up = await anEmsp();
    const scope = nock(down.origin).get('/ocpi/2.2.1/tokens').query(true).reply(503, 'down')
      .get('/ocpi/2.2.1/tokens').query((q) => q.date_from === undefined).reply(200, ok([]));
    const upScope = nock(up.origin).get('/ocpi/2.2.1/tokens').query(true).reply(200, ok([aToken(up.partyId, 'U-1')]));

    // Act + Assert
    let failure: Error | undefined;
    await runTokenSync(deps).catch((err: Error) => (failure = err));
    expect(failure?.message).to.match(new RegExp(`failed for 1 of 2 partners .*DE/${down.partyId}: .*HTTP 503`));
    expect(upScope.isDone()).to.equal(true);
    expect(await tdb.db('id_tokens').where({ party_id: up.partyId, uid: 'U-1' }).first()).to.not.equal(undefined);
    const state = await tdb.db('token_sync_state').where({ partner_fk: down.partner.id }).first();
    expect(state.last_success_started_at).to.equal(null);
    expect(state.last_error).to.contain('HTTP 503');

    nock(up.origin).get('/ocpi/2.2.1/tokens').query(true).reply(200, ok([]));
    await runTokenSync(deps);
    expect(scope.isDone()).to.equal(true);
  });

  it('transport §4.1.4.1: should not follow a Link to another host with our credentials', async () => {
    const emsp = await anEmsp();
    const scope = nock(emsp.origin).get('/ocpi/2.2.1/tokens').query(true)
      .reply(200, ok([aToken(emsp.partyId, 'L-1')]), { Link: '<https://elsewhere.test/steal?offset=1>; rel="next"' });
    const elsewhere = nock('https://elsewhere.test').get(/.*/).reply(200, ok([]));

    const err = await runTokenSync(deps).then(() => undefined, (e: Error) => e);

    expect(scope.isDone()).to.equal(true);
    expect(elsewhere.isDone()).to.equal(false);
    expect(err?.message).to.contain('outside the tokens endpoint');
  });

  it('should ignore partners without a tokens SENDER endpoint', async () => {
    await aRegisteredPartner(tdb.db, { countryCode: 'DE', partyId: aPartyId(), baseUrl: 'https://no-tokens.test/ocpi/2.2.1', endpoints: [] });
    expect(await runTokenSync(deps)).to.deep.include({ partners: 0 });
  });

  it('should run on demand through the admin API (POST /api/v1/jobs/token-sync/run) and record the counts', async () => {
    const app = await startTestApp(tdb);
    try {
      const emsp = await anEmsp();
      const scope = nock(emsp.origin).get('/ocpi/2.2.1/tokens').query(true).reply(200, ok([aToken(emsp.partyId, 'A-1')]));

      const res = await app.api('POST', '/api/v1/jobs/token-sync/run');

      expect(scope.isDone()).to.equal(true);
      expect(res.body.status).to.equal('ran');
      expect(res.body.run.counts).to.deep.include({ partners: 1, tokensUpserted: 1, pages: 1 });
    } finally {
      await app.close();
    }
  });
});
