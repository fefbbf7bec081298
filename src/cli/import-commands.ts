// `cpms charger import <file.csv>` and `cpms token import <file.csv>` (issue 8): a CSV file with a header
// row, every row checked before anything is stored, all applied in one transaction or none, through the
// services behind POST /api/v1/chargers/bulk and /tokens/bulk. Prints one line per row; exits 0 when
// applied, 2 when nothing was (a bad row, an id that exists), 1 on other failures.
//
// chargers: id, password (empty = generated and printed once), location, evse, connectors (how many:
//   connectors 1..n get the data below; empty = 1 when any of it is given), standard, format, power_type,
//   max_voltage, max_amperage, max_power, and connector<n>_<any of these or evse> for one connector's own
// tokens: uid, type, contract_id, group, visual_number, whitelist, expiry_date
// Column names are case-insensitive; `_`, `-` and spaces in them are ignored (maxVoltage = max_voltage).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Conflict, InvalidInput } from '../shared/errors.ts';
import { parseCsvTable, type CsvTable } from '../shared/csv.ts';
import type { BulkOutcome } from '../shared/bulk.ts';
import type { App } from '../app/index.ts';

type Services = App['services'];
import type { CliHost, Out } from './context.ts';


type Row = Record<string, unknown>;

const CHARGER_COLUMNS: Record<string, string> = {
  id: 'id', password: 'password', location: 'locationId', locationid: 'locationId', evse: 'evseUid', evseuid: 'evseUid', connectors: 'connectors',
  standard: 'standard', format: 'format', powertype: 'powerType', maxvoltage: 'maxVoltage', maxamperage: 'maxAmperage', maxpower: 'maxElectricPower', maxelectricpower: 'maxElectricPower',
};
const TOKEN_COLUMNS: Record<string, string> = {
  uid: 'uid', type: 'type', contractid: 'contractId', contract: 'contractId', group: 'groupId', groupid: 'groupId', visualnumber: 'visualNumber', whitelist: 'whitelist', expirydate: 'expiryDate', expiry: 'expiryDate',
};
const SPEC_FIELDS = ['standard', 'format', 'powerType', 'maxVoltage', 'maxAmperage', 'maxElectricPower'];
const NUMERIC = new Set(['maxVoltage', 'maxAmperage', 'maxElectricPower']);
// The CSV count of connectors: more than any charger has is refused by the import (config ocpp.maxConnectorId).
const CONNECTOR_COUNT = /^\d{1,4}$/;

const normalize = (header: string): string => header.toLowerCase().replace(/[\s_-]/g, '');

// One connector's own data: `connector<n>_<field>` (e.g. connector2_standard, connector2_evse) for a charger
// whose connectors differ (a CCS and a CHAdeMO cable); it wins over the row's data for that connector.
const CONNECTOR_COLUMN = /^connector(\d{1,4})(standard|format|powertype|maxvoltage|maxamperage|maxpower|maxelectricpower|evse|evseuid)$/;

/** `connector<n>.<field>` for a per-connector charger column, else undefined. */
export function chargerConnectorColumn(normalized: string): string | undefined {
  const m = CONNECTOR_COLUMN.exec(normalized);
  return m ? `connector${Number(m[1])}.${CHARGER_COLUMNS[m[2]]}` : undefined;
}

/** Each row's fields under their API names (empty cells left out); an unknown column is InvalidInput. */
export function rowsOfTable(table: CsvTable, columns: Record<string, string>, dynamic: (normalized: string) => string | undefined = () => undefined): Row[] {
  const names = table.header.map((h) => {
    const name = columns[normalize(h)] ?? dynamic(normalize(h));
    if (!name) throw new InvalidInput(`column ${h}: unknown (columns: ${[...new Set(Object.values(columns))].join(', ')})`);
    return name;
  });
  return table.rows.map(({ values }) => Object.fromEntries(table.header.flatMap((h, i) => (values[h] === '' ? [] : [[names[i], values[h]]]))));
}

const typed = (field: string, value: unknown): unknown => (NUMERIC.has(field) && /^-?\d{1,15}$/.test(String(value)) ? Number(value) : value);

/** The row's per-connector fields (`connector<n>.<field>`) by connector number. */
function connectorOverrides(csv: Row): Map<number, Row> {
  const byConnector = new Map<number, Row>();
  for (const [key, value] of Object.entries(csv)) {
    const m = /^connector(\d+)\.(\w+)$/.exec(key);
    if (!m) continue;
    const n = Number(m[1]);
    byConnector.set(n, { ...byConnector.get(n), [m[2]]: typed(m[2], value) });
  }
  return byConnector;
}

/**
 * A CSV charger row as the bulk import takes it: a whole number as a number, connectors 1..n (`connectors`,
 * else 1 when the row has connector data, and at least the highest `connector<n>_…` column given) as a list.
 */
