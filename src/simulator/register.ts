// `--register`: creates the fleet's chargers and id tags through the admin API of the server under test,
// a thousand per request (POST /api/v1/chargers/bulk, /tokens/bulk with onExisting=skip: one that exists
// already is kept as it is).
import { Agent, fetch } from 'undici';
import { InvalidInput, UpstreamFailed } from '../shared/errors.ts';
import type { Fleet } from './fleet.ts';
import { allIdTags } from './options.ts';

export interface RegistrationOptions {
  /** the admin API base, e.g. http://localhost:8080/api/v1 */
  apiUrl: string;
  apiKey: string;
  /** attach each charger to this location, with an EVSE named after it (a CDR needs one) */
  locationId?: string;
  /** rows per bulk request (the admin API takes up to 10,000) */
  batchSize?: number;
  /** false: the id tags exist already (e.g. an eMSP's tokens): only the chargers are created */
  tokens?: boolean;
}

export interface RegistrationResult {
  chargers: { created: number; existing: number };
  tokens: { created: number; existing: number };
}

/** The admin API on the host of an OCPP URL: ws://h:p/ocpp → http://h:p/api/v1 (wss → https). */
export function adminApiUrl(ocppUrl: string): string {
  const u = new URL(ocppUrl);
  return `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}/api/v1`;
}

const EVSE_UID_MAX = 36; // OCPI 2.2.1 EVSE.uid: CiString(36)

export async function registerFleet(fleet: Fleet, o: RegistrationOptions): Promise<RegistrationResult> {
  const chargers = fleet.chargers.map((c) => {
    if (c.password === undefined) throw new InvalidInput('register: the chargers need a password (password or passwordSecret)');
    if (o.locationId && c.id.length > EVSE_UID_MAX) throw new InvalidInput(`register: charger id ${c.id} is too long to name its EVSE (${EVSE_UID_MAX} characters)`);
    return { id: c.id, password: c.password, ...(o.locationId ? { locationId: o.locationId, evseUid: c.id } : {}) };
  });
  const dispatcher = fleet.options.ca ? new Agent({ connect: { ca: fleet.options.ca } }) : undefined;
  const post = async (path: string, rows: object[]): Promise<Counts> => {
    const res = await fetch(`${o.apiUrl}${path}?onExisting=skip`, { method: 'POST', headers: { authorization: `Bearer ${o.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(rows), ...(dispatcher ? { dispatcher } : {}) });
    const text = await res.text();
    const answer = parseJson(text);
    if (res.status === 200 && typeof answer?.created === 'number') return { created: answer.created, existing: answer.existing };
    // Not applied: the first failed row says why (e.g. a location that does not exist).
    const failed = answer?.results?.find((r) => r.status === 'failed');
    const message = failed ? `row ${failed.row} (${failed.id}): ${failed.error}` : (answer?.error?.message ?? text);
    throw new UpstreamFailed(`register: POST ${o.apiUrl}${path} answered ${res.status}: ${message}`);
  };
  try {
    const size = o.batchSize ?? 1000;
    const c = await inBatches(chargers, size, (rows) => post('/chargers/bulk', rows));
    if (o.tokens === false) return { chargers: c, tokens: { created: 0, existing: 0 } };
    const t = await inBatches(allIdTags(fleet.options).map((uid) => ({ uid })), size, (rows) => post('/tokens/bulk', rows));
    return { chargers: c, tokens: t };
  } finally {
    await dispatcher?.close();
  }
}

interface Counts {
  created: number;
  existing: number;
}

interface BulkAnswer {
  created?: number;
  existing: number;
  error?: { message?: string };
  results?: Array<{ row: number; id: string | null; status: string; error?: string }>;
}

function parseJson(text: string): BulkAnswer | undefined {
  try {
    return JSON.parse(text) as BulkAnswer;
  } catch {
    return undefined; // not JSON: the text itself says what went wrong
  }
}

/** Sends `items` in requests of `size` rows, one after the other; adds up created and existing. */
async function inBatches<T extends object>(items: T[], size: number, send: (rows: T[]) => Promise<Counts>): Promise<Counts> {
  const counts = { created: 0, existing: 0 };
  for (let i = 0; i < items.length; i += size) {
    const part = await send(items.slice(i, i + size));
    counts.created += part.created;
    counts.existing += part.existing;
  }
  return counts;
}
