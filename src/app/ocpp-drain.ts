import type { Logger } from '../shared/logger.ts';
import type { ConnectionRegistry } from '../ocpp/connections.ts';

/** RFC 6455 §7.4.1 1001: going away (the server is shutting down). */
export const CLOSE_GOING_AWAY = 1001;

/**
 * Fire-and-forget work that a shutdown must still wait for (connection records): like runDetached, a
 * failure is logged, but `settled()` resolves once everything started so far has finished.
 */
export class TaskTracker {
  private readonly running = new Set<Promise<unknown>>();

  /** Runs `work` in the background; the promise returned settles with it and never rejects (logged). */
  run(logger: Logger, what: string, work: () => Promise<unknown>): Promise<void> {
    const task: Promise<void> = work()
      .then(() => undefined)
      .catch((err: unknown) => void logger.error(`${what} failed`, { err: err instanceof Error ? { message: err.message, stack: err.stack } : err }))
      .finally(() => this.running.delete(task));
    this.running.add(task);
    return task;
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

/** Resolves when `work` does or `ms` have passed, whichever is first. */
async function atMost(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes every socket of the registry for a shutdown, within `graceMs`: calls being handled finish and
 * are answered (calls still waiting are dropped unanswered: the charger sends them again to the node it
 * reconnects to), then each socket is closed with 1001; sockets whose close handshake does not complete
 * in time are terminated. Returns the sockets that were open, for the caller to record.
 */
export async function drainConnections(connections: ConnectionRegistry, graceMs: number): Promise<Array<{ chargePointId: string; connectionId: string }>> {
  const conns = connections.all();
  const deadline = Date.now() + graceMs;
  await atMost(graceMs, Promise.all(conns.map((c) => c.stopTakingCalls())));
  const closed = conns.map((c) => new Promise<void>((resolve) => (c.isClosed ? resolve() : c.once('close', () => resolve()))));
  for (const c of conns) c.close(CLOSE_GOING_AWAY, 'server shutting down');
  await atMost(Math.max(0, deadline - Date.now()), Promise.all(closed));
  connections.closeAll();
  return conns.map((c) => ({ chargePointId: c.identity, connectionId: c.connectionId }));
}
