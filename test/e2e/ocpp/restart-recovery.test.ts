// After a crash the database still says "connected" for the chargers the dead process held. On start-up
// a node releases them: all of them when it runs alone (no cluster bus), only its own in a cluster.
import { expect } from 'chai';
import { startTestApp, testConfig } from '../../helpers/app.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { isRedisUp, REDIS_URL } from '../../helpers/redis.ts';
import { aRegisteredCharger } from '../../fixtures/chargers.ts';
import { createApp, type App } from '../../../src/app.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';

function silentLogger() {
  const logger = createLogger('error');
  logger.silent = true;
  return logger;
}

describe('e2e start-up releases connections left by a crashed node', () => {
  // Only to register chargers through the service; its own start-up ran on an empty table.
  const seed = useTestApp();

  /** A registered charger the database believes is connected to `node`, as after a crash. */
  async function aChargerLeftConnectedOn(s: App['services'], node: string): Promise<string> {
    const id = await aRegisteredCharger(s);
    await seed.db('charge_points').where({ id }).update({ is_connected: true, connected_node: node, connected_at: new Date() });
    return id;
  }

  const connectionOf = async (id: string) => {
    const row = await seed.db('charge_points').where({ id }).first();
    const events = await seed.db('charge_point_events').where({ charge_point_id: id, type: 'Disconnected' });
    return { isConnected: row.is_connected, node: row.connected_node, disconnectedEvents: events.length };
  };

  it('should mark every charger disconnected and record a Disconnected event when no cluster bus is configured', async () => {
    // Arrange
    const own = await aChargerLeftConnectedOn(seed.app.services, 'test-node');
    const other = await aChargerLeftConnectedOn(seed.app.services, 'some-other-node');
    const never = await aRegisteredCharger(seed.app.services);

    // Act
    const restarted = await startTestApp(seed.testDb, { overrides: { nodeId: 'test-node' } });
    await restarted.close();

    // Assert
    const released = { isConnected: false, node: null, disconnectedEvents: 1 };
    expect(await connectionOf(own)).to.deep.equal(released);
    expect(await connectionOf(other)).to.deep.equal(released);
    expect(await connectionOf(never)).to.deep.equal({ isConnected: false, node: null, disconnectedEvents: 0 });
  });

  it('should leave recorded connections alone when listening with releaseStaleConnections: false (a CLI tool beside a running server)', async () => {
    const held = await aChargerLeftConnectedOn(seed.app.services, 'test-node');
    const config = testConfig(seed.testDb);
    const tool = createApp({ config, db: seed.db, logger: silentLogger(), clock: systemClock });

    await tool.listen(0, '127.0.0.1', { releaseStaleConnections: false });
    await tool.close();

    expect(await connectionOf(held)).to.deep.equal({ isConnected: true, node: 'test-node', disconnectedEvents: 0 });
  });

  it('should release only the chargers of its own node id in a cluster (Redis bus configured)', async function () {
    if (!(await isRedisUp())) {
      console.warn(`    (skipped: no Redis at ${REDIS_URL}; .ci/run starts one)`);
      this.skip();
    }
    // Arrange
    const nodeId = `restart-${process.pid}-${Date.now()}`;
    const own = await aChargerLeftConnectedOn(seed.app.services, nodeId);
    const other = await aChargerLeftConnectedOn(seed.app.services, `${nodeId}-other`);

    // Act
    const restarted = await startTestApp(seed.testDb, { overrides: { nodeId, redisUrl: REDIS_URL } });
    await restarted.close();

    // Assert
    expect(await connectionOf(own)).to.deep.equal({ isConnected: false, node: null, disconnectedEvents: 1 });
    expect(await connectionOf(other)).to.deep.equal({ isConnected: true, node: `${nodeId}-other`, disconnectedEvents: 0 });
  });
});
