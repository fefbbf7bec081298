// `npm run docs:config`: rewrites README's configuration table from src/config/schema.json, config/default.json
// and the environment variables of src/config/load.ts (test/unit/config/reference.test.ts fails when it is stale).
import { readFileSync, writeFileSync } from 'node:fs';
import schema from '../src/config/schema.json' with { type: 'json' };
import { ENV_VARS } from '../src/config/load.ts';
import { referenceRows, referenceTable, withReference } from '../src/config/reference.ts';

const readmeUrl = new URL('../README.md', import.meta.url);
const defaults = JSON.parse(readFileSync(new URL('../config/default.json', import.meta.url), 'utf8'));
const table = referenceTable(referenceRows(schema, defaults, ENV_VARS));
writeFileSync(readmeUrl, withReference(readFileSync(readmeUrl, 'utf8'), table));
process.stdout.write('README.md: configuration reference updated\n');
