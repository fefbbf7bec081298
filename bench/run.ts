// Runs every bench/*.bench.ts in turn, each in its own process so one cannot warm up another's JIT. Each
// process is pinned to ONE core (taskset, util-linux) when available, the least busy one over a short sample,
// so that its JIT and GC threads share that core too; without taskset it runs unpinned and says so.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

function busyTimes(): number[] {
  return cpus().map((c) => c.times.user + c.times.nice + c.times.sys + c.times.irq);
}

/** Index of the core that was least busy over ~200 ms. */
function leastBusyCore(): number {
  const before = busyTimes();
  const until = Date.now() + 200;
  while (Date.now() < until) spawnSync('sleep', ['0.05']);
  const delta = busyTimes().map((t, i) => t - before[i]!);
  return delta.indexOf(Math.min(...delta));
}

function hasTaskset(): boolean {
  return spawnSync('taskset', ['-c', '0', 'true']).status === 0;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const pin = hasTaskset();
let failed = 0;
for (const f of files) {
  const node = [process.execPath, '--import', 'tsx', `${dir}${f}`];
  // A benchmark of servers in processes of their own (its first line says `// bench: unpinned`) uses every core.
  const unpinned = readFileSync(`${dir}${f}`, 'utf8').startsWith('// bench: unpinned');
  const core = pin && !unpinned ? leastBusyCore() : -1;
  process.stdout.write(`# ${f} (${core >= 0 ? `pinned to core ${core}` : unpinned ? 'not pinned: multi-process' : 'not pinned: taskset not found'})\n`);
  const cmd = core >= 0 ? ['taskset', '-c', String(core), ...node] : node;
  const r = spawnSync(cmd[0]!, cmd.slice(1), { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
