import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import { hashSecret, newSecret } from '../shared/ids.ts';
// This service is the OCPI credentials handshake (credentials §7, §8): it calls the partner's versions and
// credentials endpoints, validates their answers and answers with OCPI status codes (2000/405, 3001-3003),
// so it uses the OCPI transport's client, schemas and errors; moving it under ocpi/ is a larger change.
// eslint-disable-next-line no-restricted-syntax -- OCPI credentials handshake: validates partner answers against the OCPI schemas
import { assertOcpi } from '../ocpi/validate.ts';
// eslint-disable-next-line no-restricted-syntax -- OCPI credentials handshake: calls the partner's versions/credentials endpoints
import { requestOcpi, type OcpiReply, type RawCall } from '../ocpi/client.ts';
// eslint-disable-next-line no-restricted-syntax -- OCPI credentials handshake: 3002/3003 and 2000 with HTTP 405 have no domain error equivalent
import { ClientError, InvalidParams, NoMatchingEndpoints, PartnerApiFailed, UnsupportedVersion } from '../ocpi/errors.ts';
import { cancelPartnerPushes } from './outbox.repo.ts';
import { abandonTokenUpdate, beginTokenUpdate, finishTokenUpdate, getPartner, insertPartner, updatePartner, type PartnerChanges } from './partner.repo.ts';
import type { PartnerService } from './partner.service.ts';
import { OUTGOING_TOKEN, hasPartnerParty, type Credentials, type Endpoint, type Partner, type TokenEncoding } from './partner.types.ts';

const VERSION = '2.2.1';

interface PartnerVersion {
  versionsUrl: string;
  endpoints: Endpoint[];
  encoding: TokenEncoding;
}

/** Values that forget every token of a partner: it can no longer call us, nor we it. */
const NO_TOKENS: PartnerChanges = { tokenAHash: null, tokenHash: null, tokenRemote: null, tokenNextHash: null };

/**
 * The credentials handshake (OCPI 2.2.1 credentials §7) in both directions, with the spec's token names:
 * the Receiver issues CREDENTIALS_TOKEN_A; the Sender POSTs CREDENTIALS_TOKEN_B (for the Receiver to call
 * it) and gets CREDENTIALS_TOKEN_C back (to call the Receiver from then on).
 */
export class CredentialsService {
  constructor(private readonly o: { db: Knex; clock: Clock; logger: Logger; partners: PartnerService }) {}

  /**
   * GETs the partner's versions and the 2.2.1 details with `token`. Tries the 2.2.1 base64 header
   * first and the raw token after a 401 (transport §4.1.2 note on 2.1.1/2.2 implementations).
   */
  async fetchVersion(versionsUrl: string, token: string, encoding?: TokenEncoding): Promise<PartnerVersion> {
    const get = (url: string, enc: TokenEncoding) => requestOcpi({ url, method: 'GET', token, encoding: enc });
    let used: TokenEncoding = encoding ?? 'base64';
    let versions: OcpiReply;
    try {
      versions = await get(versionsUrl, used);
    } catch (err) {
      if (encoding || !(err instanceof PartnerApiFailed) || err.reply.httpStatus !== 401) throw err;
      used = 'raw';
      versions = await get(versionsUrl, used);
    }
    const list = Array.isArray(versions.data) ? (versions.data as Array<{ version?: unknown; url?: unknown }>) : [];
    const match = list.find((v) => v.version === VERSION && typeof v.url === 'string');
    if (!match) throw new UnsupportedVersion(`${versionsUrl} offers no OCPI ${VERSION} (offered: ${list.map((v) => String(v.version)).join(', ') || 'none'})`);
    const details = await get(String(match.url), used);
    assertDetails(details.data, String(match.url));
    return { versionsUrl, endpoints: (details.data as { endpoints: Endpoint[] }).endpoints, encoding: used };
  }

  /** POST by an invited partner (we are the Receiver): token B in, token C out (§7.2.2). */
  async acceptRegistration(partner: Partner, body: unknown, baseUrl: string): Promise<Credentials> {
    // credentials §7.2.2: 405 when the client has already been registered
    if (partner.status !== 'INVITED') throw new ClientError('already registered: use PUT to update the credentials', 405);
    const theirs = readCredentials(body);
    const invited = { countryCode: partner.countryCode, partyId: partner.partyId };
    if (!hasPartnerParty({ ...partner, countryCode: '', partyId: '', roles: theirs.roles }, invited)) {
      throw new InvalidParams(`roles: must include the invited party ${invited.countryCode}/${invited.partyId}`);
    }
    const version = await this.fetchVersion(theirs.url, theirs.token);
    const tokenC = newSecret();
    await updatePartner(this.o.db, partner.id, { ...fromCredentials(theirs, version), tokenAHash: null, tokenHash: hashSecret(tokenC), tokenRemote: theirs.token, status: 'REGISTERED', registeredAt: this.o.clock.now() });
    this.o.logger.info('partner registered with us', { partnerId: partner.id, party: `${partner.countryCode}/${partner.partyId}` });
    return this.o.partners.ownCredentials(tokenC, baseUrl);
  }

