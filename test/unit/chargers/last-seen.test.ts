// LastSeenService's memory (issue 8), with a fake database handle that records the bulk writes: which
// messages go through the database, what a flush writes, and what it does with the state it reads back.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { FLUSH_CHUNK, LastSeenService } from '../../../src/chargers/last-seen.service.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { DomainEvents } from '../../../src/shared/events.ts';
import { createLogger } from '../../../src/shared/logger.ts';

const T0 = new Date('2030-03-01T10:00:00Z');

function aLastSeen(o: { isOnline?: boolean; failing?: () => boolean } = {}) {
  const clock = fixedClock(T0);
  const events = new DomainEvents();
  const viaDatabase: string[] = [];
  const writes: Array<Array<{ id: string; seen_at: string; heartbeat_at: string | null }>> = [];
  const db = {
    raw: async (_sql: string, bindings: [string]) => {
      if (o.failing?.()) throw Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });
      const rows = JSON.parse(bindings[0]) as Array<{ id: string; seen_at: string; heartbeat_at: string | null }>;
      writes.push(rows);
      return { rows: rows.map((r) => ({ id: r.id, registration_status: 'Accepted', is_online: o.isOnline ?? true })) };
    },
  } as unknown as Knex;
  const chargers = {
    markSeen: async (id: string) => (viaDatabase.push(`seen ${id}`), 'Accepted' as const),
    heartbeat: async (id: string) => (viaDatabase.push(`heartbeat ${id}`), { at: clock.now(), registrationStatus: 'Accepted' as const }),
  };
  const logger = createLogger('error');
  logger.silent = true;
  const lastSeen = new LastSeenService({ db, clock, logger, chargers, events, flushMs: 2000 });
  return { lastSeen, clock, events, viaDatabase, writes };
}

describe('LastSeenService', () => {
  it('should go through the database for a charger first seen only, and write the latest times of all chargers in one statement at the flush (up to FLUSH_CHUNK chargers)', async () => {
    // Arrange
    const { lastSeen, clock, viaDatabase, writes } = aLastSeen();

    // Act
    await lastSeen.markSeen('A');
    await lastSeen.markSeen('B');
    clock.advance(1000);
    await lastSeen.markSeen('A');
    await lastSeen.heartbeat('A');
    clock.advance(1000);
    await lastSeen.markSeen('A');
    await lastSeen.flush();
    await lastSeen.flush(); // nothing new: no statement

    // Assert
    expect(viaDatabase).to.deep.equal(['seen A', 'seen B']);
    expect(writes).to.deep.equal([[{ id: 'A', seen_at: '2030-03-01T10:00:02.000Z', heartbeat_at: '2030-03-01T10:00:01.000Z' }]]);
  });

  it('OCPP16 §4.6: should go through the database for the first Heartbeat only of a charger that sends nothing else (an idle charger)', async () => {
    // Arrange
    const { lastSeen, clock, viaDatabase, writes } = aLastSeen();

    // Act
    await lastSeen.heartbeat('A');
    clock.advance(1000);
    await lastSeen.heartbeat('A');
    clock.advance(1000);
    const answered = await lastSeen.heartbeat('A');
    await lastSeen.flush();

    // Assert
    expect(viaDatabase).to.deep.equal(['heartbeat A']);
    expect(answered).to.deep.equal(new Date('2030-03-01T10:00:02.000Z'));
    expect(writes).to.deep.equal([[{ id: 'A', seen_at: '2030-03-01T10:00:02.000Z', heartbeat_at: '2030-03-01T10:00:02.000Z' }]]);
  });

  it('should keep the times of a failed flush for the next one', async () => {
    let isDown = true;
    const { lastSeen, clock, writes } = aLastSeen({ failing: () => isDown });
    await lastSeen.markSeen('A');
    clock.advance(1000);
    await lastSeen.heartbeat('A');

    const failed = await lastSeen.flush().then(() => 'flushed', () => 'failed');
    isDown = false;
    await lastSeen.flush();

    expect(failed).to.equal('failed');
    expect(writes).to.deep.equal([[{ id: 'A', seen_at: '2030-03-01T10:00:01.000Z', heartbeat_at: '2030-03-01T10:00:01.000Z' }]]);
  });

  it('should write a large fleet in statements of FLUSH_CHUNK chargers, and keep for the next flush the chunks a failure left unwritten', async () => {
    // Arrange: 2.5 chunks of chargers seen; the second statement fails
    let calls = 0;
    const { lastSeen, clock, writes } = aLastSeen({ failing: () => ++calls === 2 });
    const ids = Array.from({ length: FLUSH_CHUNK * 2 + FLUSH_CHUNK / 2 }, (_, i) => `CP${String(i).padStart(5, '0')}`);
    for (const id of ids) await lastSeen.markSeen(id);
    clock.advance(1000);
    for (const id of ids) await lastSeen.markSeen(id);

    // Act
    const first = await lastSeen.flush().then(() => 'flushed', () => 'failed');
    await lastSeen.flush();

    // Assert: the first chunk once; the failed chunk and the one after it at the next flush
    expect(first).to.equal('failed');
    expect(writes.map((w) => w.length)).to.deep.equal([FLUSH_CHUNK, FLUSH_CHUNK, FLUSH_CHUNK / 2]);
    expect(writes.flat().map((r) => r.id)).to.deep.equal(ids);
  });

  it('should send the next message of a charger through the database once a flush read that it is offline', async () => {
    const { lastSeen, viaDatabase } = aLastSeen({ isOnline: false });
    await lastSeen.markSeen('A');
    await lastSeen.markSeen('A');

    await lastSeen.flush();
    await lastSeen.markSeen('A');

    expect(viaDatabase).to.deep.equal(['seen A', 'seen A']);
  });

  it('should send the next message through the database after the charger (re)connected or was marked offline on this node', async () => {
    const { lastSeen, events, viaDatabase } = aLastSeen();
    await lastSeen.markSeen('A');
    await lastSeen.markSeen('B');

    events.emit('charger.connected', { chargePointId: 'A' });
    events.emit('charger.offline', { chargePointId: 'B' });
    await lastSeen.markSeen('A');
    await lastSeen.markSeen('B');

    expect(viaDatabase).to.deep.equal(['seen A', 'seen B', 'seen A', 'seen B']);
  });
});
