import type { Logger } from './logger.ts';

/**
 * Runs a promise without awaiting it, logging a rejection instead of leaving it unhandled.
 * The only sanctioned way to fire and forget.
 */
export function runDetached(logger: Logger, what: string, work: () => Promise<unknown>): void {
  work().catch((err: unknown) => logger.error(`${what} failed`, { err: err instanceof Error ? { message: err.message, stack: err.stack } : err }));
}
