// Issue 8: last-seen and heartbeat times are kept in memory and written in bulk (ingest.lastSeenFlushMs);
// what reads them (offline detection, stale sessions) sees them within one flush, and a graceful stop
// writes them. The periodic flush is set far off here: the tests flush by hand.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { startTestApp } from '../../helpers/app.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { aStatusNotification } from '../../fixtures/chargers.ts';

describe('e2e OCPP last-seen kept in memory', () => {
  const T0 = new Date('2030-06-01T08:00:00Z');
  const clock = fixedClock(T0);
  const t = useTestApp({ clock, overrides: { 'ingest.lastSeenFlushMs': 60_000 } });
  beforeEach(() => clock.set(T0));

  const row = async (id: string) => t.db('charge_points').where({ id }).first();

  it('should answer messages without writing last_seen_at / last_heartbeat_at, and write the latest times of many chargers at the flush', async () => {
    // Arrange
    const a = await aBootedCharger(t);
    const b = await aBootedCharger(t);
    await a.client.call('StatusNotification', aStatusNotification()); // the first message reads the charger once

    // Act
    clock.advance(60_000);
    await a.client.call('Heartbeat', {});
    await b.client.call('Heartbeat', {});
    await a.client.call('StatusNotification', aStatusNotification());
    const beforeFlush = (await row(a.id)).last_heartbeat_at?.toISOString() ?? null;
    clock.advance(1000);
    await a.client.call('StatusNotification', aStatusNotification());
    await t.app.services.lastSeen.flush();
    await a.client.close();
    await b.client.close();

    // Assert
    expect(beforeFlush).to.equal(null);
    const [ra, rb] = [await row(a.id), await row(b.id)];
    expect([ra.last_seen_at.toISOString(), ra.last_heartbeat_at.toISOString()]).to.deep.equal([new Date(T0.getTime() + 61_000).toISOString(), new Date(T0.getTime() + 60_000).toISOString()]);
    expect(rb.last_heartbeat_at.toISOString()).to.equal(new Date(T0.getTime() + 60_000).toISOString());
  });

  it('OCPP16 §4.6: should bring back online, at its next message, a charger another node marked offline (seen at the flush)', async () => {
    // Arrange: cached as online here; the database says offline (another node's offline detection)
    const { id, client } = await aBootedCharger(t);
    await client.call('StatusNotification', aStatusNotification());
    await t.db('charge_points').where({ id }).update({ is_online: false });
    await client.call('StatusNotification', aStatusNotification());
    await t.app.services.lastSeen.flush();

    // Act
    await client.call('StatusNotification', aStatusNotification());
    await client.close();

    // Assert
    expect((await row(id)).is_online).to.equal(true);
  });

  it('OCPP16 §4.2.1: should refuse a transaction message once a flush read that the charger is no longer Accepted', async () => {
    const { id, client } = await aBootedCharger(t);
    await client.call('StatusNotification', aStatusNotification());
    await t.db('charge_points').where({ id }).update({ registration_status: 'Rejected' });
    await client.call('StatusNotification', aStatusNotification());
    await t.app.services.lastSeen.flush();

    const refused = await client.call('Authorize', { idTag: 'ANY' }).then(() => 'answered', (e: { rpcErrorCode?: string }) => e.rpcErrorCode);
    await client.close();

    expect(refused).to.equal('SecurityError');
  });

  it('should write the times kept in memory when the app stops gracefully', async () => {
    // Arrange: a second app on the same database, stopped while it holds an unwritten heartbeat
    const other = await startTestApp(t.testDb, { clock, overrides: { 'ingest.lastSeenFlushMs': 60_000 } });
    const { id, client } = await aBootedCharger(other);
    await client.call('StatusNotification', aStatusNotification());
    clock.advance(5000);
    await client.call('Heartbeat', {});

    // Act
    await other.close();
    await client.close();

    // Assert
    expect((await row(id)).last_heartbeat_at.toISOString()).to.equal(new Date(T0.getTime() + 5000).toISOString());
  });
});