  /** PUT by a registered partner: new token for us, endpoints fetched again, new token for it (§7.2.3). */
  async acceptUpdate(partner: Partner, isInvited: boolean, body: unknown, baseUrl: string): Promise<Credentials> {
    if (partner.status !== 'REGISTERED' || isInvited) throw new ClientError('not registered: use POST to register', 405);
    const theirs = readCredentials(body);
    const version = await this.fetchVersion(theirs.url, theirs.token);
    const token = newSecret();
    await updatePartner(this.o.db, partner.id, { ...fromCredentials(theirs, version), tokenHash: hashSecret(token), tokenRemote: theirs.token });
    this.o.logger.info('partner updated its credentials', { partnerId: partner.id });
    return this.o.partners.ownCredentials(token, baseUrl);
  }

  /** DELETE by a registered partner: both sides stop calling each other (§7.2.4). */
  async acceptUnregistration(partner: Partner, isInvited: boolean): Promise<void> {
    if (partner.status !== 'REGISTERED' || isInvited) throw new ClientError('not registered', 405);
    const cancelled = (await this.markUnregistered(partner.id, 'by the partner')).cancelled;
    this.o.logger.info('partner unregistered itself', { partnerId: partner.id, cancelledPushes: cancelled });
  }

  /**
   * We are the Sender (credentials §7.1.1): with the partner's token A, GET its versions and details,
   * POST our credentials with a fresh token B, keep the token C it answers with.
   */
  async register(opts: { versionsUrl: string; tokenA: string; role?: string }, baseUrl: string): Promise<Partner> {
    if (!/^https?:\/\/\S+$/.test(opts.versionsUrl)) throw new InvalidInput('versionsUrl: must be an http(s) URL');
    if (!opts.tokenA) throw new InvalidInput('token: required');
    const version = await this.fetchVersion(opts.versionsUrl, opts.tokenA);
    credentialsEndpoint(version.endpoints, opts.versionsUrl); // §7.1.6: no partner row when it cannot be POSTed to
    // Token B must work before our POST: the partner GETs our versions with it while answering (§7.1.1).
    // The party is unknown until its credentials come back.
    const tokenB = newSecret();
    const pending = await insertPartner(this.o.db, {
      countryCode: '', partyId: '', role: opts.role ?? 'EMSP', status: 'INVITED', versionsUrl: opts.versionsUrl, version: VERSION,
      endpoints: version.endpoints, tokenEncoding: version.encoding, tokenHash: hashSecret(tokenB),
    });
    try {
      const theirs = await this.offerCredentials({ version, method: 'POST', token: opts.tokenA, ourToken: tokenB }, baseUrl);
      const main = theirs.roles.find((r) => r.role === (opts.role ?? 'EMSP')) ?? theirs.roles[0];
      const partner = await updatePartner(this.o.db, pending.id, {
        ...fromCredentials(theirs, version), countryCode: main.country_code.toUpperCase(), partyId: main.party_id.toUpperCase(),
        tokenRemote: theirs.token, status: 'REGISTERED', registeredAt: this.o.clock.now(),
      });
      this.o.logger.info('registered with partner', { partnerId: partner.id, party: `${partner.countryCode}/${partner.partyId}` });
      return partner;
    } catch (err) {
      await updatePartner(this.o.db, pending.id, { ...NO_TOKENS, status: 'UNREGISTERED' });
      throw err;
    }
  }

  /**
   * We update our credentials at a registered partner (credentials §7.1.4, the client of a PUT §7.2.3):
   * with the token we call it with, GET its versions and details again, PUT our credentials with a fresh
   * token, keep the token, roles and endpoints it answers with. The fresh token works from before the PUT
   * (the partner fetches our versions with it) and the old one until the partner has accepted; on any
   * failure only the old one remains and nothing else changes.
   */
  async updateCredentials(id: number, baseUrl: string): Promise<Partner> {
    const partner = await getPartner(this.o.db, id);
    const token = partner[OUTGOING_TOKEN];
    if (partner.status !== 'REGISTERED' || !token || !partner.versionsUrl) throw new Conflict(`OCPI partner ${id} is not registered`);
    const newToken = newSecret();
    const newHash = hashSecret(newToken);
    if (!(await beginTokenUpdate(this.o.db, id, newHash))) throw new Conflict(`OCPI partner ${id}: another credentials update is under way`);
    try {
      const version = await this.fetchVersion(partner.versionsUrl, token, partner.tokenEncoding);
      const theirs = await this.offerCredentials({ version, method: 'PUT', token, ourToken: newToken }, baseUrl);
      const updated = await finishTokenUpdate(this.o.db, id, newHash, { ...fromCredentials(theirs, version), tokenRemote: theirs.token });
      // The partner took the new token, but meanwhile it was unregistered or a stale-looking update taken over.
      if (!updated) throw new Conflict(`OCPI partner ${id} was unregistered, or its update taken over, during the credentials update`);
      this.o.logger.info('updated our credentials at partner', { partnerId: id, endpoints: updated.endpoints.length });
      return updated;
    } catch (err) {
      await abandonTokenUpdate(this.o.db, id, newHash);
      throw err;
    }
  }

