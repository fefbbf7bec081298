// `cpms serve` as a real child process (bin/cpms.js), as an operator runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const BIN = new URL('../../bin/cpms.js', import.meta.url).pathname;

export interface LogLine {
  message: string;
  level?: string;
  interface?: string;
  url?: string;
}

export interface ServeProcess {
  child: ChildProcess;
  /** Everything written to stderr so far (winston writes warn and error there). */
  readonly stderr: string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Spawns `cpms serve` with `env` on top of this process's environment. */
export function spawnServe(env: Record<string, string>): ServeProcess {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    get stderr() {
      return stderr;
    },
    exited,
  };
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
