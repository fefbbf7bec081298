// Lint = the layering of STYLE.md "Dependency rules", nothing else (tsc does the type checking).
//   transports (ocpp/ ocpi/ admin/ jobs/, plus cluster/ cli/ and the *.routes|handlers|job|worker|client.ts
//   adapters inside a domain) → domain services → *.repo.ts → db/, never the reverse;
//   a domain imports another domain's service or types, never its repo;
//   pure files import only shared/, other pure files and types, and never read the clock;
//   knex is called only in db/ and *.repo.ts; process.env only in config/load.ts; no console.* in src;
//   simulator/ (a client of any OCPP server) imports only simulator/ and shared/, and only cli/ imports it.
// Only value imports count: `import type` / `import { type X }` are erased and create no dependency.
//
// The import rules depend on where the importing file and the imported file are, so each src file gets one
// generated block of core rules (no-restricted-syntax, no-restricted-properties) listing the exact relative
// specifiers it must not import. Files are classified from the tree at every run, so new files are covered.
//
// Parser: @babel/eslint-parser with Babel's TypeScript syntax plugin. typescript-eslint's parser needs the
// TypeScript compiler API, which TypeScript 7 (this repo's `typescript`) no longer ships (its peer range is
// typescript <6.1), and the rules here are purely syntactic.
import fs from 'node:fs';
import path from 'node:path';
import babelParser from '@babel/eslint-parser';

const SRC = 'src';
const GENERATED = ['src/ocpp/v16/types.ts', 'src/ocpp/v201/types.ts'];
const TRANSPORT_DIRS = new Set(['ocpp', 'ocpi', 'admin', 'jobs', 'cluster', 'cli']);
const TRANSPORT_ROLE = /\.(routes|handlers|job|worker|client)\.ts$/;
const COMPOSITION_ROOTS = new Set(['src/app.ts', 'src/main.ts']);
const COMPOSITION_DIR = 'app'; // src/app/: the composition root split into steps (services, http, ocpp)
const PURE = new Set([
  ...['pricing', 'restrictions', 'compiled-tariff', 'costs', 'charging-periods', 'charging-periods.mapper', 'timezone',
    'tariff-selection', 'price-cdr', 'cdr-input', 'tariff-input', 'json-fields'].map((f) => `src/tariffs/${f}.ts`),
  'src/chargers/connector-state.ts',
  'src/sessions/meter-values.ts',
  ...['cdr-builder', 'settlement', 'meter-series', 'signed-data', 'statement-csv'].map((f) => `src/billing/${f}.ts`),
  'src/tokens/authorization-decision.ts',
]);

function listTs(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) return listTs(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** A file "whose header says it is pure": a leading `//` comment line containing the word "Pure". */
function hasPureHeader(file) {
  const header = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('//')) break;
    header.push(line);
  }
  return header.some((l) => /\bPure\b/.test(l));
}

function classify(file) {
  const parts = file.split('/');
  const dir = parts.length > 2 ? parts[1] : null; // null: a top-level file (composition root)
  let layer;
  if (dir === 'db' || dir === 'shared' || dir === 'config') layer = dir;
  else if (COMPOSITION_ROOTS.has(file) || dir === COMPOSITION_DIR) layer = 'root';
  else if (file.endsWith('.repo.ts')) layer = 'repo';
  else if (TRANSPORT_DIRS.has(dir) || TRANSPORT_ROLE.test(file)) layer = 'transport';
  else if (PURE.has(file) || file.endsWith('.mapper.ts') || hasPureHeader(file)) layer = 'pure';
  else if (file.endsWith('.service.ts')) layer = 'service';
  else layer = 'domain'; // types, hooks, pushes and other domain code at the service level
  return { file, dir, layer };
}

