// Idle memory of `cpms serve` on the embedded database (issue 8 target: RSS well under 300 MB), measured on
// the real process: the first start on a new DATA_DIR (which creates the database) and a restart on it.
// Runs bin/cpms.js as `npm start` does (its node flags; the compiled dist/ when built). Run: npm run bench
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { START_NODE_FLAGS } from './start-flags.ts';

const BIN = new URL('../bin/cpms.js', import.meta.url).pathname;
const IS_COMPILED = existsSync(new URL('../dist/src/cli/index.js', import.meta.url));
// RSS is read 10 s after start-up and once settled: V8's memory reducer gives the young generation that
// start-up grew (up to npm start's --max-semi-space-size) back after ~30-45 s without work.
const EARLY_MS = 10_000;
const IDLE_MS = 60_000;
const SAMPLE_MS = 500;

/** Resident set size of a process in MB (Linux /proc; ps elsewhere). */
function rssMb(pid: number): number {
  if (existsSync(`/proc/${pid}/status`)) {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return kb / 1024;
  }
  throw new Error('no /proc: RSS is measured on Linux only');
}

/** Resolves once the server logged its health line; rejects if it exits first. */
function started(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`cpms serve exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"interface":"health"')) resolve();
    });
  });
}

/** Starts `cpms serve` on `dataDir`, leaves it idle, and returns its RSS after EARLY_MS and IDLE_MS and the highest seen. */
async function measure(dataDir: string): Promise<{ early: number; idle: number; peak: number; startMs: number }> {
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info', REDIS_URL: '', CPMS_FROM_SOURCE: '' };
  const t0 = Date.now();
  const child = spawn(process.execPath, [...START_NODE_FLAGS, BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await started(child);
    const startMs = Date.now() - t0;
    let peak = 0;
    let early = 0;
    for (let waited = 0; waited < IDLE_MS; waited += SAMPLE_MS) {
      const rss = rssMb(child.pid!);
      peak = Math.max(peak, rss);
      if (waited <= EARLY_MS) early = rss;
      await sleep(SAMPLE_MS);
    }
    return { early, idle: rssMb(child.pid!), peak, startMs };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'cpms-bench-memory-'));
try {
  const mode = IS_COMPILED ? 'compiled dist/' : 'TypeScript sources through tsx (run npm run build for the compiled code)';
  const first = await measure(dataDir);
  const flags = START_NODE_FLAGS.join(' ') || 'none';
  process.stdout.write(`idle memory, first start (creates the database): RSS ${first.idle.toFixed(0)} MB after ${IDLE_MS / 1000} s idle, ${first.early.toFixed(0)} MB after ${EARLY_MS / 1000} s (peak ${first.peak.toFixed(0)} MB; ready in ${first.startMs} ms; ${mode}; node flags ${flags}; target < 300 MB)\n`);
  const again = await measure(dataDir);
  process.stdout.write(`idle memory, restart on the same DATA_DIR: RSS ${again.idle.toFixed(0)} MB after ${IDLE_MS / 1000} s idle, ${again.early.toFixed(0)} MB after ${EARLY_MS / 1000} s (peak ${again.peak.toFixed(0)} MB; ready in ${again.startMs} ms; target < 300 MB)\n`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
