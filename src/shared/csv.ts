// Pure: a small CSV reader (RFC 4180: comma-separated fields, double-quoted fields may hold commas,
// newlines and "" for a quote; CRLF or LF line ends) for the bulk imports of the CLI. No I/O.
import { InvalidInput } from './errors.ts';

export interface CsvRecord {
  /** 1-based line of the file the record starts on. */
  line: number;
  fields: string[];
}

/** The records of `text`, blank lines skipped; InvalidInput naming the line for a malformed quote. */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a byte-order mark from spreadsheet exports
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let i = 0;
  const endRecord = (): void => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') records.push({ line: start, fields });
    [fields, field] = [[], ''];
  };
  while (i < src.length) {
    const ch = src[i];
    if (ch === '"' && field === '') {
      const end = readQuoted(src, i, line);
      field = end.value;
      line += end.newlines;
      i = end.next;
      if (i < src.length && src[i] !== ',' && src[i] !== '\n' && src[i] !== '\r') throw new InvalidInput(`line ${line}: text after a closing quote (a quote inside a quoted field is written "")`);
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      start = ++line;
    } else if (ch === '"') throw new InvalidInput(`line ${line}: a quote inside an unquoted field (quote the whole field)`);
    else field += ch;
    i++;
  }
  endRecord();
  return records;
}

/** The quoted field starting at `open`: its value, the index after its closing quote and the newlines in it. */
function readQuoted(src: string, open: number, line: number): { value: string; next: number; newlines: number } {
  let value = '';
  let newlines = 0;
  for (let i = open + 1; i < src.length; i++) {
    const ch = src[i];
    if (ch === '"') {
      if (src[i + 1] !== '"') return { value, next: i + 1, newlines };
      value += '"';
      i++;
    } else {
      if (ch === '\n') newlines++;
      value += ch;
    }
  }
  throw new InvalidInput(`line ${line}: a quoted field is not closed`);
}

export interface CsvTable {
  /** Column names of the header row, as written. */
  header: string[];
  rows: Array<{ line: number; values: Record<string, string> }>;
}

/** The records after the header row as objects keyed by column name; a row with another field count is InvalidInput. */
export function parseCsvTable(text: string): CsvTable {
  const [head, ...records] = parseCsv(text);
  if (!head) throw new InvalidInput('the file is empty: it needs a header row naming the columns');
  const header = head.fields.map((h) => h.trim());
  const repeated = header.find((h, i) => header.indexOf(h) !== i);
  if (repeated !== undefined) throw new InvalidInput(`line ${head.line}: column ${repeated} is named twice`);
  const rows = records.map(({ line, fields }) => {
    if (fields.length !== header.length) throw new InvalidInput(`line ${line}: ${fields.length} fields, the header has ${header.length}`);
    return { line, values: Object.fromEntries(header.map((h, i) => [h, fields[i]])) };
  });
  return { header, rows };
}
