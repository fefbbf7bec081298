import type { Request, Response } from 'express';
import { sendOcpi, sendOcpiJson } from './envelope.ts';
import { InvalidParams } from './errors.ts';

/** Paginated request parameters (transport §4.1.3.2); dates filter on last_updated. */
export interface ListQuery {
  /** Inclusive lower bound of last_updated. */
  dateFrom?: Date;
  /** Exclusive upper bound of last_updated. */
  dateTo?: Date;
  offset: number;
  limit: number;
  /**
   * The key of the item before `offset`, from the `after` parameter of a next link we gave (see
   * `nextCursor`); undefined when absent or given for another offset. A module may ignore it.
   */
  afterKey?: string;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new InvalidParams(`${name}: must be given once`);
  return v;
}

function parseDate(req: Request, name: string): Date | undefined {
  const raw = queryString(req, name);
  if (raw === undefined || raw === '') return undefined;
  // types §16.2: no zone designator still means UTC
  const d = DATE_TIME.test(raw) ? new Date(/(Z|[+-]\d{2}:\d{2})$/.test(raw) ? raw : `${raw}Z`) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new InvalidParams(`${name}: not an OCPI DateTime (e.g. 2019-06-30T21:59:59Z)`);
  return d;
}

// offset and limit end up in SQL OFFSET/LIMIT (bigint): past int4 there is no real page, so such a value is
// refused as an invalid parameter (2001) instead of failing in the database.
const MAX_PAGING_VALUE = 2_147_483_647;

function parseInteger(req: Request, name: string, fallback: number): number {
  const raw = queryString(req, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new InvalidParams(`${name}: must be a non-negative integer`);
  if (Number(raw) > MAX_PAGING_VALUE) throw new InvalidParams(`${name}: must be at most ${MAX_PAGING_VALUE}`);
  return Number(raw);
}

/**
 * Reads date_from, date_to, offset and limit. A limit above `maxLimit` (or absent) becomes `maxLimit`:
 * the server may return fewer objects than asked (transport §4.1.3.2); limit=0 is refused.
 */
export function parseListQuery(req: Request, opts: { maxLimit: number }): ListQuery {
  const dateFrom = parseDate(req, 'date_from');
  const dateTo = parseDate(req, 'date_to');
  const offset = parseInteger(req, 'offset', 0);
  const limit = Math.min(parseInteger(req, 'limit', opts.maxLimit), opts.maxLimit);
  if (limit < 1) throw new InvalidParams('limit: must be at least 1');
  if (dateFrom && dateTo && dateFrom >= dateTo) throw new InvalidParams('date_from: must be before date_to');
  return { dateFrom, dateTo, offset, limit, afterKey: parseCursor(queryString(req, 'after'), offset) };
}

/**
 * A next link may carry, besides its offset (transport §4.1.3.3), `after`: the offset and the key of the last
 * item sent, so that the next page is read from the key on (keyset) instead of counting `offset` rows again.
 * Offset semantics are kept: the key is used only for the offset it was given for, so a client that changes
 * the offset (or drops `after`) gets the page at that offset.
 */
export function nextCursor(offset: number, key: string): string {
  return Buffer.from(JSON.stringify([offset, key])).toString('base64url');
}

function parseCursor(raw: string | undefined, offset: number): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined; // reported below, like any other malformed cursor
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'number' || typeof parsed[1] !== 'string') {
    throw new InvalidParams('after: not a value from a Link header of this server (drop it to page by offset)');
  }
  return parsed[0] === offset ? parsed[1] : undefined;
}

/** The absolute URL of the next page: same path and filters, offset moved on (transport §4.1.3.3). */
function nextPageUrl(req: Request, offset: number, limit: number, afterKey: string | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query)) {
    if (key === 'offset' || key === 'limit' || key === 'after') continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  params.set('offset', String(offset));
  params.set('limit', String(limit));
  if (afterKey !== undefined) params.set('after', nextCursor(offset, afterKey));
  const base = req.ocpi?.baseUrl ?? `${req.protocol}://${req.get('host')}`;
  return `${base}${req.originalUrl.split('?')[0]}?${params.toString()}`;
}

/** One page of a list: how many items it has, how many match in all, and the key of its last item (see nextCursor). */
export interface PageFrame {
  count: number;
  total: number;
  offset: number;
  limit: number;
  lastKey?: string;
}

/**
 * The headers of a paginated GET: `X-Total-Count` (matches before offset/limit), `X-Limit` (the limit applied),
 * `Link: <next>; rel="next"` unless this is the last page (with `after` when the module gives the key of its
 * last item: see nextCursor).
 */
function setPageHeaders(req: Request, res: Response, page: PageFrame): void {
  res.set('X-Total-Count', String(page.total));
  res.set('X-Limit', String(page.limit));
  const next = page.offset + page.count;
  if (page.count > 0 && next < page.total) res.set('Link', `<${nextPageUrl(req, next, page.limit, page.lastKey)}>; rel="next"`);
}

/** Answers a paginated GET: the page's headers and the envelope with `items`. */
export function sendPage<T>(req: Request, res: Response, page: { items: T[]; total: number; offset: number; limit: number; lastKey?: string }): void {
  setPageHeaders(req, res, { ...page, count: page.items.length });
  sendOcpi(res, page.items);
}

/** sendPage for items already serialized as a JSON array (`data`). */
export function sendSerializedPage(req: Request, res: Response, page: PageFrame & { data: Buffer }): void {
  setPageHeaders(req, res, page);
  sendOcpiJson(res, page.data);
}