/** Why `from` must not value-import `to`, or undefined when it may. */
function violation(from, to) {
  const low = ['db', 'shared', 'config'];
  // The fleet simulator is a client that must be able to test any OCPP server: it shares no server code.
  if (from.dir === 'simulator' && !['simulator', 'shared'].includes(to.dir)) return 'the simulator imports only simulator/ and shared/ (it is a client of any OCPP server; type imports are fine)';
  if (to.dir === 'simulator' && !['simulator', 'cli'].includes(from.dir)) return 'only the CLI uses the simulator: nothing the server runs depends on it';
  if (from.layer === 'shared' && to.dir !== 'shared') return 'shared/ imports no domain, transport or db module';
  if (from.layer === 'config' && !['shared', 'config'].includes(to.dir)) return 'config/ imports only shared/';
  if (from.layer === 'db' && !['shared', 'db'].includes(to.dir)) return 'db/ imports only db/ and shared/ (never a domain or transport)';
  if (from.layer === 'pure' && !(to.layer === 'pure' || to.dir === 'shared' || to.file.endsWith('.types.ts'))) {
    return 'a pure file imports only shared/, other pure files and types (use `import type`)';
  }
  if (to.layer === 'transport' && !['transport', 'root'].includes(from.layer)) {
    return `transports depend on domains, never the reverse: a domain, repo or pure file must not import a transport (${to.file})`;
  }
  if (to.layer === 'service' && (from.layer === 'repo' || low.includes(from.layer))) return 'a repo must not import a service (services call repos)';
  if (to.layer === 'repo' && from.layer !== 'root' && from.dir !== to.dir && !low.includes(to.dir)) {
    return `a domain may import another domain's service or types, never its repo (${to.file})`;
  }
  return undefined;
}

// Selectors: a value import/re-export whose source is one of the given exact specifiers.
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\//g, '\\x2F');
const VALUE_IMPORT =
  "ImportDeclaration[importKind!='type']:matches([specifiers.length=0], :has(ImportDefaultSpecifier, ImportNamespaceSpecifier, ImportSpecifier[importKind!='type']))";
const VALUE_EXPORT = "ExportNamedDeclaration[exportKind!='type'], ExportAllDeclaration[exportKind!='type']";
const importsOf = (sourceRe) => `:matches(${VALUE_IMPORT}, ${VALUE_EXPORT})[source.value=/${sourceRe}/]`;

const KNEX_NAMES = '^(db|trx|knex)$';
const KNEX_MEMBERS = '^(raw|select|insert|update|del|delete|from|table|schema|fn|queryBuilder|with|ref)$';
const KNEX_CALLS = [
  { selector: `${importsOf('^knex$')}`, message: 'knex is called only in db/ and *.repo.ts (`import type { Knex }` is fine)' },
  { selector: `CallExpression[callee.type='Identifier'][callee.name=/${KNEX_NAMES}/]`, message: 'a query belongs in a *.repo.ts function (knex is called only in db/ and repos)' },
  { selector: `CallExpression[callee.type='MemberExpression'][callee.property.name=/${KNEX_NAMES}/]`, message: 'a query belongs in a *.repo.ts function (knex is called only in db/ and repos)' },
  { selector: `MemberExpression[object.name=/${KNEX_NAMES}/][property.name=/${KNEX_MEMBERS}/]`, message: 'a query belongs in a *.repo.ts function (knex is called only in db/ and repos)' },
  { selector: `MemberExpression[object.property.name=/${KNEX_NAMES}/][property.name=/${KNEX_MEMBERS}/]`, message: 'a query belongs in a *.repo.ts function (knex is called only in db/ and repos)' },
];
// One clock (issue 7): time comes from the injected Clock (repos: dbNow(db), src/db/clock.ts), never from
// the database's now(), so that what the app writes and what it compares with are the same time.
const DATABASE_CLOCK = [
  { selector: "MemberExpression[object.property.name='fn'][property.name='now']", message: 'one clock: use dbNow(db) (src/db/clock.ts), not the database\'s now()' },
  { selector: 'Literal[value=/\\b(now|current_timestamp|localtimestamp|clock_timestamp|statement_timestamp|transaction_timestamp)\\(\\s*\\)|\\bcurrent_timestamp\\b/i]', message: 'one clock: pass the time from dbNow(db) (src/db/clock.ts) as a binding, not the database\'s now()' },
  { selector: 'TemplateElement[value.raw=/\\b(now|clock_timestamp|statement_timestamp|transaction_timestamp)\\(\\s*\\)|\\bcurrent_timestamp\\b/i]', message: 'one clock: pass the time from dbNow(db) (src/db/clock.ts) as a binding, not the database\'s now()' },
];
// The embedded engine (PGlite) answers a row-value IN list of a few hundred tuples with no rows and is broken
// afterwards (issue 8): pairs go in as arrays (inPairs, src/db/array-literal.ts).
const ROW_VALUE_IN = [
  { selector: "CallExpression[callee.property.name=/^(whereIn|orWhereIn|whereNotIn|orWhereNotIn)$/][arguments.0.type='ArrayExpression']", message: 'no row-value IN list (PGlite fails on a few hundred tuples): inPairs (src/db/array-literal.ts), one array per column' },
];
const PURE_SYNTAX = [
  { selector: `${importsOf('^[^.]')}`, message: 'a pure file imports no package (knex, express, ws, undici, winston, node:fs, …): only shared/, pure files and types' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'a pure file never reads the clock: take `now` as a parameter' },
  { selector: "CallExpression[callee.name='Date']", message: 'a pure file never reads the clock: take `now` as a parameter' },
];

