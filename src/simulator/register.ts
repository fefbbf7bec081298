// `--register`: creates the fleet's chargers and id tags through the admin API of the server under test
// (POST /api/v1/chargers, POST /api/v1/tokens); one that exists already (409) is fine.
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
  /** requests in flight at once */
  concurrency?: number;
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
  const post = async (path: string, body: object): Promise<'created' | 'existing'> => {
    const res = await fetch(`${o.apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${o.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body), ...(dispatcher ? { dispatcher } : {}) });
    const text = await res.text();
    if (res.status === 201 || res.status === 200) return 'created';
    if (res.status === 409) return 'existing';
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
    } catch {
      // not JSON: the text itself says what went wrong
    }
    throw new UpstreamFailed(`register: POST ${o.apiUrl}${path} answered ${res.status}: ${message}`);
  };
  try {
    const c = await inBatches(chargers, o.concurrency ?? 16, (body) => post('/chargers', body));
    const t = await inBatches(allIdTags(fleet.options), o.concurrency ?? 16, (uid) => post('/tokens', { uid }));
    return { chargers: c, tokens: t };
  } finally {
    await dispatcher?.close();
  }
}

/** Runs `fn` over `items` with at most `concurrency` in flight; counts created and existing. */
async function inBatches<T>(items: T[], concurrency: number, fn: (item: T) => Promise<'created' | 'existing'>): Promise<{ created: number; existing: number }> {
  const counts = { created: 0, existing: 0 };
  let next = 0;
  const worker = async () => {
    while (next < items.length) counts[await fn(items[next++])]++;
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return counts;
}
