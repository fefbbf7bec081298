// The context of the work being done (issue 14): the HTTP request or the charger a log line belongs to. Code
// that handles a request or an OCPP message runs inside `withLogContext`, and the logger adds these fields to
// every line written meanwhile, through promises and timers started there (AsyncLocalStorage).
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContext {
  requestId?: string;
  chargePointId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `ctx` added to the current context (an inner field wins). */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  const outer = storage.getStore();
  return storage.run(outer ? { ...outer, ...ctx } : ctx, fn);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
