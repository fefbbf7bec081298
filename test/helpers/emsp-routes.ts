// The HTTP side of the test eMSP (see emsp-server.ts): versions, credentials and the module receivers /
// senders, each checking what cpms sends against OCPI 2.2.1 and keeping it the way an eMSP would.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { OcpiSchemaName } from '../../src/ocpi/validate.ts';
import type { EmspServer, Received } from './emsp-server.ts';

const ocpiNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Sends an OCPI envelope (transport §4.1.7). */
export function reply(res: Response, data: unknown, o: { status?: number; code?: number; message?: string } = {}): void {
  res.status(o.status ?? 200).json({ ...(data === undefined ? {} : { data }), status_code: o.code ?? 1000, ...(o.message ? { status_message: o.message } : {}), timestamp: ocpiNow() });
}

type Handler = (emsp: EmspServer, r: Received, req: Request, res: Response) => void;

const unsupported = (res: Response, r: Received) => reply(res, undefined, { status: 405, code: 2000, message: `${r.method} ${r.module}/${r.segments.join('/')} not supported` });

/** transport §4.1.8: the message ids on every request; routing headers on functional modules only. */
function checkHeaders(emsp: EmspServer, req: Request, isRouted: boolean): void {
  const where = `${req.method} ${req.originalUrl}`;
  if (!req.get('x-request-id') || !req.get('x-correlation-id')) emsp.problem(`${where}: X-Request-ID / X-Correlation-ID missing`);
  const to = `${req.get('ocpi-to-country-code')}/${req.get('ocpi-to-party-id')}`;
  const from = `${req.get('ocpi-from-country-code')}/${req.get('ocpi-from-party-id')}`;
  if (!isRouted && (to !== 'undefined/undefined' || from !== 'undefined/undefined')) emsp.problem(`${where}: routing headers on a configuration module`);
  if (isRouted && to !== `${emsp.party.countryCode}/${emsp.party.partyId}`) emsp.problem(`${where}: OCPI-to-* is ${to}, not this eMSP`);
  if (isRouted && from === 'undefined/undefined') emsp.problem(`${where}: OCPI-from-* missing`);
}

/** A client owned object (transport §4.1.5) must sit at /{its country_code}/{its party_id}/{its id}, sent from that party. */
function checkOwner(emsp: EmspServer, r: Received, body?: { country_code?: string; party_id?: string; id?: string }): void {
  const [cc, pid, id] = r.segments;
  const from = `${r.headers['ocpi-from-country-code']}/${r.headers['ocpi-from-party-id']}`;
  if (from !== `${cc}/${pid}`) emsp.problem(`${r.method} ${r.module}/${r.segments.join('/')}: sent from ${from}`);
  if (body && (body.country_code !== cc || body.party_id !== pid || body.id !== id)) emsp.problem(`${r.method} ${r.module}/${r.segments.join('/')}: body is ${body.country_code}/${body.party_id}/${body.id}`);
}

/** locations §8.2.2: PUT / PATCH of a Location, EVSE or Connector; PATCHes merge into what was PUT. */
const locations: Handler = (emsp, r, _req, res) => {
  const depth = r.segments.length - 3;
  if (depth < 0 || depth > 2 || !['PUT', 'PATCH'].includes(r.method)) return unsupported(res, r);
  const name = (['Location', 'EVSE', 'Connector'] as const)[depth];
  if (!emsp.validates(res, (r.method === 'PATCH' ? `${name}Patch` : name) as OcpiSchemaName, r)) return;
  checkOwner(emsp, r, depth === 0 && r.method === 'PUT' ? r.body : undefined);
  const key = r.segments.slice(0, 3).join('/');
  const location = emsp.store.locations.get(key);
  if (depth === 0) {
    emsp.store.locations.set(key, r.method === 'PUT' ? r.body : { ...location, ...r.body });
    return reply(res, undefined);
  }
  const evses: any[] = location?.evses ?? [];
  const evse = evses.find((e) => e.uid === r.segments[3]);
  if (!location || (!evse && (depth === 2 || r.method === 'PATCH'))) {
    emsp.problem(`${r.method} locations/${r.segments.join('/')}: parent object never PUT`);
    return reply(res, undefined, { status: 404, code: 2003, message: 'unknown location' });
  }
  if (depth === 1) Object.assign(location, { evses: [...evses.filter((e) => e !== evse), r.method === 'PUT' ? r.body : { ...evse, ...r.body }], last_updated: r.body.last_updated });
  else evse.connectors = (evse.connectors as any[]).map((c) => (c.id === r.segments[4] ? (r.method === 'PUT' ? r.body : { ...c, ...r.body }) : c));
  reply(res, undefined);
};

