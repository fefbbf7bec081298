// Races of alerts and webhook deliveries (issue 9), meaningful on the PostgreSQL server (PGlite runs one
// statement at a time): the same alert raised at once by several callers is opened once, and delivery
// passes running at once (two nodes) send each delivery once.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createApp, type App } from '../../../src/app.ts';
import { DeliveryWorker } from '../../../src/webhooks/delivery.worker.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { testConfig } from '../../helpers/app.ts';

describe('integration alerts: races', () => {
  let t: TestDb;
  let app: App;
  const clock = fixedClock(new Date('2026-11-01T00:00:00Z'));
  const logger = createLogger('error');
  logger.silent = true;

  before(async () => {
    t = await createTestDb();
    app = createApp({ config: testConfig(t), db: t.db, logger, clock });
  });
  after(async () => {
    await app.close();
    await t.destroy();
  });

  it('should open one alert when the same kind and subject are raised concurrently, and tell the webhooks once', async () => {
    // Arrange
    await app.services.webhooks.create({ url: 'http://127.0.0.1:9/never-called', secret: 'a-secret-of-sixteen-or-more' });
    const raise = () => app.services.alerts.raise({ kind: 'CONNECTOR_STUCK', severity: 'warning', subject: 'connector:RACE:1:Preparing', chargePointId: 'RACE', connectorId: 1, message: 'race' });

    // Act
    const results = await Promise.all(Array.from({ length: 8 }, raise));

    // Assert
    expect(results.filter(Boolean)).to.have.length(1);
    expect(String((await t.db('alerts').where({ subject: 'connector:RACE:1:Preparing' }).count('* as n').first())!.n)).to.equal('1');
    expect(String((await t.db('webhook_deliveries').where({ alert_fk: results.find(Boolean)!.id }).count('* as n').first())!.n)).to.equal('1');
  });

  it('should send each delivery once when two workers (two nodes) run passes at the same time', async () => {
    // Arrange: a receiver counting requests per delivery id; 20 alerts queued
    await t.db('webhook_deliveries').delete();
    await t.db('webhooks').delete();
    const seen = new Map<string, number>();
    const server = createServer((req, res) => {
      const id = String(req.headers['x-cpms-delivery']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      req.resume();
      req.on('end', () => res.end());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    await app.services.webhooks.create({ url, secret: 'a-secret-of-sixteen-or-more' });
    for (let i = 0; i < 20; i++) await app.services.alerts.raise({ kind: 'CONNECTOR_STUCK', severity: 'warning', subject: `connector:W${i}:1:Finishing`, message: 'x' });
    const worker = () => new DeliveryWorker({ db: t.db, clock, logger, webhooks: app.services.webhooks, timeoutSec: 5, maxAttempts: 3, backoffBaseSec: 1, backoffMaxSec: 1, batchSize: 7 });
    const [a, b] = [worker(), worker()];

    // Act
    try {
      for (let i = 0; i < 3; i++) await Promise.all([a.runOnce(), b.runOnce()]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    // Assert
    expect(seen.size).to.equal(20);
    expect([...seen.values()].every((n) => n === 1)).to.equal(true);
    expect(String((await t.db('webhook_deliveries').whereNot({ status: 'DELIVERED' }).count('* as n').first())!.n)).to.equal('0');
  });
});