function rulesFor(from, all) {
  const banned = new Map(); // message → specifiers
  for (const to of all) {
    const why = to.file !== from.file && violation(from, to);
    if (!why) continue;
    let spec = path.posix.relative(path.posix.dirname(from.file), to.file);
    if (!spec.startsWith('.')) spec = `./${spec}`;
    banned.set(why, [...(banned.get(why) ?? []), spec]);
  }
  const syntax = [...banned].map(([message, specs]) => ({ selector: importsOf(`^(${specs.map(escapeRe).join('|')})$`), message }));
  if (from.layer !== 'db' && from.layer !== 'repo') syntax.push(...KNEX_CALLS);
  syntax.push(...DATABASE_CLOCK, ...ROW_VALUE_IN);
  if (from.layer === 'pure') syntax.push(...PURE_SYNTAX);
  const properties = [];
  if (from.file !== 'src/config/load.ts') properties.push({ object: 'process', property: 'env', message: 'process.env is read only in src/config/load.ts: take a Config value' });
  if (from.layer === 'pure') properties.push({ object: 'Date', property: 'now', message: 'a pure file never reads the clock: take `now` as a parameter' });
  return { 'no-restricted-syntax': ['error', ...syntax], 'no-restricted-properties': ['error', ...properties] };
}

const files = listTs(SRC).filter((f) => !GENERATED.includes(f)).map(classify);
const blocks = new Map(); // same rules → one block
for (const f of files) {
  const rules = rulesFor(f, files);
  const key = JSON.stringify(rules);
  blocks.set(key, { rules, files: [...(blocks.get(key)?.files ?? []), f.file] });
}

export default [
  { ignores: GENERATED },
  {
    files: ['src/**/*.ts'],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      parser: babelParser,
      parserOptions: {
        requireConfigFile: false,
        babelOptions: { babelrc: false, configFile: false, parserOpts: { plugins: ['typescript'] } },
      },
    },
    rules: { 'no-console': 'error' },
  },
  ...[...blocks.values()].map((b) => ({ files: b.files, rules: b.rules })),
  // The web apps (issue 11) talk to cpms only through its public HTTP APIs (STYLE "Web apps"): no import of
  // the server's sources, and no console left in the browser.
  ...[['web/**/*.ts', ['typescript']], ['web/**/*.tsx', ['typescript', 'jsx']]].map(([files, plugins]) => ({
    files: [files],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      parser: babelParser,
      parserOptions: { requireConfigFile: false, babelOptions: { babelrc: false, configFile: false, parserOpts: { plugins } } },
    },
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/**', '**/src'], message: 'the web apps use only the public HTTP APIs (web/shared/api.ts), never the server sources' }] }],
    },
  })),
];