/** sessions §9.2.2: PUT replaces a Session; a PATCH updates fields and appends charging_periods. */
const sessions: Handler = (emsp, r, _req, res) => {
  if (r.segments.length !== 3 || !['PUT', 'PATCH'].includes(r.method)) return unsupported(res, r);
  if (!emsp.validates(res, r.method === 'PUT' ? 'Session' : 'SessionPatch', r)) return;
  checkOwner(emsp, r, r.method === 'PUT' ? r.body : undefined);
  const key = r.segments.join('/');
  const stored = emsp.store.sessions.get(key);
  if (r.method === 'PATCH' && !stored) {
    emsp.problem(`PATCH sessions/${key}: session never PUT`);
    return reply(res, undefined, { status: 404, code: 2001, message: 'unknown session' });
  }
  const periods = [...(stored?.charging_periods ?? []), ...(r.body.charging_periods ?? [])];
  emsp.store.sessions.set(key, r.method === 'PUT' ? r.body : { ...stored, ...r.body, ...(periods.length ? { charging_periods: periods } : {}) });
  reply(res, undefined);
};

/** tariffs §11.2.2: PUT / DELETE of a Tariff. */
const tariffs: Handler = (emsp, r, _req, res) => {
  if (r.segments.length !== 3 || !['PUT', 'DELETE'].includes(r.method)) return unsupported(res, r);
  const key = r.segments.join('/');
  if (r.method === 'DELETE') {
    checkOwner(emsp, r);
    if (!emsp.store.tariffs.delete(key)) emsp.problem(`DELETE tariffs/${key}: tariff never PUT`);
    return reply(res, undefined);
  }
  if (!emsp.validates(res, 'Tariff', r)) return;
  checkOwner(emsp, r, r.body);
  emsp.store.tariffs.set(key, r.body);
  reply(res, undefined);
};

/** cdrs §10.2.2: POST of a new CDR (never twice), answered with its URL in Location; GET that URL. */
const cdrs: Handler = (emsp, r, _req, res) => {
  if (r.method === 'GET' && r.segments.length === 1) {
    const cdr = [...emsp.store.cdrs.values()].find((c) => c.id === r.segments[0]);
    return cdr ? reply(res, cdr) : reply(res, undefined, { status: 404, code: 2001, message: 'unknown CDR' });
  }
  if (r.method !== 'POST' || r.segments.length !== 0) return unsupported(res, r);
  if (!emsp.validates(res, 'CDR', r)) return;
  const key = `${r.body.country_code}/${r.body.party_id}/${r.body.id}`;
  const from = `${r.headers['ocpi-from-country-code']}/${r.headers['ocpi-from-party-id']}`;
  if (!key.startsWith(`${from}/`)) emsp.problem(`POST cdrs: CDR ${key} sent from ${from}`);
  if (emsp.store.cdrs.has(key)) emsp.problem(`POST cdrs: CDR ${key} received twice`);
  emsp.store.cdrs.set(key, r.body);
  res.set('Location', `${emsp.base}/cdrs/${encodeURIComponent(r.body.id)}`);
  reply(res, undefined);
};

/** commands §13.2.2: the CommandResult POSTed to the response_url we gave. */
const commands: Handler = (emsp, r, _req, res) => {
  if (r.method !== 'POST' || r.segments.length !== 2) return unsupported(res, r);
  if (!emsp.validates(res, 'CommandResult', r)) return;
  const key = `/${r.segments.join('/')}`;
  if (emsp.store.results.has(key)) emsp.problem(`POST commands${key}: result received twice`);
  emsp.store.results.set(key, r.body);
  reply(res, undefined);
};

