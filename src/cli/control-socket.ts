// The control socket of `cpms serve` on the embedded database (issue 7): a CLI command started on the same
// DATA_DIR while the server runs cannot open the database (one owner, see db/owner-lock.ts), so it has the
// server run the very same command in-process, on the server's database and running services.
//
// Protocol: newline-delimited JSON over a Unix socket `DATA_DIR/cpms.sock` (owner-only permissions: a peer
// that can connect is the same user as the server). The client sends one line {"args": [...]} (the argv
// after `cpms`); the server answers {"out": line} for each line the command prints, then {"exit": code}.
import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from '../shared/logger.ts';

type Out = (line: string) => void;

/** Path of the control socket of the server owning `dataDir`. */
export const controlSocketPath = (dataDir: string): string => join(resolve(dataDir), 'cpms.sock');

// sun_path holds 104 bytes on macOS (108 on Linux) including the terminating NUL.
const MAX_SOCKET_PATH = 103;
const MAX_REQUEST_BYTES = 64 * 1024;

export interface ControlServer {
  readonly path: string;
  /** Stops taking commands; resolves once the commands already running have finished. */
  close(): Promise<void>;
}

export interface ControlServerOptions {
  dataDir: string;
  logger: Logger;
  /** Runs one CLI command (argv after `cpms`) in the server; resolves with its exit code. */
  run(args: string[], out: Out): Promise<number>;
}

/**
 * Listens on the control socket of `dataDir`, or returns undefined (with a warning) where the path does not
 * fit a Unix socket. Call only while holding the data directory's owner lock: any socket file already
 * there was left by a previous owner that died, and is removed.
 */
export async function listenControlSocket(o: ControlServerOptions): Promise<ControlServer | undefined> {
  const path = controlSocketPath(o.dataDir);
  // Windows has named pipes instead of socket files (not supported here); sun_path has a size limit.
  const unusable = process.platform === 'win32' ? 'Unix sockets are not available on Windows' : Buffer.byteLength(path) > MAX_SOCKET_PATH ? `${path} is longer than a Unix socket path may be (use a shorter DATA_DIR)` : undefined;
  if (unusable) {
    o.logger.warn(`no CLI control socket: ${unusable}; CLI commands on this DATA_DIR are refused while the server runs`, { interface: 'cli' });
    return undefined;
  }
  rmSync(path, { force: true });
  const running = new Set<Promise<void>>();
  const idle = new Set<Socket>();
  const server = createServer((socket) => {
    idle.add(socket);
    socket.on('error', () => socket.destroy()); // a client that went away: its command still finishes
    readRequest(socket, (args) => {
      idle.delete(socket);
      const done = serveRequest(socket, args, o).finally(() => running.delete(done));
      running.add(done);
    });
    socket.once('close', () => idle.delete(socket));
  });
  // Owner-only from the moment it exists: the socket file is created by the synchronous bind in listen().
  const umask = process.umask(0o177);
  try {
    server.listen(path);
  } finally {
    process.umask(umask);
  }
  await new Promise<void>((res, rej) => (server.listening ? res() : server.once('listening', res).once('error', rej)));
  chmodSync(path, 0o600);
  return {
    path,
    async close() {
      const closed = new Promise<void>((res) => server.close(() => res()));
      for (const socket of idle) socket.destroy();
      await Promise.allSettled([...running]);
      await closed;
      rmSync(path, { force: true });
    },
  };
}

/** Reads the request line; a malformed or oversized request is answered with exit code 2 and closed. */
function readRequest(socket: Socket, onArgs: (args: string[]) => void): void {
  let buffered = '';
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString('utf8');
    const end = buffered.indexOf('\n');
    if (end < 0 && buffered.length <= MAX_REQUEST_BYTES) return;
    socket.off('data', onData);
    const args = end < 0 ? undefined : parseArgs(buffered.slice(0, end));
    if (args) onArgs(args);
    else socket.end(`${JSON.stringify({ out: 'error: malformed control request' })}\n${JSON.stringify({ exit: 2 })}\n`);
  };
  socket.on('data', onData);
}

function parseArgs(line: string): string[] | undefined {
  try {
    const { args } = JSON.parse(line) as { args?: unknown };
    return Array.isArray(args) && args.every((a) => typeof a === 'string') ? args : undefined;
  } catch {
    return undefined; // answered as a malformed request
  }
}

async function serveRequest(socket: Socket, args: string[], o: ControlServerOptions): Promise<void> {
  const send = (message: object): void => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
  };
  let code: number;
  try {
    code = await o.run(args, (line) => send({ out: line }));
  } catch (err) {
    // run() maps the command's errors to exit codes itself; this is a fault of the socket layer.
    o.logger.error('CLI command from the control socket failed', { interface: 'cli', err });
    send({ out: `error: ${(err as Error).message}` });
    code = 1;
  }
  send({ exit: code });
  socket.end();
}

/**
 * Has the server owning the data directory run `args`; prints what it prints and resolves with its exit
 * code. Rejects with the connection error (ENOENT, ECONNREFUSED) when no server listens there, and with
 * an Error when the connection ends before the command did.
 */
export function runOnServer(path: string, args: string[], out: Out): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection(path);
    let failure: NodeJS.ErrnoException | undefined;
    let answered = false;
    let exitCode: number | undefined;
    let buffered = '';
    // Written at once (Node buffers it until connected): no 'connect' listener, whose emulation by
    // in-process interceptors (nock in tests) would hide a refused connection.
    socket.write(`${JSON.stringify({ args })}\n`);
    socket.on('data', (chunk) => {
      answered = true;
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const message = JSON.parse(buffered.slice(0, end)) as { out?: string; exit?: number };
        buffered = buffered.slice(end + 1);
        if (typeof message.out === 'string') out(message.out);
        if (typeof message.exit === 'number') exitCode = message.exit;
      }
    });
    socket.once('error', (err) => (failure = err));
    socket.once('close', () => {
      if (exitCode !== undefined) resolvePromise(exitCode);
      else if (!answered && (failure?.code === 'ENOENT' || failure?.code === 'ECONNREFUSED')) reject(failure);
      else reject(new Error(`the running server closed the control socket ${path} before the command finished; it may or may not have run${failure ? ` (${failure.message})` : ''}`));
    });
  });
}
