// Starts the whole app in-process on port 0 on a test database, as `cpms serve` would minus the jobs.
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config/load.ts';
import { systemClock, type Clock } from '../../src/shared/clock.ts';
import { createLogger, type Logger } from '../../src/shared/logger.ts';
import type { PasswordHasher } from '../../src/shared/password.ts';
import { createTestDb, type TestDb } from './db.ts';
import { trackOpen } from './leak-guard.ts';
import { checkDocumentedAnswer } from './openapi-responses.ts';
import { checkOcpiAnswersOf } from './ocpi-contract.ts';

export interface TestApp {
  app: App;
  config: Config;
  db: TestDb['db'];
  /** The database the app runs on: another app may be started on it (startTestApp). */
  testDb: TestDb;
  /** e.g. http://127.0.0.1:40123 */
  httpUrl: string;
  /** The OCPP endpoint without the identity, e.g. ws://127.0.0.1:40123/ocpp */
  ocppUrl: string;
  /** A key of role admin, created for this app. */
  adminKey: string;
  /** Calls the admin API with the admin key (or `opts.key`; null = no key); parses a JSON answer. */
  api(method: string, path: string, body?: unknown, opts?: { key?: string | null; rawBody?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Config keys as paths, e.g. `{ 'ocpp.callTimeoutSec': 1 }`. */
  overrides?: Record<string, unknown>;
  clock?: Clock;
  /** Charger password hashing (e.g. a spy that counts verifications); async scrypt by default. */
  passwords?: PasswordHasher;
  /** The app's logger; a silent one unless TEST_LOG_LEVEL is set. */
  logger?: Logger;
}

/** The config tests run with: defaults, no jobs, loopback, the test database. */
export function testConfig(testDb: Pick<TestDb, 'databaseUrl'>, overrides: Record<string, unknown> = {}): Config {
  return loadConfig({}, { port: 0, host: '127.0.0.1', databaseUrl: testDb.databaseUrl, dataDir: 'memory://', logLevel: 'error', nodeId: 'test-node', 'jobs.enabled': false, 'web.driverRateLimit.perSec': 1000, 'web.driverRateLimit.burst': 1000, ...overrides });
}

export async function startTestApp(testDb: TestDb, opts: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig(testDb, opts.overrides);
  // Expected failures (refused chargers, handler errors) would flood the output: silent unless asked for.
  const logger = opts.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'error');
  if (!opts.logger) logger.silent = !process.env.TEST_LOG_LEVEL;
  const app = createApp({ config, db: testDb.db, logger, clock: opts.clock ?? systemClock, passwords: opts.passwords });
  const { port } = (await app.listen(0, '127.0.0.1')) as AddressInfo;
  let closed = false;
  // Every answer of this app's OCPI interface to a test's fetch is checked against the official OCPI OpenAPI.
  const stopChecking = checkOcpiAnswersOf(`http://127.0.0.1:${port}`);
  const close = async () => {
    if (closed) return;
    closed = true;
    stopChecking();
    await app.close();
  };
  trackOpen({ name: `app on port ${port}`, isOpen: () => !closed, forceClose: close });
  const httpUrl = `http://127.0.0.1:${port}`;
  const { key: adminKey } = await app.services.apiKeys.create('test-admin', 'admin');
  return {
    app,
    config,
    db: testDb.db,
    testDb,
    httpUrl,
    ocppUrl: `ws://127.0.0.1:${port}${config.ocpp.path}`,
    adminKey,
    async api(method, path, body, o = {}) {
      const key = o.key === undefined ? adminKey : o.key;
      const headers: Record<string, string> = {};
      if (key !== null) headers.authorization = `Bearer ${key}`;
      const payload = o.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
      if (payload !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${httpUrl}${path}`, { method, headers, body: payload });
      const text = await res.text();
      const isJson = res.headers.get('content-type')?.includes('application/json') ?? false;
      const parsed = isJson && text ? JSON.parse(text) : text;
      if (isJson) checkDocumentedAnswer(method, path, res.status, parsed);
      return { status: res.status, body: parsed, headers: res.headers };
    },
    close,
  };
}

/**
 * Mocha hooks of a suite that needs the app's services (no HTTP server) on a fresh test database: `use` is given
 * both before the first test; the app is closed and the database dropped after the last.
 */
export function useAppOnTestDb(use: (t: TestDb, app: App) => void): void {
  let t: TestDb;
  let app: App;
  before(async () => {
    t = await createTestDb();
    app = createApp({ config: testConfig(t), db: t.db, logger: createLogger('error'), clock: systemClock });
    use(t, app);
  });
  after(async () => {
    await app.close();
    await t.destroy();
  });
}
