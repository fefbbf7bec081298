import type { Knex } from 'knex';
import { checkPassword } from '../access/operator.service.ts';
import { PasswordLogin } from '../access/password-login.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, InvalidInput, NotFound, Unauthorized } from '../shared/errors.ts';
import { hashSecret, newSecret } from '../shared/ids.ts';
import type { PasswordHasher } from '../shared/password.ts';
import { formatMoney } from '../tariffs/price-words.ts';
import type { AccessService } from './access.service.ts';
import type { RunningCost } from './adhoc.service.ts';
import { findAdhocPlace } from './adhoc.repo.ts';
import * as repo from './driver-account.repo.ts';
import { findDriver, listTokensOfDriver } from './driver.repo.ts';

/** Driver session tokens: never an operator session (`cpmsop_`) nor an API key (`cpms_`); the admin API knows none of them. */
const SESSION_PREFIX = 'cpmsdr_';

/** A session of the driver's tokens as the driver app shows it. */
export interface DriverHistoryItem {
  id: number;
  status: string;
  evseUid: string | null;
  tokenUid: string;
  startAt: Date;
  stopAt: Date | null;
  kWh: number;
  /** Active: the cost so far (priced as its CDR would be, incl. VAT); stopped: its CDR's total incl. VAT; null before either. */
  cost: { amount: number; currency: string; text: string } | null;
  cdrId: string | null;
}

export interface DriverAccountOptions {
  db: Knex;
  clock: Clock;
  passwords: PasswordHasher;
  sessionTtlMin: number;
  maxFailedLogins: number;
  lockoutMin: number;
  access: Pick<AccessService, 'check'>;
  commands: CommandSender;
  costs: RunningCost;
  callTimeoutMs: number;
}

/**
 * Driver accounts (issue 11): a driver signs in with the email the operator gave it and the password the
 * operator set (scrypt off the event loop, at most 2 checks at once, lock-out as operators), starts with one
 * of its own tokens (the access rules of its groups decide, as for an RFID card), follows and stops its
 * sessions and sees their history with the CDRs' costs. A driver session opens nothing of the admin API.
 */
export class DriverAccountService {
  private readonly logins: PasswordLogin<repo.DriverCredentials>;

  constructor(private readonly o: DriverAccountOptions) {
    this.logins = new PasswordLogin({
      ...o,
      accounts: {
        findByEmail: (email) => repo.findDriverCredentialsByEmail(o.db, email),
        recordFailure: (id, lock) => repo.recordDriverFailedLogin(o.db, id, lock),
        resetFailures: (id) => repo.resetDriverFailedLogins(o.db, id),
      },
    });
  }

  /** The operator sets (or resets) the driver's password; every session of the driver ends, a lock-out is lifted. */
  async setPassword(driverId: number, password: unknown): Promise<void> {
    const checked = checkPassword(password);
    const driver = await findDriver(this.o.db, driverId);
    if (!driver) throw new NotFound(`driver ${driverId} not found`);
    if (!driver.email) throw new Conflict(`driver ${driverId} has no email to sign in with: set one first (PATCH /drivers/${driverId})`);
    const hash = await this.o.passwords.hash(checked);
    await this.o.db.transaction(async (trx) => {
      await repo.updateDriverPassword(trx, driverId, hash);
      await repo.deleteDriverSessions(trx, driverId, { expiredOnly: false });
    });
  }

  async login(email: unknown, password: unknown): Promise<{ token: string; expiresAt: Date; driver: { id: number; name: string; email: string } }> {
    const account = await this.logins.check(email, password);
    const token = `${SESSION_PREFIX}${newSecret(32)}`;
    const expiresAt = new Date(this.o.clock.now().getTime() + this.o.sessionTtlMin * 60_000);
    await repo.deleteDriverSessions(this.o.db, account.id, { expiredOnly: true });
    await repo.insertDriverSession(this.o.db, { driverId: account.id, tokenHash: hashSecret(token), expiresAt });
    return { token, expiresAt, driver: { id: account.id, name: account.name, email: account.email } };
  }

  /** The driver session of a bearer token; 401 for anything else (an operator session or API key included). */
  async authenticate(token: string | undefined): Promise<{ sessionId: number; driverId: number }> {
    if (!token || !token.startsWith(SESSION_PREFIX) || token.length > 200) throw new Unauthorized('sign in: a driver session token is required (Authorization: Bearer)');
    const s = await repo.findLiveDriverSession(this.o.db, hashSecret(token));
    if (!s) throw new Unauthorized('invalid or expired session: sign in again');
    return s;
  }

  logout(sessionId: number): Promise<void> {
    return repo.deleteDriverSession(this.o.db, sessionId);
  }

