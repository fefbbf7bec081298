// The configuration reference (issue 14): README's table is generated from the config schema, the defaults and the
// environment variables, and cannot drift from them.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import schema from '../../../src/config/schema.json' with { type: 'json' };
import { ENV_VARS } from '../../../src/config/load.ts';
import { REFERENCE_END, REFERENCE_START, referenceRows, referenceTable, withReference } from '../../../src/config/reference.ts';

const defaults = JSON.parse(readFileSync(new URL('../../../config/default.json', import.meta.url), 'utf8'));
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('configuration reference', () => {
  it("should be README's table exactly (run `npm run docs:config` after changing a setting)", () => {
    const table = referenceTable(referenceRows(schema, defaults, ENV_VARS));

    expect(withReference(readme, table)).to.equal(readme);
  });

  it('should list every setting with a meaning, and every environment variable', () => {
    const rows = referenceRows(schema, defaults, ENV_VARS);

    expect(rows.map((r) => r.key)).to.include.members(['port', 'ocpp.rateLimit.callsPerSec', 'metrics.token', 'ocpi.push.retryCron']);
    for (const r of rows) expect(r.meaning, r.key).to.not.equal('');
    const keys = new Set(rows.map((r) => r.key));
    for (const [name, key] of ENV_VARS) expect(keys.has(key), `${name} → ${key}`).to.equal(true);
  });

  it('should refuse a setting without a description, naming it', () => {
    const bad = { properties: { ok: { type: 'string', description: 'fine' }, group: { type: 'object', properties: { bare: { type: 'integer' } } } } };

    expect(() => referenceRows(bad, {}, [])).to.throw('group.bare');
  });

  it('should show defaults, variables, allowed values and escape Markdown', () => {
    const table = referenceTable(referenceRows({ properties: { a: { type: 'string', description: 'x | y <z>', enum: ['p', 'q'] }, b: { type: 'integer', description: 'n', minimum: 1 } } }, { a: 'p', b: 5 }, [['A_VAR', 'a']]));

    expect(table).to.include('| `a` | `A_VAR` | `p` | x \\| y &lt;z> ("p", "q") |').and.include('| `b` | (file only) | `5` | n (≥ 1) |');
    expect(() => withReference('no markers', table)).to.throw('markers');
    expect(REFERENCE_START).to.include('config-reference:start');
    expect(REFERENCE_END).to.include('config-reference:end');
  });
});
