// Pure: the query of GET /api/v1/live/chargers, and its opaque keyset cursor (the last charger id of a page).
import { InvalidInput } from '../shared/errors.ts';

/** Connection states, then the OCPP 1.6 ChargePointStatus values (§7.7) a connector may be in. */
export const LIVE_STATUSES = ['connected', 'disconnected', 'Available', 'Preparing', 'Charging', 'SuspendedEVSE', 'SuspendedEV', 'Finishing', 'Reserved', 'Unavailable', 'Faulted'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];

export interface LiveQuery {
  locationId?: string;
  /** connected / disconnected: the charger's socket; an OCPP status: chargers with a connector in it. */
  status?: LiveStatus;
  limit: number;
  /** Chargers with an id after this one (from `cursor`). */
  afterId?: string;
}

export const DEFAULT_LIVE_LIMIT = 100;
export const MAX_LIVE_LIMIT = 500;

export const encodeCursor = (chargePointId: string): string => Buffer.from(chargePointId, 'utf8').toString('base64url');

function decodeCursor(raw: string): string {
  const id = /^[A-Za-z0-9_-]{1,100}$/.test(raw) ? Buffer.from(raw, 'base64url').toString('utf8') : '';
  if (id === '' || id.length > 48 || encodeCursor(id) !== raw) throw new InvalidInput('cursor: not a cursor this API gave (use nextCursor of the previous page)');
  return id;
}

function param(q: Record<string, unknown>, name: string, max: number): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '' || v.length > max) throw new InvalidInput(`${name}: must be a string of 1 to ${max} characters`);
  return v;
}

/** `locationId`, `status`, `limit` (1..500, default 100) and `cursor`, each checked (400 when wrong). */
export function parseLiveQuery(q: Record<string, unknown>): LiveQuery {
  const status = param(q, 'status', 20);
  if (status !== undefined && !(LIVE_STATUSES as readonly string[]).includes(status)) throw new InvalidInput(`status: must be one of ${LIVE_STATUSES.join(', ')}`);
  const rawLimit = param(q, 'limit', 4);
  if (rawLimit !== undefined && (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_LIVE_LIMIT)) throw new InvalidInput(`limit: must be an integer from 1 to ${MAX_LIVE_LIMIT}`);
  const cursor = param(q, 'cursor', 100);
  return {
    locationId: param(q, 'locationId', 36),
    status: status as LiveStatus | undefined,
    limit: rawLimit === undefined ? DEFAULT_LIVE_LIMIT : Number(rawLimit),
    afterId: cursor === undefined ? undefined : decodeCursor(cursor),
  };
}
