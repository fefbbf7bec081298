// Lookups by (charger, id) pairs at the size of a full group-commit batch (issue 8). The embedded engine
// (PGlite) answered a row-value IN list of a few hundred tuples with no rows at all, and was broken for
// every later statement ("BeginTransactionBlock: unexpected state END"): a burst of 1,000 StartTransactions
// then stored MeterValues without their session. The pairs now go in as two arrays.
import { expect } from 'chai';
import type { App } from '../../../src/app.ts';
import { newUuid } from '../../../src/shared/ids.ts';
import { listSessionsOfChargePoints } from '../../../src/sessions/meter-batch.repo.ts';
import { releaseConnections } from '../../../src/chargers/connection.repo.ts';
import type { TestDb } from '../../helpers/db.ts';
import { useAppOnTestDb } from '../../helpers/app.ts';
import { aChargerId, aRegisteredCharger, aStartTransaction, aToken } from '../../fixtures/chargers.ts';

const BATCH = 1000;

describe('integration db: lookups by (charger, id) pairs of a whole batch', () => {
  let t: TestDb;
  let app: App;

  useAppOnTestDb((db, a) => ((t = db), (app = a)));

  it('should find the sessions named among 1,000 (charger, transaction) pairs, and only within their own charger', async () => {
    // Arrange: two real sessions, each also named with the other's charger, and 996 pairs naming nothing
    const s = app.services;
    const a = await aRegisteredCharger(s);
    const b = await aRegisteredCharger(s);
    const ta = (await s.sessions.start(a, aStartTransaction(await aToken(s)))).transactionId;
    const tb = (await s.sessions.start(b, aStartTransaction(await aToken(s)))).transactionId;
    const noise = Array.from({ length: BATCH - 4 }, (_, i) => [`NOBODY-${i}`, i + 1] as const);
    const pairs = [[a, ta] as const, ...noise.slice(0, 500), [b, ta] as const, [a, tb] as const, ...noise.slice(500), [b, tb] as const];

    // Act
    const found = await listSessionsOfChargePoints(t.db, pairs);

    // Assert: and the engine still answers a transaction afterwards
    expect(found.map((x) => [x.chargePointId, x.id]).sort()).to.deep.equal([[a, ta], [b, tb]].sort());
    expect(await t.db.transaction(async (trx) => (await trx.raw('select 1 as one')).rows[0].one)).to.equal(1);
  });

  it('should release the chargers still naming one of 1,000 (charger, socket) pairs, and no other', async () => {
    // Arrange: one charger on this node's socket, one whose row names a newer socket
    const node = 'node-pairs';
    const [mine, moved] = [aChargerId('pair'), aChargerId('pair')];
    const [socket, oldSocket, newSocket] = [newUuid(), newUuid(), newUuid()];
    await t.db('charge_points').insert([
      { id: mine, registration_status: 'Accepted', is_connected: true, connected_node: node, connection_id: socket },
      { id: moved, registration_status: 'Accepted', is_connected: true, connected_node: node, connection_id: newSocket },
    ]);
    const noise = Array.from({ length: BATCH - 2 }, (_, i): [string, string] => [`NOBODY-${i}`, newUuid()]);

    // Act
    const released = await releaseConnections(t.db, node, [...noise.slice(0, 600), [mine, socket], [moved, oldSocket], ...noise.slice(600)], new Date());

    // Assert
    expect(released).to.deep.equal([mine]);
    const rows = await t.db('charge_points').whereIn('id', [mine, moved]).orderBy('id').select('id', 'is_connected');
    expect(new Map(rows.map((r) => [r.id, r.is_connected]))).to.deep.equal(new Map([[mine, false], [moved, true]]));
  });
});
