// A paginated table over one admin API list (`{ data: [...] }`, limit/offset): nothing loads the whole fleet.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, query } from './api.ts';
import { toCsv } from './format.ts';

export interface Column { key: string; label: string; render?: (row: any) => ComponentChildren }

export const PAGE_SIZE = 25;

export function Pager({ offset, count, onPage }: { offset: number; count: number; onPage: (offset: number) => void }) {
  return (
    <div class="pager">
      <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - PAGE_SIZE))}>Previous</button>
      <span>{count ? `${offset + 1}–${offset + count}` : 'none'}</span>
      <button type="button" disabled={count < PAGE_SIZE} onClick={() => onPage(offset + PAGE_SIZE)}>Next</button>
    </div>
  );
}

/** Downloads `rows` as a CSV file named `name`. */
function downloadCsv(name: string, columns: string[], rows: Record<string, unknown>[]): void {
  const url = URL.createObjectURL(new Blob([toCsv(columns, rows)], { type: 'text/csv' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
}

/** `version`: changed by the page after a change of its own, to read the page again. */
/** `paged: false` for a list the API gives whole (a charger's configuration keys). */
export function ApiTable({ title, path, params = {}, columns, csv, version = 0, paged = true }: { title: string; path: string; params?: Record<string, string | undefined>; columns: Column[]; csv?: string; version?: number; paged?: boolean }) {
  const key = JSON.stringify(params);
  const [at, setAt] = useState({ key, offset: 0 });
  // A filter change starts at the first page in the same render: no request for the old offset.
  const offset = at.key === key ? at.offset : 0;
  const [rows, setRows] = useState<any[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    // Only the newest request's answer is shown: a slow answer for an older page or filter is dropped.
    let isCurrent = true;
    api('GET', `${path}${query(paged ? { ...params, limit: PAGE_SIZE, offset } : params)}`)
      .then((r) => isCurrent && (setRows(r.data ?? []), setError('')))
      .catch((e: Error) => isCurrent && setError(e.message));
    return () => void (isCurrent = false);
  }, [path, key, offset, version]);
  return (
    <section aria-label={title}>
      {error && <p class="error" role="alert">{error}</p>}
      <table>
        <thead><tr>{columns.map((c) => <th scope="col">{c.label}</th>)}</tr></thead>
        <tbody>{rows.map((r) => <tr>{columns.map((c) => <td>{c.render ? c.render(r) : fmt(r[c.key])}</td>)}</tr>)}</tbody>
      </table>
      <div class="row">
        {paged && <Pager offset={offset} count={rows.length} onPage={(o) => setAt({ key, offset: o })} />}
        {csv && <button type="button" onClick={() => downloadCsv(csv, columns.map((c) => c.key), rows)}>Export CSV</button>}
      </div>
    </section>
  );
}

function fmt(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
