// The node flags `npm start` gives `cpms serve` (package.json's start script, e.g. V8's young generation
// size): the benchmarks start the server with them, so they measure what an operator runs.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
const words = pkg.scripts.start!.split(/\s+/);

/** The flags between `node` and the script in `npm start`. */
export const START_NODE_FLAGS: readonly string[] = words.slice(1, words.findIndex((w) => w.endsWith('cpms.js'))).filter((w) => w.startsWith('--'));
