// Root mocha set-up: loaded once before every spec (see .mocharc.json).
process.env.LOG_LEVEL ??= 'error';
// `cpms` processes the tests start (bin/cpms.js) run the TypeScript sources under test, not a dist/ built
// earlier; test/e2e/cli/compiled.test.ts starts the compiled code on purpose.
process.env.CPMS_FROM_SOURCE ??= '1';

// nock 15 (@mswjs/interceptors) calls Promise.withResolvers on every socket it sees, also the ones it
// lets through (chargers' WebSockets to 127.0.0.1); Node 20 lacks it (added in Node 22).
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
