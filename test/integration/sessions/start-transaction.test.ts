// StartTransaction without races (issue 7): the start key is backed by a unique constraint, a replay keeps
// the first answer without authorizing again, and ConcurrentTx is decided inside the insert transaction.
// The concurrent cases only race on the PostgreSQL server (DATABASE_URL); PGlite runs them one at a time
// (one connection), where they must give the same result.
import { expect } from 'chai';
import { createApp, type App } from '../../../src/app.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import type { IdToken, RealtimeOutcome } from '../../../src/tokens/token.types.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { testConfig } from '../../helpers/app.ts';
import { aRegisteredCharger, aStartTransaction, aToken } from '../../fixtures/chargers.ts';
import { aRegisteredPartner } from '../../fixtures/partners.ts';

const ROUNDS = 8;
const REPLAYS = 6;

describe('integration sessions: StartTransaction races and replays', () => {
  let t: TestDb;
  let app: App;

  before(async () => {
    t = await createTestDb();
    const logger = createLogger('error');
    logger.silent = true; // expected failures (a session without a location gets no CDR) would flood the output
    app = createApp({ config: testConfig(t), db: t.db, logger, clock: { now: () => new Date() } });
  });
  after(async () => {
    await app.close();
    await t.destroy();
  });

  const s = () => app.services;
  const sessionsOf = (idTag: string) => t.db('sessions').where({ id_tag: idTag }).orderBy('id');

  it('OCPP16 §4.8: should record one session for concurrent identical StartTransactions and answer every one with its transactionId', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Arrange
      const chargePointId = await aRegisteredCharger(s());
      const idTag = await aToken(s());
      const req = aStartTransaction(idTag, { meterStart: 1000 + round, timestamp: `2026-02-0${1 + (round % 9)}T10:00:00Z` });

      // Act: the same request REPLAYS times at once (a charger that reconnects and repeats it)
      const answers = await Promise.all(Array.from({ length: REPLAYS }, () => s().sessions.start(chargePointId, req)));

      // Assert
      const rows = await sessionsOf(idTag);
      expect(rows.map((r) => r.status), `round ${round}`).to.deep.equal(['ACTIVE']);
      expect(answers, `round ${round}`).to.deep.equal(Array(REPLAYS).fill({ transactionId: rows[0].id, idTagInfo: { status: 'Accepted' } }));
    }
  });

  it('OCPP16 §7.2 ConcurrentTx: should accept exactly one of two simultaneous starts of one own token at two chargers and record the other INVALID', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Arrange
      const [a, b] = [await aRegisteredCharger(s()), await aRegisteredCharger(s())];
      const idTag = await aToken(s());

      // Act
      const answers = await Promise.all([s().sessions.start(a, aStartTransaction(idTag)), s().sessions.start(b, aStartTransaction(idTag))]);

      // Assert
      const statuses = answers.map((x) => x.idTagInfo.status).sort();
      expect(statuses, `round ${round}`).to.deep.equal(['Accepted', 'ConcurrentTx']);
      const rows = await sessionsOf(idTag);
      const stored = Object.fromEntries(rows.map((r) => [r.id, r.status]));
      expect(answers.map((x) => (x.idTagInfo.status === 'Accepted' ? 'ACTIVE' : 'INVALID')), `round ${round}`).to.deep.equal(answers.map((x) => stored[x.transactionId]));
    }
  });

  it('OCPP16 §4.8: should answer a replay with the first answer, without authorizing again, although the token was blocked meanwhile', async () => {
    // Arrange: an own token, accepted, then blocked by the operator
    const chargePointId = await aRegisteredCharger(s());
    const idTag = await aToken(s());
    const req = aStartTransaction(idTag);
    const first = await s().sessions.start(chargePointId, req);
    await t.db('id_tokens').where({ uid: idTag }).update({ valid: false });

    // Act: the charger repeats the StartTransaction (alone, then together with two more)
    const replay = await s().sessions.start(chargePointId, req);
    const burst = await Promise.all([s().sessions.start(chargePointId, req), s().sessions.start(chargePointId, req)]);

    // Assert: the first answer, and the session keeps running
    expect(first).to.deep.equal({ transactionId: first.transactionId, idTagInfo: { status: 'Accepted' } });
    expect([replay, ...burst]).to.deep.equal([first, first, first]);
    expect((await sessionsOf(idTag)).map((r) => r.status)).to.deep.equal(['ACTIVE']);
  });

  it('OCPI 2.2.1 tokens §12.2.2.2: should not ask the eMSP again for a replayed StartTransaction of a roaming token', async () => {
    // Arrange: an ALLOWED roaming token; the eMSP allows it once, then blocks it
    const calls: string[] = [];
    let allowed: 'ALLOWED' | 'BLOCKED' = 'ALLOWED';
    s().authorize.useRealtime({ authorize: async (token: IdToken): Promise<RealtimeOutcome> => (calls.push(token.uid), { kind: 'answer', allowed }) });
    const { partner } = await aRegisteredPartner(t.db);
    const uid = `RT${Date.now().toString(36).toUpperCase()}`;
    await t.db('id_tokens').insert({ country_code: partner.countryCode, party_id: partner.partyId, uid, type: 'RFID', contract_id: `C-${uid}`, issuer: 'eMSP', whitelist: 'NEVER', valid: true, partner_fk: partner.id });
    const chargePointId = await aRegisteredCharger(s());
    const req = aStartTransaction(uid);

    // Act
    const first = await s().sessions.start(chargePointId, req);
    allowed = 'BLOCKED';
    const replay = await s().sessions.start(chargePointId, req);

    // Assert
    expect(calls).to.deep.equal([uid]);
    expect(replay).to.deep.equal(first);
    expect(first.idTagInfo).to.deep.equal({ status: 'Accepted' });
    expect((await sessionsOf(uid)).map((r) => r.status)).to.deep.equal(['ACTIVE']);
  });

  it('should keep the first answer of a refused start: a replay after the token became valid is still Invalid', async () => {
    const chargePointId = await aRegisteredCharger(s());
    const idTag = await aToken(s());
    await t.db('id_tokens').where({ uid: idTag }).update({ valid: false });
    const req = aStartTransaction(idTag);

    const first = await s().sessions.start(chargePointId, req);
    await t.db('id_tokens').where({ uid: idTag }).update({ valid: true });
    const replay = await s().sessions.start(chargePointId, req);

    expect(first.idTagInfo).to.deep.equal({ status: 'Blocked' });
    expect(replay).to.deep.equal(first);
    expect((await sessionsOf(idTag)).map((r) => r.status)).to.deep.equal(['INVALID']);
  });
});