  /**
   * Ends a connection from our side: DELETE on the partner's credentials endpoint (§7.2.4), then forget
   * the tokens. Local state is unregistered even when the partner cannot be reached; `remote` says how it went.
   */
  async unregister(id: number): Promise<{ partner: Partner; remote: string }> {
    const partner = await getPartner(this.o.db, id);
    if (partner.status === 'UNREGISTERED') throw new NotFound(`OCPI partner ${id} is already unregistered`);
    let remote = 'not registered: invitation revoked';
    if (partner.status === 'REGISTERED') {
      remote = 'deleted';
      try {
        await this.callCredentials(partner, 'DELETE');
      } catch (err) {
        remote = `DELETE failed: ${(err as Error).message}`;
        this.o.logger.warn('partner could not be told about the unregistration', { partnerId: id, err: (err as Error).message });
      }
    }
    return { partner: (await this.markUnregistered(id, 'by us')).partner, remote };
  }

  /** Our credentials as GET answers them: the token the caller used (credentials §7.2.1). */
  async credentialsFor(partner: Partner, tokenCandidates: string[], baseUrl: string): Promise<Credentials> {
    for (const token of tokenCandidates) {
      const found = await this.o.partners.authenticate([token]);
      if (found?.partner.id === partner.id) return this.o.partners.ownCredentials(token, baseUrl);
    }
    throw new ClientError('credentials token not found', 401);
  }

  /**
   * UNREGISTERED, tokens forgotten, and the partner's queued pushes CANCELLED in the same transaction:
   * nobody can deliver them any more (a new registration is a new partner row that gets a fresh sync).
   */
  private async markUnregistered(id: number, by: string): Promise<{ partner: Partner; cancelled: number }> {
    return this.o.db.transaction(async (trx) => {
      const partner = await updatePartner(trx, id, { ...NO_TOKENS, status: 'UNREGISTERED' });
      return { partner, cancelled: await cancelPartnerPushes(trx, id, `cancelled: partner unregistered (${by})`) };
    });
  }

  /**
   * The client's last steps of a POST (§7.1.1) or PUT (§7.2.3): our credentials carrying `ourToken` to the
   * partner's credentials endpoint in `version`, authorized with `token`; its Credentials back.
   */
  private async offerCredentials(o: { version: PartnerVersion; method: 'POST' | 'PUT'; token: string; ourToken: string }, baseUrl: string): Promise<Credentials> {
    const endpoint = credentialsEndpoint(o.version.endpoints, o.version.versionsUrl);
    const ours = await this.o.partners.ownCredentials(o.ourToken, baseUrl);
    const reply = await requestOcpi({ url: endpoint.url, method: o.method, token: o.token, encoding: o.version.encoding, body: ours });
    return readCredentials(reply.data, 'answer');
  }

  private async callCredentials(partner: Partner, method: RawCall['method']): Promise<void> {
    const endpoint = credentialsEndpoint(partner.endpoints, partner.versionsUrl ?? '');
    await requestOcpi({ url: endpoint.url, method, token: partner[OUTGOING_TOKEN] ?? '', encoding: partner.tokenEncoding });
  }
}

/** versions §6.2.1: the role of a credentials endpoint is not relevant; take it whatever it says. */
function credentialsEndpoint(endpoints: Endpoint[], where: string): Endpoint {
  const endpoint = endpoints.find((e) => e.identifier === 'credentials');
  if (!endpoint) throw new NoMatchingEndpoints(`${where}: version ${VERSION} lists no credentials endpoint`);
  return endpoint;
}

function assertDetails(data: unknown, url: string): void {
  try {
    assertOcpi('VersionDetails', data);
  } catch (err) {
    throw new PartnerApiFailed(`GET ${url}: invalid version details: ${(err as Error).message}`);
  }
  if ((data as { version: string }).version !== VERSION) throw new UnsupportedVersion(`${url} describes version ${(data as { version: string }).version}, not ${VERSION}`);
}

/** A Credentials object from a request body (→ 2001) or from a partner's answer (→ 3001). */
function readCredentials(value: unknown, from: 'body' | 'answer' = 'body'): Credentials {
  try {
    assertOcpi('Credentials', value);
  } catch (err) {
    if (from === 'body') throw err;
    throw new PartnerApiFailed(`credentials answer: ${(err as Error).message}`);
  }
  return value as Credentials;
}

function fromCredentials(c: Credentials, v: PartnerVersion): PartnerChanges {
  return { roles: c.roles, name: c.roles[0]?.business_details?.name ?? null, versionsUrl: c.url, version: VERSION, endpoints: v.endpoints, tokenEncoding: v.encoding };
}