  async me(driverId: number): Promise<{ id: number; name: string; email: string | null; tokens: Array<{ id: number; uid: string; type: string; visualNumber: string | null }> }> {
    const driver = await findDriver(this.o.db, driverId);
    if (!driver) throw new Unauthorized('invalid or expired session: sign in again');
    const tokens = (await listTokensOfDriver(this.o.db, driverId)).filter((t) => t.valid).map(({ valid: _valid, ...t }) => t);
    return { id: driver.id, name: driver.name, email: driver.email, tokens };
  }

  /**
   * Starts at the EVSE with one of the driver's own tokens (OCPP 1.6 §5.11 RemoteStartTransaction with the
   * token's idTag). The access rules of the driver's groups are applied first, as the charger's Authorize
   * would: a refusal is recorded and answered 409 with its reason, without asking the charger.
   */
  async start(driverId: number, evseUidOrId: string, b: Record<string, unknown>): Promise<{ status: 'Accepted'; evseUid: string; tokenUid: string }> {
    if (!Number.isInteger(b.tokenId) || (b.tokenId as number) < 1) throw new InvalidInput('tokenId: required, the id of one of your tokens (GET /me)');
    const token = await repo.findOwnToken(this.o.db, driverId, b.tokenId as number);
    if (!token) throw new NotFound(`token ${String(b.tokenId)} is not one of yours`);
    if (!token.valid) throw new Conflict(`token ${token.uid} is blocked`);
    const evseUid = await repo.findEvseUid(this.o.db, evseUidOrId);
    const place = evseUid ? await findAdhocPlace(this.o.db, evseUid) : undefined;
    if (!evseUid || !place) throw new NotFound(`EVSE ${evseUidOrId} not found`);
    if (!place.chargePointId || place.connectorId === null) throw new Conflict(`EVSE ${evseUid} has no charger connector to start on`);
    const decision = await this.o.access.check({ idTag: token.uid, tokenId: token.id, chargePointId: place.chargePointId, connectorId: place.connectorId });
    if (!decision.allowed) throw new Conflict(`refused: ${decision.reason}`);
    const answer = await this.o.commands.send(place.chargePointId, 'RemoteStartTransaction', { connectorId: place.connectorId, idTag: token.uid }, this.o.callTimeoutMs);
    if (answer.status !== 'Accepted') throw new Conflict(`the charger answered ${answer.status}`);
    return { status: 'Accepted', evseUid, tokenUid: token.uid };
  }

  /** The sessions of the driver's tokens, newest first (an active one with its cost so far). */
  async history(driverId: number, page: { limit: number; offset: number }, locale?: string): Promise<DriverHistoryItem[]> {
    return Promise.all((await repo.listDriverHistory(this.o.db, driverId, page)).map((r) => this.toItem(r, locale)));
  }

  async session(driverId: number, sessionId: number, locale?: string): Promise<DriverHistoryItem> {
    const r = await repo.findDriverHistorySession(this.o.db, driverId, sessionId);
    if (!r) throw new NotFound(`session ${sessionId} is not one of yours`);
    return this.toItem(r, locale);
  }

  /** OCPP 1.6 §5.12 RemoteStopTransaction of one of the driver's active sessions. */
  async stop(driverId: number, sessionId: number): Promise<{ status: string }> {
    const r = await repo.findDriverHistorySession(this.o.db, driverId, sessionId);
    if (!r) throw new NotFound(`session ${sessionId} is not one of yours`);
    if (r.status !== 'ACTIVE') throw new Conflict('the session is not charging');
    const answer = await this.o.commands.send(r.chargePointId, 'RemoteStopTransaction', { transactionId: r.id }, this.o.callTimeoutMs);
    if (answer.status !== 'Accepted') throw new Conflict(`the charger answered ${answer.status}`);
    return { status: answer.status };
  }

  private async toItem(r: repo.DriverHistoryRow, locale?: string): Promise<DriverHistoryItem> {
    const money = (amount: number, currency: string) => ({ amount, currency, text: formatMoney(amount, currency, locale) });
    let cost: DriverHistoryItem['cost'] = null;
    if (r.cdrTotalInclVat !== null && r.cdrCurrency) cost = money(r.cdrTotalInclVat, r.cdrCurrency);
    else if (r.status === 'ACTIVE') {
      const soFar = await this.o.costs.costSoFar(r.id);
      if (soFar) cost = money(soFar.inclVat, soFar.currency);
    }
    return { id: r.id, status: r.status, evseUid: r.evseUid, tokenUid: r.tokenUid, startAt: r.startAt, stopAt: r.stopAt, kWh: r.energyWh / 1000, cost, cdrId: r.cdrId };
  }
}
