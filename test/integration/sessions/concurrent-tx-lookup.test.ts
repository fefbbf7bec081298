// OCPP 1.6 §7.2 ConcurrentTx at fleet scale (issue 8): the "token active elsewhere?" question of every Authorize
// and StartTransaction reads the token's running sessions through an index, never the whole sessions table.
import { expect } from 'chai';
import type { App } from '../../../src/app.ts';
import { hasActiveSessionOfTokenElsewhere } from '../../../src/sessions/session.repo.ts';
import type { TestDb } from '../../helpers/db.ts';
import { useAppOnTestDb } from '../../helpers/app.ts';
import { planNodes } from '../../helpers/plans.ts';
import { aRegisteredCharger, aStartTransaction, aToken } from '../../fixtures/chargers.ts';

describe('integration sessions: the ConcurrentTx lookup', () => {
  let t: TestDb;
  let app: App;

  useAppOnTestDb((db, a) => ((t = db), (app = a)));

  it('should find a token running elsewhere, and read only its running sessions through the index to do so', async () => {
    // Arrange: the token charging at charger A
    const s = app.services;
    const idTag = await aToken(s);
    const a = await aRegisteredCharger(s);
    await s.sessions.start(a, aStartTransaction(idTag));
    const tokenFk = (await t.db('id_tokens').where({ uid: idTag }).first()).id;

    // Act: asked from another charger, and the statement explained with sequential scans ruled out where an index serves
    let sql = '';
    let bindings: readonly unknown[] = [];
    const capture = (q: { sql: string; bindings: readonly unknown[] }) => void (/from "sessions"/.test(q.sql) ? ((sql = q.sql), (bindings = q.bindings)) : undefined);
    t.db.on('query', capture);
    const elsewhere = await hasActiveSessionOfTokenElsewhere(t.db, tokenFk, { chargePointId: 'SOMEWHERE-ELSE' });
    t.db.off('query', capture);
    const plan = await t.db.transaction(async (trx) => {
      await trx.raw('set local enable_seqscan = off');
      return (await trx.raw(`explain (format json) ${sql.replace(/\$\d+/g, '?')}`, bindings as any[])).rows[0]['QUERY PLAN'][0].Plan;
    });

    // Assert
    expect(elsewhere).to.equal(true);
    expect(planNodes(plan).map((n) => n['Index Name']).filter(Boolean)).to.include('sessions_active_token');
  });
});
