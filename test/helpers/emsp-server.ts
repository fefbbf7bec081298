// A small OCPI 2.2.1 eMSP played for real over HTTP (express on 127.0.0.1, port 0): its own versions and
// details, both directions of the credentials handshake, token authentication, and receivers that
// validate every object cpms sends (strict schemas) and keep them as the eMSP would. Anything off-spec
// is collected in `problems`, which a test asserts to be empty; no nock involved.
import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { validateOcpi, validateOcpiEnvelope, type OcpiSchemaName } from '../../src/ocpi/validate.ts';
import type { Credentials, CredentialsRole, Endpoint } from '../../src/partners/partner.types.ts';
import { trackOpen } from './leak-guard.ts';
import { createEmspApp, reply } from './emsp-routes.ts';

export interface EmspParty {
  countryCode: string;
  partyId: string;
}

/** One request cpms made to a functional module of the eMSP. */
export interface Received {
  module: string;
  method: string;
  /** Path below the module URL, split: e.g. ['NL', 'CPM', 'LOC1', 'EVSE1'] */
  segments: string[];
  query: Record<string, unknown>;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

/** cpms as the eMSP knows it after a handshake: the token to call it with, its endpoints and roles. */
export interface EmspPeer {
  token: string;
  versionsUrl: string;
  endpoints: Endpoint[];
  roles: CredentialsRole[];
}

type Access = 'invited' | 'registered';

const VERSION = '2.2.1';
const MODULE_ROLES: Array<[string, Endpoint['role']]> = [
  ['locations', 'RECEIVER'], ['sessions', 'RECEIVER'], ['cdrs', 'RECEIVER'], ['tariffs', 'RECEIVER'], ['tokens', 'SENDER'], ['commands', 'SENDER'],
];
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export class EmspServer {
  readonly received: Received[] = [];
  /** Spec violations seen in cpms's requests and answers; a test asserts this stays empty. */
  readonly problems: string[] = [];
  /** What the eMSP holds, keyed `{country_code}/{party_id}/{id}` (results: by response_url path). */
  readonly store = { locations: new Map<string, any>(), sessions: new Map<string, any>(), tariffs: new Map<string, any>(), cdrs: new Map<string, any>(), results: new Map<string, any>() };
  /** Tokens this eMSP issued, served by its tokens SENDER (tokens §12.2.2.1), `pageLimit` per page. */
  readonly tokens: any[] = [];
  pageLimit = 2;
  peer?: EmspPeer;
  /** Credentials DELETEs cpms sent (credentials §7.2.4). */
  unregistrations = 0;
  private readonly accepted = new Map<string, Access>();
  private readonly signal = new EventEmitter();

  constructor(readonly party: EmspParty & { name: string }, private readonly server: Server, readonly origin: string) {}

  get versionsUrl(): string {
    return `${this.origin}/ocpi/versions`;
  }

  get base(): string {
    return `${this.origin}/ocpi/${VERSION}`;
  }

  get endpoints(): Endpoint[] {
    return [{ identifier: 'credentials', role: 'SENDER', url: `${this.base}/credentials` }, ...MODULE_ROLES.map(([identifier, role]) => ({ identifier, role, url: `${this.base}/${identifier}` }))];
  }

  credentials(token: string): Credentials {
    return { token, url: this.versionsUrl, roles: [{ role: 'EMSP', country_code: this.party.countryCode, party_id: this.party.partyId, business_details: { name: this.party.name } }] };
  }

  /** The token cpms calls this eMSP with once registered (our token B, or C when cpms initiated). */
  get registeredToken(): string | undefined {
    return [...this.accepted].find(([, access]) => access === 'registered')?.[0];
  }

  /** Whether cpms may call this eMSP with `token`, and for what. */
  accessOf(token: string): Access | undefined {
    return this.accepted.get(token);
  }

  /** CREDENTIALS_TOKEN_A for the operator to register cpms with us (credentials §7.1.1, cpms initiates). */
  issueTokenA(): string {
    const token = randomUUID();
    this.accepted.set(token, 'invited');
    return token;
  }

  /** We initiate (credentials §7.1.1): GET cpms's versions and details with token A, POST our token B. */
  async registerWith(versionsUrl: string, tokenA: string): Promise<EmspPeer> {
    const tokenB = randomUUID();
    this.accepted.set(tokenB, 'invited'); // cpms GETs our versions with it before it answers
    const peer = await this.fetchPeer(versionsUrl, tokenA);
    const res = await this.request('POST', peer.endpoints.find((e) => e.identifier === 'credentials')!.url, tokenA, this.credentials(tokenB));
    const theirs = this.expectData(res.body, 'Credentials', 'POST credentials answer') as Credentials;
    this.accepted.set(tokenB, 'registered');
    this.peer = { ...peer, token: theirs.token, versionsUrl: theirs.url, roles: theirs.roles };
    return this.peer;
  }

  /** credentials §7.2.3: PUT a new token B; cpms fetches our endpoints with it and answers with a new token C. */
  async updateCredentials(): Promise<EmspPeer> {
    const newB = randomUUID();
    // The old token B is dropped first: cpms must fetch our versions with the new one before it answers.
    for (const [token, access] of this.accepted) if (access === 'registered') this.accepted.delete(token);
    this.accepted.set(newB, 'invited');
    const res = await this.call('PUT', 'credentials', '', this.credentials(newB));
    const theirs = this.expectData(res.body, 'Credentials', 'PUT credentials answer') as Credentials;
    this.accepted.set(newB, 'registered');
    this.peer = { ...this.peer!, token: theirs.token, versionsUrl: theirs.url, roles: theirs.roles };
    return this.peer;
  }

  /** Calls cpms's `module` endpoint as this eMSP (token C, routing headers); the envelope is checked. */
  async call(method: string, module: string, path = '', body?: unknown): Promise<{ status: number; headers: Headers; body: any }> {
    if (!this.peer) throw new Error(`eMSP ${this.party.partyId} is not registered`);
    const endpoint = this.peer.endpoints.find((e) => e.identifier === module);
    if (!endpoint) throw new Error(`cpms lists no ${module} endpoint`);
    const cpo = this.peer.roles[0];
    const routing = { 'OCPI-from-country-code': this.party.countryCode, 'OCPI-from-party-id': this.party.partyId, 'OCPI-to-country-code': cpo.country_code, 'OCPI-to-party-id': cpo.party_id };
    return this.request(method, `${endpoint.url}${path}`, this.peer.token, body, routing);
  }

  /** A response_url for an asynchronous CommandResult (commands §13.2.2). */
  responseUrl(command: string): string {
    return `${this.base}/commands/${command}/${randomUUID()}`;
  }

  /** What cpms sent to `module` (optionally only `method`), in arrival order. */
  receivedOf(module: string, method?: string): Received[] {
    return this.received.filter((r) => r.module === module && (method === undefined || r.method === method));
  }

  /** Resolves with `probe()` once it is defined (re-checked on every request cpms makes); bounded. */
  waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    const now = probe();
    if (now !== undefined && now !== false) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined || value === false) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`eMSP ${this.party.partyId}: no ${what} within ${timeoutMs} ms (problems: ${this.problems.join('; ') || 'none'})`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.signal.off('received', check);
      };
      this.signal.on('received', check);
    });
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    const closed = once(this.server, 'close');
    this.server.close();
    await closed;
  }

  // --- outbound -------------------------------------------------------------------------------------

  private async request(method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
    const requestId = randomUUID();
    const res = await fetch(url, {
      method,
      headers: { authorization: `Token ${b64(token)}`, 'x-request-id': requestId, 'x-correlation-id': randomUUID(), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as any;
    const envelope = validateOcpiEnvelope(json, undefined, { strict: true });
    if (!envelope.ok) this.problem(`${method} ${url}: answer is not an OCPI envelope: ${envelope.message}`);
    if (res.headers.get('x-request-id') !== requestId) this.problem(`${method} ${url}: X-Request-ID not echoed`);
    return { status: res.status, headers: res.headers, body: json };
  }

  private async fetchPeer(versionsUrl: string, token: string): Promise<Omit<EmspPeer, 'token' | 'roles'>> {
    const versions = (await this.request('GET', versionsUrl, token)).body;
    const match = this.expectData(versions, 'Version', 'versions', true).find((v: { version: string }) => v.version === VERSION);
    if (!match) throw new Error(`${versionsUrl} offers no ${VERSION}`);
    const details = this.expectData((await this.request('GET', match.url, token)).body, 'VersionDetails', 'version details');
    return { versionsUrl, endpoints: details.endpoints };
  }

  private expectData(envelope: any, name: OcpiSchemaName, what: string, list = false): any {
    const result = validateOcpiEnvelope(envelope, name, { strict: true, list });
    if (!result.ok) this.problem(`${what}: ${result.message}`);
    if (envelope?.status_code !== 1000) throw new Error(`${what}: status_code ${envelope?.status_code} (${envelope?.status_message})`);
    return envelope.data;
  }

  // --- inbound --------------------------------------------------------------------------------------

  problem(text: string): void {
    this.problems.push(text);
  }

  /** Token authentication (transport §4.1.2: `Token <base64>` in 2.2.1); 401 for an unknown token. */
  authenticate(need: Access) {
    return (req: Request, res: Response, next: NextFunction): void => {
      const match = /^Token (\S+)$/.exec(req.get('authorization') ?? '');
      const token = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
      const access = this.accepted.get(token);
      if (!access || (need === 'registered' && access !== 'registered')) {
        this.problem(`${req.method} ${req.originalUrl}: refused credentials token (${access ?? 'unknown'})`);
        reply(res, undefined, { status: 401, code: 2000, message: 'unknown or unauthorized credentials token' });
        return;
      }
      res.locals.token = token;
      next();
    };
  }

  /** credentials §7.2.2, cpms initiates: GET its versions with its token B, answer with our token C. */
  async acceptRegistration(req: Request, res: Response): Promise<void> {
    if (this.accepted.get(res.locals.token) !== 'invited' || this.peer) return reply(res, undefined, { status: 405, code: 2000, message: 'already registered' });
    const result = validateOcpi('Credentials', req.body, { strict: true });
    if (!result.ok) return this.invalid(res, `POST credentials: ${result.message}`);
    const theirs = req.body as Credentials;
    const peer = await this.fetchPeer(theirs.url, theirs.token);
    const tokenC = randomUUID();
    this.accepted.delete(res.locals.token); // token A is spent
    this.accepted.set(tokenC, 'registered');
    this.peer = { ...peer, token: theirs.token, roles: theirs.roles };
    reply(res, this.credentials(tokenC));
  }

  /**
   * credentials §7.2.3, cpms updates its credentials: GET its versions and details with the new token it
   * sends, answer with a new token C; the token C cpms called with stops working.
   */
  async acceptUpdate(req: Request, res: Response): Promise<void> {
    if (!this.peer) return reply(res, undefined, { status: 405, code: 2000, message: 'not registered' });
    const result = validateOcpi('Credentials', req.body, { strict: true });
    if (!result.ok) return this.invalid(res, `PUT credentials: ${result.message}`);
    const theirs = req.body as Credentials;
    const peer = await this.fetchPeer(theirs.url, theirs.token);
    const tokenC = randomUUID();
    this.accepted.delete(res.locals.token);
    this.accepted.set(tokenC, 'registered');
    this.peer = { ...peer, token: theirs.token, roles: theirs.roles };
    reply(res, this.credentials(tokenC));
  }

  /** credentials §7.2.4: cpms ends the connection; neither side may call the other afterwards. */
  acceptUnregistration(res: Response): void {
    this.unregistrations += 1;
    this.accepted.delete(res.locals.token);
    this.peer = undefined;
    reply(res, undefined);
  }

  /** Validates a pushed object; a failure is a problem and answers 2001 (transport §4.1.7 / status codes §5.2). */
  validates(res: Response, name: OcpiSchemaName, r: Received): boolean {
    const result = validateOcpi(name, r.body, { strict: true });
    if (result.ok) return true;
    this.invalid(res, `${r.method} ${r.module}/${r.segments.join('/')} as ${name}: ${result.message}`);
    return false;
  }

  invalid(res: Response, text: string): void {
    this.problem(text);
    reply(res, undefined, { status: 400, code: 2001, message: text });
  }

  record(r: Received): void {
    this.received.push(r);
    this.signal.emit('received');
  }
}

/** Starts an eMSP for `party` on 127.0.0.1 (port 0). The leak guard closes it if a test forgets to. */
export async function startEmspServer(party: EmspParty & { name?: string }): Promise<EmspServer> {
  const app = express();
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const emsp = new EmspServer({ name: `eMSP ${party.partyId}`, ...party }, server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  createEmspApp(app, emsp);
  trackOpen({ name: `eMSP server ${party.partyId}`, isOpen: () => server.listening, forceClose: () => emsp.close() });
  return emsp;
}
