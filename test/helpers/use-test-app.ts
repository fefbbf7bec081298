// One database (and app) per test file, as mocha hooks: `useTestDb()` / `useTestApp()` register the
// `before` that creates it and the `after` that disposes of it, and return a stand-in usable at once
// in the describe body. Mocha runs hooks of one kind in the order they were registered: a hook that
// must run before the disposal (closing a charger, stopping a worker) is registered before the call.
import nock from 'nock';
import { startTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { createTestDb, type TestDb } from './db.ts';

export interface PerFileOptions {
  /**
   * Partners are faked with nock (house style): the network is refused but for 127.0.0.1 from the
   * `before` on, every interceptor is dropped after each test, and the network is allowed again last.
   */
  nock?: boolean;
}

/**
 * Forwards reads and writes to `current()`; one before the `before` hook ran (or after it failed) throws
 * naming `what`. Lets a fixture hand out, in the describe body, an object its `before` hook makes.
 */
export function lazyHandle<T extends object>(what: string, current: () => T | undefined): T {
  const ready = (): T => {
    const value = current();
    if (value === undefined) throw new Error(`${what} is not ready: use it in hooks and tests, after its before hook ran`);
    return value;
  };
  return new Proxy({} as T, {
    get(_target, key) {
      const value = ready();
      return Reflect.get(value, key, value);
    },
    set(_target, key, next) {
      const value = ready();
      return Reflect.set(value, key, next, value);
    },
  });
}

function registerHooks(o: PerFileOptions, setUp: () => Promise<void>, tearDown: () => Promise<void>): void {
  before(async () => {
    if (o.nock) {
      nock.disableNetConnect();
      nock.enableNetConnect('127.0.0.1');
    }
    await setUp();
  });
  if (o.nock) afterEach(() => nock.cleanAll());
  after(async () => {
    await tearDown();
    if (o.nock) nock.enableNetConnect();
  });
}

/** A fresh migrated database for this file (see createTestDb), dropped in `after`. */
export function useTestDb(o: PerFileOptions = {}): TestDb {
  let tdb: TestDb | undefined;
  registerHooks(o, async () => {
    tdb = await createTestDb();
  }, async () => {
    await tdb?.destroy();
  });
  return lazyHandle('the test database', () => tdb);
}

/** The whole app on port 0 on a fresh database for this file (see startTestApp); closed, then dropped, in `after`. */
export function useTestApp(o: TestAppOptions & PerFileOptions = {}): TestApp {
  let tdb: TestDb | undefined;
  let t: TestApp | undefined;
  registerHooks(o, async () => {
    tdb = await createTestDb();
    t = await startTestApp(tdb, { overrides: o.overrides, clock: o.clock, passwords: o.passwords, logger: o.logger });
  }, async () => {
    await t?.close();
    await tdb?.destroy();
  });
  return lazyHandle('the test app', () => t);
}
