// `cpms` as real processes (bin/cpms.js): a server whose log says where it listens, and one-shot commands.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const BIN = new URL('../../bin/cpms.js', import.meta.url).pathname;

export interface LogLine {
  message: string;
  interface?: string;
  url?: string;
  path?: string;
}

/** The environment of a cpms process on the embedded database in `dataDir` (never the CI server). */
export function cpmsEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', JOBS_ENABLED: 'false', LOG_LEVEL: 'info', PUBLIC_URL: '', REDIS_URL: '', ...extra };
}

export interface ServerProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** The log line of each interface (ocpp, admin, health, ocpi, cli). */
  lines: Map<string, LogLine>;
  /** e.g. http://127.0.0.1:40123 */
  httpUrl: string;
  exited: Promise<number | null>;
}

/** Resolves once every interface in `wanted` has logged its line; rejects if the process exits first. */
export function waitForInterfaces(child: ChildProcess, wanted: string[]): Promise<Map<string, LogLine>> {
  const seen = new Map<string, LogLine>();
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`cpms serve exited (${code}) before logging ${wanted.filter((w) => !seen.has(w)).join(', ')}`));
    child.once('exit', onExit);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return; // winston writes JSON lines; anything else is not a log entry
      const entry = JSON.parse(line) as LogLine;
      if (entry.interface) seen.set(entry.interface, entry);
      if (wanted.every((w) => seen.has(w))) {
        child.off('exit', onExit);
        resolve(seen);
      }
    });
  });
}

/** Starts `cpms serve` and waits until it logged every interface in `wanted`. */
export async function startServer(env: NodeJS.ProcessEnv, wanted = ['ocpp', 'admin', 'health', 'cli']): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // The health line gives the server's URL: always wait for it too.
  const lines = await waitForInterfaces(child, [...new Set([...wanted, 'health'])]);
  const health = new URL(lines.get('health')!.url!);
  return { child, output: () => output, lines, httpUrl: health.origin, exited };
}

/** Stops a server with `signal` and resolves with its exit code (null when killed by the signal). */
export async function stopServer(server: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  return server.exited;
}

/** Runs `cpms <args>` to the end; returns its exit code and everything it printed. */
export async function runCpms(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number | null; out: string }> {
  return runCpmsIn(process.cwd(), env, ...args);
}

/** Runs `cpms <args>` in working directory `cwd` to the end; returns its exit code and everything it printed. */
export async function runCpmsIn(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, out: out.trimEnd() };
}
