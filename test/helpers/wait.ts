// Waiting without sleeping: on domain events, or (only where a write is asynchronous by design) a
// bounded poll of the database.
import type { DomainEventMap, DomainEvents } from '../../src/shared/events.ts';

/** Resolves with the next `event` whose payload matches; subscribe BEFORE causing it. */
export function nextEvent<K extends keyof DomainEventMap>(events: DomainEvents, event: K, matches: (p: DomainEventMap[K]) => boolean = () => true, timeoutMs = 5_000): Promise<DomainEventMap[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = events.on(event, (payload) => {
      if (!matches(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Polls `probe` until it returns a value other than undefined/false; fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
