import type { Knex } from 'knex';
import type { CommandSender } from '../ocpp/commands.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import { formatMoney, priceInWords } from '../tariffs/price-words.ts';
import type { Tariff } from '../tariffs/tariff.types.ts';
import type { AdhocService, RunningCost } from './adhoc.service.ts';
import { availabilityOf, maxPowerW, type Availability } from './availability.ts';
import * as repo from './driver-app.repo.ts';

/** An EVSE as the driver app shows it. */
export interface DriverEvse {
  evseUid: string;
  evseId: string | null;
  location: { id: string; name: string | null; address: string; city: string; latitude: number; longitude: number };
  availability: Availability;
  connectorType: string | null;
  maxPowerKw: number;
  /** The tariff for everybody in plain words, incl. VAT; null when no tariff applies. */
  price: string | null;
  adhocAllowed: boolean;
}

/** A driver's session, by the key the start answered. */
export interface DriverSession {
  status: 'STARTING' | 'CHARGING' | 'STOPPED' | 'REJECTED';
  evseUid: string;
  kWh: number;
  startAt: Date | null;
  stopAt: Date | null;
  durationSec: number;
  /** While charging: the cost so far (priced as its CDR would be, incl. VAT); once stopped: the CDR's. */
  cost: { amount: number; currency: string; text: string } | null;
  cdrId: string | null;
}

/**
 * The driver app's API (issue 11): find chargers, open one by its EVSE uid or EVSE ID, start ad hoc, follow
 * and stop the session with the key the start returned (the ad hoc idTag: 72 random bits, good for one
 * session), and see its final cost from the CDR.
 */
export class DriverAppService {
  constructor(private readonly o: { db: Knex; clock: Clock; adhoc: AdhocService; costs: RunningCost; tariffs: { get(id: string): Promise<Tariff>; tariffIdsOfConnector(connectorFk: number, party: null): Promise<string[]> }; commands: CommandSender; callTimeoutMs: number }) {}

  async listEvses(q: { limit: number; offset: number; locationId?: string; locale?: string }): Promise<DriverEvse[]> {
    const rows = await this.withTariffIds(await repo.listFinderRows(this.o.db, q));
    const prices = await this.pricesOf(rows, q.locale);
    return rows.map((r) => this.toEvse(r, prices));
  }

  async getEvse(evseUidOrId: string, locale?: string): Promise<DriverEvse> {
    const found = await repo.findFinderRow(this.o.db, evseUidOrId);
    if (!found) throw new NotFound(`EVSE ${evseUidOrId} not found`);
    const [row] = await this.withTariffIds([found]);
    return this.toEvse(row, await this.pricesOf([row], locale));
  }

  /** Starts ad hoc at the EVSE; the answer's `key` follows and stops the session. */
  async start(evseUidOrId: string, b: Record<string, unknown>): Promise<{ key: string; evseUid: string }> {
    const evse = await this.getEvse(evseUidOrId);
    const started = await this.o.adhoc.start({ evseUid: evse.evseUid, maxEnergyWh: b.maxEnergyWh, maxAmount: b.maxAmount });
    return { key: started.idTag, evseUid: started.evseUid };
  }

  async session(key: string, locale?: string): Promise<DriverSession> {
    const s = await this.find(key);
    const nowMs = this.o.clock.now().getTime();
    const endMs = s.stopAt?.getTime() ?? nowMs;
    const base = { evseUid: s.evseUid, kWh: s.energyWh / 1000, startAt: s.startAt, stopAt: s.stopAt, durationSec: s.startAt ? Math.max(0, Math.floor((endMs - s.startAt.getTime()) / 1000)) : 0, cdrId: s.cdrId };
    const cost = (amount: number, currency: string) => ({ amount, currency, text: formatMoney(amount, currency, locale) });
    if (s.adhocStatus === 'REJECTED') return { ...base, status: 'REJECTED', cost: null };
    if (s.sessionId === null) return { ...base, status: 'STARTING', cost: null };
    if (s.sessionStatus === 'ACTIVE') {
      const soFar = await this.o.costs.costSoFar(s.sessionId);
      return { ...base, status: 'CHARGING', cost: soFar ? cost(soFar.inclVat, soFar.currency) : null };
    }
    return { ...base, status: 'STOPPED', cost: s.cdrTotalInclVat !== null && s.cdrCurrency ? cost(s.cdrTotalInclVat, s.cdrCurrency) : null };
  }

  /** Asks the charger to stop the key's session (OCPP 1.6 §5.12 RemoteStopTransaction); 409 when it is not charging or refuses. */
  async stop(key: string): Promise<{ status: string }> {
    const s = await this.find(key);
    if (s.sessionId === null || s.sessionStatus !== 'ACTIVE') throw new Conflict('the session is not charging');
    const answer = await this.o.commands.send(s.chargePointId, 'RemoteStopTransaction', { transactionId: s.sessionId }, this.o.callTimeoutMs);
    if (answer.status !== 'Accepted') throw new Conflict(`the charger answered ${answer.status}`);
    return { status: answer.status };
  }

  private async find(key: string): Promise<repo.DriverSessionRow> {
    if (!/^AH[0-9A-F]{18}$/.test(key)) throw new InvalidInput('key: not a session key');
    const s = await repo.findDriverSession(this.o.db, key);
    if (!s) throw new NotFound('no session with this key');
    return s;
  }

  /** Rows whose connector's stored tariff_ids were never computed (a connector reported after the assignment) get them computed. */
  private async withTariffIds(rows: repo.FinderRow[]): Promise<repo.FinderRow[]> {
    return Promise.all(rows.map(async (r) => (r.tariffIds !== null || r.connectorFk === null ? r : { ...r, tariffIds: await this.o.tariffs.tariffIdsOfConnector(r.connectorFk, null) })));
  }

  /** The first tariff of each row in words; a tariff deleted since is left out. */
  private async pricesOf(rows: repo.FinderRow[], locale?: string): Promise<Map<string, string>> {
    const ids = [...new Set(rows.flatMap((r) => (r.tariffIds ?? []).slice(0, 1)))];
    const prices = new Map<string, string>();
    for (const id of ids) {
      const tariff = await this.o.tariffs.get(id).catch((err: unknown) => (err instanceof NotFound ? undefined : Promise.reject(err)));
      if (tariff) prices.set(id, priceInWords(tariff, locale));
    }
    return prices;
  }

  private toEvse(r: repo.FinderRow, prices: Map<string, string>): DriverEvse {
    return {
      evseUid: r.evseUid, evseId: r.evseId,
      location: { id: r.locationId, name: r.locationName, address: r.address, city: r.city, latitude: Number(r.latitude), longitude: Number(r.longitude) },
      availability: availabilityOf(r.ocppStatus, r.isOnline), connectorType: r.standard, maxPowerKw: maxPowerW(r) / 1000,
      price: r.tariffIds?.length ? (prices.get(r.tariffIds[0]!) ?? null) : null, adhocAllowed: r.adhocAllowed,
    };
  }
}
