// onTableWrites: what drops the per-node Authorize memos (issue 8) when this node writes a watched table.
import { expect } from 'chai';
import { onTableWrites, writtenTables } from '../../../src/db/table-writes.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';

describe('integration db table writes', () => {
  const t = useTestApp();

  it('should name the table a statement writes, and none for a read', () => {
    expect(writtenTables('insert into "id_tokens" ("uid") values ($1)')).to.deep.equal(['id_tokens']);
    expect(writtenTables('update "access_rules" set "x" = $1')).to.deep.equal(['access_rules']);
    expect(writtenTables('delete from "drivers" where "id" = $1')).to.deep.equal(['drivers']);
    expect(writtenTables('with x as (update "evses" set a = 1 returning *) select * from x')).to.deep.equal(['evses']);
    expect(writtenTables('select * from "id_tokens" where "uid" = $1')).to.deep.equal([]);
  });

  it('should call the listener on a write to a watched table, not on a read or another table', async () => {
    // Arrange
    let calls = 0;
    const stop = onTableWrites(t.db, ['access_refusals'], () => (calls += 1));

    // Act
    await t.db('access_refusals').select('id').limit(1);
    await t.db('drivers').insert({ name: 'A', email: null, created_at: new Date('2026-01-01T00:00:00Z'), updated_at: new Date('2026-01-01T00:00:00Z') });
    const afterUnrelated = calls;
    await t.db('access_refusals').where({ id: -1 }).delete();
    stop();
    await t.db('access_refusals').where({ id: -1 }).delete();

    // Assert
    expect([afterUnrelated, calls]).to.deep.equal([0, 1]);
  });

  it('should call the listener again when the transaction that wrote commits', async () => {
    // Arrange
    let calls = 0;
    const stop = onTableWrites(t.db, ['drivers'], () => (calls += 1));
    let inTransaction = 0;

    // Act
    await t.db.transaction(async (trx) => {
      await trx('drivers').insert({ name: 'B', email: null, created_at: new Date('2026-01-01T00:00:00Z'), updated_at: new Date('2026-01-01T00:00:00Z') });
      inTransaction = calls;
    });
    stop();

    // Assert
    expect([inTransaction, calls]).to.deep.equal([1, 2]);
  });

  it('should not call a listener that names its columns on an update of that table naming none of them (status, last seen), and call it otherwise', async () => {
    // Arrange: a charger at no location; a watch of where chargers are, as the access and Authorize memos keep
    const id = `TW-${Date.now()}`;
    await t.db('charge_points').insert({ id });
    let calls = 0;
    const stop = onTableWrites(t.db, ['charge_points', 'connectors'], () => (calls += 1), { columns: { charge_points: ['location_id'], connectors: ['evse_fk'] } });
    const counted = async (write: () => Promise<unknown>) => {
      const before = calls;
      await write();
      return calls - before;
    };

    // Act
    const lastSeen = await counted(() => t.db.raw('update charge_points c set last_seen_at = greatest(c.last_seen_at, v.seen_at) from (select ?::text as id, now() as seen_at) v where c.id = v.id', [id]));
    const status = await counted(() => t.db('charge_points').where({ id }).update({ is_online: true }));
    const connectorStatus = await counted(() => t.db.raw('update connectors c set ocpp_status = v.status from unnest(?::int[], ?::text[]) as v(id, status) where c.id = v.id', ['{-1}', '{Available}']));
    const moved = await counted(() => t.db('charge_points').where({ id }).update({ location_id: null }));
    const comparedIn = await counted(() => t.db.raw('update charge_points set is_online = false where location_id = ? and id = ?', [-1, id]));
    const inserted = await counted(() => t.db('charge_points').insert({ id: `${id}-2` }));
    stop();

    // Assert
    expect({ lastSeen, status, connectorStatus, moved, comparedIn, inserted }).to.deep.equal({ lastSeen: 0, status: 0, connectorStatus: 0, moved: 1, comparedIn: 1, inserted: 1 });
  });
});