/** tokens §12.2.2: our token list (paginated, transport §4.1.4) and real-time authorization. */
const tokens: Handler = (emsp, r, req, res) => {
  if (r.method === 'POST' && r.segments.length === 2 && r.segments[1] === 'authorize') {
    if (r.body !== undefined && Object.keys(r.body).length > 0 && !emsp.validates(res, 'LocationReferences', r)) return;
    const token = emsp.tokens.find((t) => t.uid === r.segments[0] && (req.query.type ?? 'RFID') === t.type);
    if (!token) return reply(res, undefined, { status: 404, code: 2004, message: 'unknown token' });
    return reply(res, { allowed: token.valid ? 'ALLOWED' : 'BLOCKED', token });
  }
  if (r.method !== 'GET' || r.segments.length !== 0) return unsupported(res, r);
  const from = typeof req.query.date_from === 'string' ? Date.parse(req.query.date_from) : -Infinity;
  const all = emsp.tokens.filter((t) => Date.parse(t.last_updated) >= from);
  const offset = Number(req.query.offset ?? 0);
  const limit = Math.min(Number(req.query.limit ?? emsp.pageLimit), emsp.pageLimit);
  if (offset + limit < all.length) {
    const next = new URL(`${emsp.base}/tokens`);
    for (const [k, v] of Object.entries({ ...req.query, offset: String(offset + limit), limit: String(limit) })) next.searchParams.set(k, String(v));
    res.set('Link', `<${next}>; rel="next"`);
  }
  res.set({ 'X-Total-Count': String(all.length), 'X-Limit': String(limit) });
  reply(res, all.slice(offset, offset + limit));
};

const MODULES: Record<string, Handler> = { locations, sessions, tariffs, cdrs, commands, tokens };

/** Mounts versions, credentials and the modules on `app`. */
export function createEmspApp(app: Express, emsp: EmspServer): void {
  const invited = emsp.authenticate('invited');
  app.use(express.json({ type: () => true }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    checkHeaders(emsp, req, !/^\/ocpi\/(versions|2\.2\.1)?(\/credentials)?\/?$/.test(req.path));
    res.set({ 'X-Request-ID': req.get('x-request-id') ?? '', 'X-Correlation-ID': req.get('x-correlation-id') ?? '' });
    next();
  });
  app.get('/ocpi/versions', invited, (_req, res) => reply(res, [{ version: '2.2.1', url: emsp.base }]));
  app.get('/ocpi/2.2.1', invited, (_req, res) => reply(res, { version: '2.2.1', endpoints: emsp.endpoints }));
  app.get('/ocpi/2.2.1/credentials', invited, (_req, res) => reply(res, emsp.credentials(res.locals.token)));
  app.post('/ocpi/2.2.1/credentials', invited, (req, res) => emsp.acceptRegistration(req, res));
  app.put('/ocpi/2.2.1/credentials', emsp.authenticate('registered'), (req, res) => emsp.acceptUpdate(req, res));
  app.delete('/ocpi/2.2.1/credentials', emsp.authenticate('registered'), (_req, res) => emsp.acceptUnregistration(res));
  app.use('/ocpi/2.2.1/:module', emsp.authenticate('registered'), (req: Request, res: Response) => {
    const module = String(req.params.module);
    const r: Received = { module, method: req.method, segments: req.path.split('/').filter(Boolean).map(decodeURIComponent), query: req.query, body: req.body, headers: req.headers };
    const handle = MODULES[module];
    if (!handle) {
      emsp.problem(`${req.method} ${req.originalUrl}: no such module`);
      return reply(res, undefined, { status: 404, code: 2000, message: 'unknown module' });
    }
    handle(emsp, r, req, res);
    emsp.record(r);
  });
  app.use((err: Error, req: Request, res: Response, _next: NextFunction) => {
    emsp.problem(`${req.method} ${req.originalUrl}: eMSP failed: ${err.message}`);
    reply(res, undefined, { status: 500, code: 3000, message: err.message });
  });
}