export function toChargerRow(csv: Row): Row {
  const row: Row = {};
  const spec: Row = {};
  for (const [field, value] of Object.entries(csv)) {
    if (SPEC_FIELDS.includes(field)) spec[field] = typed(field, value);
    else if (field !== 'connectors' && !field.includes('.')) row[field] = value;
  }
  const given = csv.connectors === undefined ? undefined : String(csv.connectors);
  if (given !== undefined && !CONNECTOR_COUNT.test(given)) throw new InvalidInput(`connectors: must be a whole number (how many connectors the charger has), not ${given}`);
  const overrides = connectorOverrides(csv);
  const count = Math.max(given === undefined ? (Object.keys(spec).length > 0 ? 1 : 0) : Number(given), ...overrides.keys());
  if (count > 0) row.connectors = Array.from({ length: count }, (_, i) => ({ connectorId: i + 1, ...spec, ...overrides.get(i + 1) }));
  return row;
}

async function readTable(path: string): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InvalidInput(`file: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseCsvTable(text);
}

/** One line per row (`line <n>` of the file), then the totals; throws when nothing was applied (exit code 2). */
function report(outcome: BulkOutcome, lines: number[], out: Out): void {
  for (const r of outcome.results) {
    const detail = r.error ? `: ${r.error}` : r.password ? ` (generated password, shown only now: ${r.password})` : '';
    out(`line ${lines[r.row]}\t${r.id ?? '-'}\t${r.status}${detail}`);
  }
  if (outcome.applied) {
    out(`${outcome.created} created, ${outcome.existing} existing (unchanged)`);
    return;
  }
  const message = `${outcome.failed} row(s) failed; nothing was applied`;
  throw outcome.failure === 'conflict' ? new Conflict(message) : new InvalidInput(message);
}

interface ImportSpec {
  columns: Record<string, string>;
  dynamic?: (normalized: string) => string | undefined;
  toRow: (csv: Row) => Row;
  run: (s: Services, rows: Row[], onExisting: 'error' | 'skip') => Promise<BulkOutcome>;
}

/** Reads the CSV file; a row the CSV mapping refuses is reported like any bad row, and nothing is applied. */
async function importFile(s: Services, path: string, o: { skipExisting?: boolean }, spec: ImportSpec, out: Out): Promise<void> {
  const table = await readTable(path);
  const lines = table.rows.map((r) => r.line);
  const errors = new Map<number, string>();
  const rows = rowsOfTable(table, spec.columns, spec.dynamic).map((csv, i) => {
    try {
      return spec.toRow(csv);
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      errors.set(i, err.message);
      return csv;
    }
  });
  if (errors.size > 0) {
    const results = rows.map((r, row) => ({ row, id: String(r.id ?? r.uid ?? '-'), status: errors.has(row) ? ('failed' as const) : ('not applied' as const), error: errors.get(row) }));
    return report({ applied: false, failure: 'invalid', created: 0, existing: 0, failed: errors.size, results }, lines, out);
  }
  report(await spec.run(s, rows, o.skipExisting ? 'skip' : 'error'), lines, out);
}

const CHARGERS: ImportSpec = { columns: CHARGER_COLUMNS, dynamic: chargerConnectorColumn, toRow: toChargerRow, run: (s, rows, onExisting) => s.chargerImport.import(rows, { onExisting }) };
const TOKENS: ImportSpec = { columns: TOKEN_COLUMNS, toRow: (csv) => csv, run: (s, rows, onExisting) => s.tokens.importLocal(rows, { onExisting }) };

/** Adds `import` under `cpms charger` and `cpms token`. */
export function addImportCommands(parents: { charger: Command; token: Command }, host: CliHost, servicesOf: (ctx: Parameters<Parameters<CliHost['withContext']>[1]>[0]) => Services, out: Out): void {
  const add = (parent: Command, name: string, spec: ImportSpec, description: string): void => {
    parent.command('import <file>').description(description).option('--skip-existing', 'leave one that exists unchanged (reported as existing) instead of refusing the whole file').action(async (file: string, o: { skipExisting?: boolean }) => {
      const path = resolve(file);
      // A server running on this DATA_DIR runs the command itself: it gets the file's absolute path.
      const forwardArgs = [name, 'import', path, ...(o.skipExisting ? ['--skip-existing'] : [])];
      await host.withContext(`${name} import`, (ctx) => importFile(servicesOf(ctx), path, o, spec, out), { forwardArgs });
    });
  };
  add(parents.charger, 'charger', CHARGERS, 'register chargers from a CSV file (columns: id, password (empty = generated), location, evse, connectors, standard, format, power_type, max_voltage, max_amperage, max_power; connector<n>_<field> for one connector), all or none');
  add(parents.token, 'token', TOKENS, "add the operator's own tokens from a CSV file (columns: uid, type, contract_id, group, visual_number, whitelist, expiry_date), all or none");
}
