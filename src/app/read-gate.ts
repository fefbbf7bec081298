// New connections read a bounded number at a time (issue 8, reconnect storm). When 10,000 chargers reconnect
// at once, the server accepts their sockets as they come, and their WebSocket handshake requests then arrive
// together: libuv reads every readable socket in one poll phase before timers run, and Node parses each
// request there (~40–130 µs), so the node stalled for up to a second with nothing else served. Accepted
// sockets are therefore held paused, and at most `maxArmed` are reading while waiting for their first
// request; one is let read as another's request arrives or it closes. A socket whose request has not come
// within a short wait is paused again and goes to the back of the queue (its request waits in the kernel), so
// a poll phase parses at most that many new requests. Sockets past their first request are not affected.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';

export interface ReadGateOptions {
  /** How many new sockets may read at once while their first request has not arrived. */
  maxArmed: number;
  /** A socket whose request has not come after this is stopped and waits again, behind the others. */
  armedTimeoutMs: number;
}

/** The gate's bookkeeping, apart from sockets: items wait in order and at most `maxArmed` are armed. */
export class ReadGate<T extends object> {
  private readonly waiting: T[] = [];
  private head = 0;
  private readonly armed = new Map<T, NodeJS.Timeout>();

  constructor(
    private readonly o: ReadGateOptions,
    private readonly start: (item: T) => void,
    private readonly stop: (item: T) => void,
    private readonly isGone: (item: T) => boolean = () => false,
  ) {
    if (!(o.maxArmed >= 1)) throw new RangeError('maxArmed must be at least 1');
  }

  /** A new item: armed at once while there is room, otherwise when others settle. */
  admit(item: T): void {
    this.waiting.push(item);
    this.pump();
  }

  /** The item's first request arrived (or it is gone): it no longer counts, and the next one may read. */
  settle(item: T): void {
    const timer = this.armed.get(item);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.armed.delete(item);
    this.pump();
  }

  /** An armed item whose request has not come: stopped, and back in the queue behind the others. */
  private requeue(item: T): void {
    if (!this.armed.delete(item)) return;
    this.stop(item);
    this.waiting.push(item);
    this.pump();
  }

  get armedCount(): number {
    return this.armed.size;
  }

  get waitingCount(): number {
    return this.waiting.length - this.head;
  }

  private pump(): void {
    while (this.armed.size < this.o.maxArmed && this.head < this.waiting.length) {
      const item = this.waiting[this.head++]!;
      if (this.isGone(item)) continue;
      const timer = setTimeout(() => this.requeue(item), this.o.armedTimeoutMs);
      timer.unref();
      this.armed.set(item, timer);
      this.start(item);
    }
    // The queue's consumed head is dropped now and then, not on every shift.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * Makes the plain HTTP server `server` accept sockets paused and let them read through a ReadGate. An HTTPS
 * server is left as it is: its TLS layer reads the socket itself from the start (terminate TLS at a load
 * balancer for large fleets, see README). Returns the gate, or undefined when none was attached.
 */
export function gateNewConnections(server: Server, o: ReadGateOptions): ReadGate<Socket> | undefined {
  if (server instanceof TlsServer) return undefined;
  const gate = new ReadGate<Socket>(o, (socket) => socket.resume(), (socket) => socket.pause(), (socket) => socket.destroyed);
  // net.Server reads this on each accepted connection (`pauseOnConnect`, which http.createServer does not take).
  (server as Server & { pauseOnConnect: boolean }).pauseOnConnect = true;
  // Before Node's HTTP listener, which only sets the parser up: the socket stays paused until its turn.
  server.prependListener('connection', (socket: Socket) => {
    socket.once('close', () => gate.settle(socket));
    gate.admit(socket);
  });
  server.prependListener('request', (req) => gate.settle(req.socket));
  server.prependListener('upgrade', (req) => gate.settle(req.socket));
  return gate;
}
