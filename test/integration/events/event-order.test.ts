// Live events become visible in id order (issue 9, Last-Event-ID): a reader that read up to id N must never
// see a smaller id appear later, or a resume after N would skip it. Concurrent inserts on many connections
// (as several nodes make) are raced against a reader that only ever asks for ids after the last it saw.
import { expect } from 'chai';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { insertEvents, listEventsAfter, maxEventId } from '../../../src/events/event.repo.ts';
import type { NewLiveEvent } from '../../../src/events/event.types.ts';

const anEvent = (i: number): NewLiveEvent => ({ type: 'connector.status', chargePointId: `CP${i % 7}`, locationId: null, occurredAt: new Date(), data: { i } });

describe('integration events: ids visible in order', () => {
  const t = useTestDb();

  it('should let a reader that follows the newest id see every event stored by concurrent writers', async () => {
    // Arrange
    const stored: number[] = [];
    let writing = true;
    const seen: number[] = [];
    const reader = (async () => {
      let cursor = 0;
      let last = false;
      while (!last) {
        last = !writing; // one more read once every writer is done
        for (const e of await listEventsAfter(t.db, cursor, {}, 1000)) {
          seen.push(e.id);
          cursor = e.id;
        }
      }
    })();
    // Act: 8 writers of 25 batches each, racing
    await Promise.all(
      Array.from({ length: 8 }, async (_w, w) => {
        for (let b = 0; b < 25; b++) stored.push(...(await insertEvents(t.db, [anEvent(w * 100 + b), anEvent(w * 100 + b + 50)])));
      }),
    );
    writing = false;
    await reader;
    // Assert
    expect(seen).to.deep.equal([...stored].sort((a, b) => a - b));
  });

  it('should keep the order of one batch in its ids', async () => {
    // Act
    const ids = await insertEvents(t.db, [anEvent(1), anEvent(2), anEvent(3)]);
    // Assert
    const rows = await listEventsAfter(t.db, ids[0]! - 1, {}, 10);
    expect(rows.map((r) => r.data.i)).to.deep.equal([1, 2, 3]);
    expect(ids).to.deep.equal([ids[0], ids[0]! + 1, ids[0]! + 2]);
  });

  it('should store a batch in one statement, data with quotes, backslashes and nulls intact', async () => {
    // Arrange: what the database is asked, as knex reports it
    const sql: string[] = [];
    const onQuery = (q: { sql: string }) => void sql.push(q.sql);
    t.db.on('query', onQuery);
    const data = { text: 'say "hi" \\ {x,y}', none: null, kWh: 1.5, nested: { list: [1, 'a'] } };
    // Act
    let ids: number[];
    try {
      ids = await insertEvents(t.db, [
        { type: 'alert.opened', chargePointId: null, locationId: 'LOC-1', occurredAt: new Date('2026-12-06T10:00:00.123Z'), data },
        anEvent(4),
      ]);
    } finally {
      t.db.off('query', onQuery);
    }
    // Assert: no BEGIN/COMMIT around it, both events stored as given
    expect(sql).to.have.length(1);
    expect(sql[0]).to.match(/^insert into events/);
    const [first, second] = await listEventsAfter(t.db, ids[0]! - 1, {}, 10);
    expect(first).to.deep.include({ id: ids[0], type: 'alert.opened', chargePointId: null, locationId: 'LOC-1', data });
    expect(first!.occurredAt.toISOString()).to.equal('2026-12-06T10:00:00.123Z');
    expect(second).to.deep.include({ id: ids[1], chargePointId: 'CP4', data: { i: 4 } });
  });

  it('should store nothing and ask nothing for no events', async () => {
    // Arrange
    const before = await maxEventId(t.db);
    // Act
    const ids = await insertEvents(t.db, []);
    // Assert
    expect(ids).to.deep.equal([]);
    expect(await maxEventId(t.db)).to.equal(before);
  });
});
