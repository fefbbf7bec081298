import type { WebSocket } from 'ws';
import type { Logger } from '../shared/logger.ts';

/** RFC 6455 §7.4.1 1008: policy violation (here: silent for longer than the charger is allowed). */
export const CLOSE_POLICY = 1008;

export interface WatchOptions {
  /** Close unless a BootNotification arrives within this (sockets without credentials, or not Accepted). */
  firstMessageTimeoutMs?: number;
  /** Close after this long without a frame from the charger (messages and its own pings; not pongs). */
  idleTimeoutMs: number;
}

export interface Watch {
  /** A BootNotification was answered: no first-message limit any more, and this idle allowance. */
  booted(idleTimeoutMs: number): void;
}

interface Watched {
  answered: boolean;
  log: Logger;
}

/**
 * Finds dead and silent charger sockets. Every `pingIntervalMs` each socket is pinged, and one that did not
 * answer the previous ping is terminated (a half-open TCP connection is otherwise noticed minutes later).
 * Per socket, a first-message timer and an idle timer close sockets that never speak.
 */
export class Liveness {
  private readonly sockets = new Map<WebSocket, Watched>();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(pingIntervalMs: number) {
    if (pingIntervalMs > 0) {
      this.timer = setInterval(() => this.sweep(), pingIntervalMs);
      this.timer.unref();
    }
  }

  watch(ws: WebSocket, o: WatchOptions, log: Logger): Watch {
    this.sockets.set(ws, { answered: true, log });
    ws.on('pong', () => {
      const w = this.sockets.get(ws);
      if (w) w.answered = true;
    });
    const close = (reason: string) => {
      log.warn('closing silent charger socket', { code: CLOSE_POLICY, reason });
      ws.close(CLOSE_POLICY, reason);
    };
    const idleTimer = (ms: number) => setTimeout(() => close(`no message for ${Math.round(ms / 1000)} s`), ms);
    let idle = idleTimer(o.idleTimeoutMs);
    let first = o.firstMessageTimeoutMs === undefined ? undefined : setTimeout(() => close(`no BootNotification within ${Math.round(o.firstMessageTimeoutMs! / 1000)} s`), o.firstMessageTimeoutMs);
    const onActivity = () => idle.refresh();
    ws.on('message', onActivity);
    ws.on('ping', onActivity);
    let isClosed = false;
    ws.once('close', () => {
      isClosed = true;
      clearTimeout(idle);
      clearTimeout(first);
      this.sockets.delete(ws);
    });
    return {
      booted(idleTimeoutMs) {
        if (isClosed) return;
        clearTimeout(first);
        first = undefined;
        clearTimeout(idle);
        idle = idleTimer(idleTimeoutMs);
      },
    };
  }

  private sweep(): void {
    for (const [ws, w] of this.sockets) {
      if (!w.answered) {
        w.log.warn('charger socket did not answer the last ping: terminated');
        ws.terminate();
        continue;
      }
      w.answered = false;
      ws.ping();
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
