import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
// eslint-disable-next-line no-restricted-syntax -- tariffs are stored as OCPI Tariff objects: an admin-made tariff must pass the same OCPI schema as a pushed one
import { assertOcpi } from '../ocpi/validate.ts';
import type { Party } from '../parties/party.repo.ts';
import { applyPartyPricing } from './party-pricing.ts';
import { findParty, getDefaultParty } from '../parties/party.service.ts';
import { isKnownParty } from '../partners/party-routes.ts';
import type { PartyRef } from '../partners/partner.types.ts';
import { fromOcpiTariff, toOcpiTariff, toTariffValidity } from './ocpi.mapper.ts';
import * as repo from './tariff.repo.ts';
import * as sites from './tariff-site.repo.ts';
import type { ConnectorSite, TokenAudience } from './tariff-site.repo.ts';
import type { TariffAssignment, TariffRecord } from './tariff-record.types.ts';
import { connectorTariffIds, rankAssignments, selectTariff, type Audience, type ChargingSite, type OcpiParty } from './tariff-selection.ts';
import { contentPushes, tariffVisibility, visibilityPushes, type TariffVisibility } from './tariff-visibility.ts';
import { listTariffReceivers, pushTariff } from './ocpi.pushes.ts';
import type { Tariff } from './tariff.types.ts';
import { readTariff } from './tariff-input.ts';

/** Where an assignment rule applies: exactly one of the three. */
export type AssignmentTarget =
  | { connector: { chargePointId: string; connectorNumber: number } }
  | { evseUid: string }
  | { locationId: string };

export interface AssignmentInput {
  target: AssignmentTarget;
  /** Only for tokens of this eMSP party (a party cpms knows: a partner, or one behind a hub). */
  partner?: PartyRef;
  /** Only for tokens with this OCPI Token.group_id. */
  groupId?: string;
  priority?: number;
}

/** The fields of a session the tariff selection needs (see SessionService.onStart). */
/** What a session's start already knows: its connector's EVSE, and the token it was authorized with (if any). */
export interface KnownAtStart {
  evseFk: number | null;
  token: TokenAudience | undefined;
}

export interface StartedSession {
  id: number;
  tokenFk: number | null;
  connectorFk: number | null;
  evseUid: string | null;
  locationId: string | null;
  startAt: Date;
}

/**
 * Runs inside the transaction that changed Connector.tariff_ids of connectors at this location: as every
 * eMSP sees them (`onlyParty` null), or only as eMSP party `onlyParty` sees them (a rule for that party).
 */
export type ConnectorTariffsHook = (trx: Knex.Transaction, locationId: string, onlyParty: OcpiParty | null) => Promise<void>;

const NO_AUDIENCE: Audience = { party: null, groupId: null };
const partiesOf = (...vs: TariffVisibility[]): OcpiParty[] =>
  [...new Set(vs.flatMap((v) => [...v.parties]))].map((key) => ({ countryCode: key.split('/')[0]!, partyId: key.split('/')[1]! }));

/** A tariff as the operator sees it: the OCPI Tariff with its elements as entered and whether their prices include VAT. */
export type OperatorTariff = Tariff & { prices_include_vat: boolean };

function toOperatorTariff(r: TariffRecord): OperatorTariff {
  return { ...toOcpiTariff(r), elements: r.enteredElements ?? r.elements, prices_include_vat: r.enteredElements !== null };
}

/** Prices can be entered incl. VAT only for a party with a VAT rate. */
function assertVatRate(party: Pick<Party, 'countryCode' | 'partyId' | 'vatRate'>, pricesIncludeVat: boolean | undefined): void {
  if (pricesIncludeVat === true && party.vatRate === null) {
    throw new InvalidInput(`prices_include_vat: party ${party.countryCode}/${party.partyId} has no VAT rate, its prices cannot include VAT`);
  }
}

/** `prices_include_vat` taken out of an admin API tariff body (it is not part of an OCPI Tariff). */
function pricesIncludeVatOf(body: unknown): { body: Record<string, unknown>; pricesIncludeVat: boolean | undefined } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidInput('body: must be an OCPI Tariff object');
  const { prices_include_vat: flag, ...rest } = body as Record<string, unknown>;
  if (flag !== undefined && typeof flag !== 'boolean') throw new InvalidInput('prices_include_vat: a boolean');
  return { body: rest, pricesIncludeVat: flag as boolean | undefined };
}

/**
 * Tariffs of the operator's parties: storage, assignment to the charging network, the OCPI push to the
 * eMSPs with a tariffs RECEIVER that may see the tariff (in the same transaction, through the outbox;
 * see tariff-visibility.ts) and the snapshot of the tariff in force when a session starts.
 */
export class TariffService {
  private readonly connectorTariffsHooks: ConnectorTariffsHook[] = [];

  constructor(private readonly o: { db: Knex; clock: Clock }) {}

  /** E.g. the locations PUT to eMSPs once an assignment changed what a location's connectors show. */
  onConnectorTariffsChanged(hook: ConnectorTariffsHook): void {
    this.connectorTariffsHooks.push(hook);
  }

  /**
   * Creates or replaces tariff `id` from an OCPI Tariff body (country_code / party_id optional: default
   * party; last_updated is set to now). Pushes PUT to the eMSP parties with a tariffs RECEIVER that may see
   * it (none while no rule assigns it).
   */
  /**
   * The admin API's PUT: creates or replaces a tariff as the operator entered it (`prices_include_vat`, by default
   * the party's setting, says whether its component prices include VAT); gives the OCPI Tariff stored and the
   * operator's view of it.
   */
  async put(id: string, body: unknown): Promise<{ tariff: Tariff; view: OperatorTariff; isNew: boolean }> {
    const now = this.o.clock.now();
    const { body: entered, pricesIncludeVat } = pricesIncludeVatOf(body);
    const party = await this.ownPartyOf(entered);
    assertVatRate(party, pricesIncludeVat);
    const wire = this.validate(id, entered, { ...party, pricesIncludeVat: pricesIncludeVat ?? party.pricesIncludeVat }, now);
    const enteredElements = (pricesIncludeVat ?? party.pricesIncludeVat) ? this.validate(id, entered, { ...party, pricesIncludeVat: false }, now).elements : null;
    return this.o.db.transaction(async (trx) => {
      const existing = await repo.findTariff(trx, id);
      if (existing && existing.partyFk !== party.id) {
        throw new Conflict(`id: tariff ${id} belongs to party ${existing.countryCode}/${existing.partyId}`);
      }
      await repo.upsertTariff(trx, { ...fromOcpiTariff(wire, { partyFk: party.id, lastUpdated: now }), enteredElements });
      const record = await repo.getTariff(trx, id);
      const tariff = toOcpiTariff(record);
      const visibility = await this.visibilityOf(trx, id);
      await pushTariff(trx, tariff, contentPushes(visibility, await listTariffReceivers(trx, partiesOf(visibility))));
      return { tariff, view: toOperatorTariff(record), isNew: !existing };
    });
  }

  /** The OCPI Tariff (prices excl. VAT), as eMSPs and the pricing engine see it. */
  async get(id: string): Promise<Tariff> {
    return toOcpiTariff(await repo.getTariff(this.o.db, id));
  }

  /** The admin API's view: prices as the operator entered them (see OperatorTariff). */
  async getForOperator(id: string): Promise<OperatorTariff> {
    return toOperatorTariff(await repo.getTariff(this.o.db, id));
  }

  async listForOperator(filter: repo.TariffFilter & { offset: number; limit: number }): Promise<{ items: OperatorTariff[]; total: number }> {
    const [records, total] = [await repo.listTariffs(this.o.db, filter), await repo.countTariffs(this.o.db, filter)];
    return { items: records.map(toOperatorTariff), total };
  }

  /**
   * A tariff body of the editor made ready for the pricing engine (`POST /tariffs/price`): with
   * `prices_include_vat: true` its prices are converted to excl. VAT with the party's rate, as a PUT would store them.
   */
  async forPricing(body: unknown): Promise<unknown> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return body; // the engine names what is wrong
    const { body: entered, pricesIncludeVat } = pricesIncludeVatOf(body);
    if (!pricesIncludeVat) return entered;
    const party = await this.ownPartyOf(entered);
    assertVatRate(party, pricesIncludeVat);
    return applyPartyPricing(entered, { ...party, pricesIncludeVat: true });
  }

  /** A page of tariffs and the total, oldest change first (OCPI sender: only those the eMSP may see; admin list). */
  async list(filter: repo.TariffFilter & { offset: number; limit: number }): Promise<{ items: Tariff[]; total: number }> {
    const [records, total] = [await repo.listTariffs(this.o.db, filter), await repo.countTariffs(this.o.db, filter)];
    return { items: records.map(toOcpiTariff), total };
  }

  /**
   * Deletes a tariff no rule assigns any more (tariffs §11.2.2.3: it should not be referenced by any
   * Connector). Nothing to push: removing its last rule already sent DELETE to the eMSPs that had it
   * (see unassign). Sessions keep their snapshot.
   */
  async delete(id: string): Promise<void> {
    await this.o.db.transaction(async (trx) => {
      await repo.getTariff(trx, id);
      const rules = await repo.listAssignmentsOfTariff(trx, id);
      if (rules.length > 0) throw new Conflict(`tariff ${id} is still assigned by ${rules.length} rule(s): remove them first`);
      await repo.deleteTariff(trx, id);
    });
  }

  /**
   * Adds an assignment rule, pushes the tariff to the eMSPs it becomes visible to, and refreshes
   * Connector.tariff_ids of the connectors it covers.
   */
  async assign(tariffId: string, input: AssignmentInput): Promise<TariffAssignment> {
    return this.o.db.transaction(async (trx) => {
      await repo.getTariff(trx, tariffId);
      const scope = await this.resolveTarget(trx, input.target);
      const party = input.partner ? await this.knownParty(trx, input.partner) : null;
      const before = await this.visibilityOf(trx, tariffId);
      const rule = await repo.insertAssignment(trx, { tariffId, ...scope, party, groupId: input.groupId ?? null, priority: input.priority ?? 0 });
      // The tariff first, then the locations naming it: an eMSP should know a tariff before it is referenced.
      await this.pushVisibilityChange(trx, tariffId, before);
      await this.refreshConnectorTariffIds(trx, scope, rule);
      return rule;
    });
  }

  async listAssignments(tariffId: string): Promise<TariffAssignment[]> {
    await repo.getTariff(this.o.db, tariffId);
    return repo.listAssignmentsOfTariff(this.o.db, tariffId);
  }

  /**
   * Removes an assignment rule (of tariff `tariffId`), pushes DELETE to the eMSPs that no longer may see
   * the tariff, and refreshes the connectors it covered.
   */
  async unassign(tariffId: string, ruleId: number): Promise<void> {
    await this.o.db.transaction(async (trx) => {
      const rule = await repo.findAssignment(trx, ruleId);
      if (!rule || rule.tariffId !== tariffId) throw new NotFound(`assignment ${ruleId} of tariff ${tariffId} not found`);
      const before = await this.visibilityOf(trx, tariffId);
      await repo.deleteAssignment(trx, ruleId);
      await this.refreshConnectorTariffIds(trx, rule, rule);
      await this.pushVisibilityChange(trx, tariffId, before);
    });
  }

  /**
   * Session start hook (runs inside SessionService.start's transaction): stores the tariff in force for
   * this connector and token as the session's snapshot, so that a later tariff change never reprices it
   * (tariffs §11.3.1 note on start_date_time / end_date_time). No applicable tariff: nothing stored. `known`:
   * the session's EVSE and the token it was authorized with, as the start transaction knows them.
   */
  async snapshotForSession(trx: Db, s: StartedSession, known?: KnownAtStart): Promise<Tariff | undefined> {
    const evseFk = known ? known.evseFk : await sites.findEvseFk(trx, s.evseUid);
    const site: ChargingSite = { connectorFk: s.connectorFk, evseFk, locationId: s.locationId };
    const token = known?.token;
    // The start's token, unless a hook linked another one (a remote start's): then the row says whose it is.
    const who = token && token.id === s.tokenFk ? sites.audienceOf(token) : await sites.findSessionAudience(trx, s.id);
    const rules = await repo.listAssignmentsForSite(trx, site);
    const records = await repo.findTariffsByIds(trx, [...new Set(rules.map((r) => r.tariffId))]);
    const validity = new Map(records.map((t) => [t.id, toTariffValidity(t)]));
    const rule = selectTariff(rules, { site, who, atMs: s.startAt.getTime() }, validity);
    if (!rule) return undefined;
    const tariff = toOcpiTariff(records.find((t) => t.id === rule.tariffId) as TariffRecord);
    await sites.updateSessionTariff(trx, s.id, tariff);
    return tariff;
  }

  /**
   * Freezes tariff `tariffId` on the session in place of the one selected at its start (a driver group's
   * access rule names it); undefined, and the selected one kept, when there is no such tariff.
   */
  async snapshotTariffById(trx: Db, sessionId: number, tariffId: string): Promise<Tariff | undefined> {
    const [record] = await repo.findTariffsByIds(trx, [tariffId]);
    if (!record) return undefined;
    const tariff = toOcpiTariff(record);
    await sites.updateSessionTariff(trx, sessionId, tariff);
    return tariff;
  }

  /** OCPI Connector.tariff_ids for the connector as seen by eMSP party `party` (null: the default view). */
  async tariffIdsOfConnector(connectorFk: number, party: OcpiParty | null): Promise<string[]> {
    const [site] = await sites.listConnectorSitesInScope(this.o.db, { connectorFk, evseFk: null, locationId: null });
    if (!site) throw new NotFound(`connector ${connectorFk} not found`);
    const rules = await repo.listAssignmentsForSite(this.o.db, site);
    return connectorTariffIds(rules, site, { party, groupId: null });
  }

  /** The parties named by a rule without a token group: those whose Connector.tariff_ids may differ from the general ones. */
  async listPartiesWithOwnTariffs(db: Db): Promise<OcpiParty[]> {
    return repo.listPartiesOfUngroupedAssignments(db);
  }

  /**
   * OCPI Connector.tariff_ids as eMSP party `party` sees them, for those of `connectorFks` where a rule of
   * that party (without a token group) covers the connector; elsewhere it sees the stored general view
   * (connectors.tariff_ids). Same ranking as the session's tariff selection (party rule before general).
   */
  async partyTariffIds(db: Db, party: OcpiParty | null, connectorFks: readonly number[]): Promise<Map<number, string[]>> {
    if (connectorFks.length === 0) return new Map();
    return this.partyTariffIdsOfSites(db, party, await sites.listConnectorSitesByIds(db, connectorFks));
  }

  /** partyTariffIds for connectors whose sites (and stored general view) the caller has read already. */
  async partyTariffIdsOfSites(db: Db, party: OcpiParty | null, connectorSites: readonly ConnectorSite[]): Promise<Map<number, string[]>> {
    const view = new Map<number, string[]>();
    if (connectorSites.length === 0) return view;
    const own = party ? await repo.listUngroupedAssignmentsOfParty(db, party) : [];
    const who: Audience = { party, groupId: null };
    const isOwn = (site: { connectorFk: number }) => own.length > 0 && rankAssignments(own, site as Parameters<typeof rankAssignments>[1], who).length > 0;
    // A connector first reported after its rules were made has no stored general view yet (tariff_ids null): computed
    // here, the same way an assignment change computes it, so that it never shows without its tariff.
    const concerned = connectorSites.filter((site) => isOwn(site) || site.tariffIds === null);
    // One query for the rules of every site (a page of locations has hundreds of connectors).
    const rules = await repo.listAssignmentsForSites(db, concerned);
    concerned.forEach((site, i) => {
      const ids = connectorTariffIds(rules[i]!, site, isOwn(site) ? who : NO_AUDIENCE);
      // Only where it tells something: a party's own rules, or a general tariff the stored view lacks.
      if (isOwn(site) || ids.length > 0) view.set(site.connectorFk, ids);
    });
    return view;
  }

  private async visibilityOf(db: Db, tariffId: string): Promise<TariffVisibility> {
    return tariffVisibility(await repo.listAssignmentsOfTariff(db, tariffId));
  }

  /** mod_tariffs §11.2.2: PUT to the eMSP parties that may now see the tariff, DELETE at those that lost it. */
  private async pushVisibilityChange(trx: Db, tariffId: string, before: TariffVisibility): Promise<void> {
    const after = await this.visibilityOf(trx, tariffId);
    const pushes = visibilityPushes(before, after, await listTariffReceivers(trx, partiesOf(before, after)));
    if (pushes.length === 0) return;
    await pushTariff(trx, toOcpiTariff(await repo.getTariff(trx, tariffId)), pushes);
  }

  private validate(id: string, body: unknown, party: Party, now: Date): Tariff {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidInput('body: must be an OCPI Tariff object');
    const b = body as Record<string, unknown>;
    if (b.id !== undefined && b.id !== id) throw new InvalidInput(`id: must equal the id in the URL (${id})`);
    // Issue 9: the owning party's currency and VAT rules complete the body (prices incl. VAT become excl. VAT)
    const wire = { ...applyPartyPricing(b, party), id, country_code: party.countryCode, party_id: party.partyId, last_updated: now.toISOString() };
    assertOcpi('Tariff', wire);
    // Engine-level rules the schema cannot say (min_price <= max_price, ...); keeps the normalised elements.
    const read = readTariff(wire);
    return { ...wire, elements: read.elements } as Tariff;
  }

  private async ownPartyOf(body: unknown): Promise<Party> {
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.country_code === undefined && b.party_id === undefined) return getDefaultParty(this.o.db);
    if (typeof b.country_code !== 'string' || typeof b.party_id !== 'string') {
      throw new InvalidInput('country_code: country_code and party_id must be given together, as strings');
    }
    const party = await findParty(this.o.db, b.country_code, b.party_id);
    if (!party) throw new InvalidInput(`party_id: ${b.country_code}/${b.party_id} is not one of the operator's parties`);
    return party;
  }

  private async resolveTarget(trx: Db, t: AssignmentTarget): Promise<ChargingSite> {
    if ('connector' in t) {
      const site = await sites.getConnectorSite(trx, t.connector.chargePointId, t.connector.connectorNumber);
      return { connectorFk: site.connectorFk, evseFk: null, locationId: null };
    }
    if ('evseUid' in t) return { connectorFk: null, evseFk: await sites.getEvseFkByUid(trx, t.evseUid), locationId: null };
    if (!(await sites.hasLocation(trx, t.locationId))) throw new NotFound(`location ${t.locationId} not found`);
    return { connectorFk: null, evseFk: null, locationId: t.locationId };
  }

  /** The party in upper case, when cpms knows it (a typo would make a rule for nobody). */
  private async knownParty(trx: Db, p: PartyRef): Promise<OcpiParty> {
    const party = { countryCode: p.countryCode.toUpperCase(), partyId: p.partyId.toUpperCase() };
    if (!/^[A-Z]{2}$/.test(party.countryCode) || !/^[A-Z0-9]{3}$/.test(party.partyId)) throw new InvalidInput('partner: countryCode must be 2 letters, partyId 3 letters or digits');
    if (!(await isKnownParty(trx, party))) throw new InvalidInput(`partner: no OCPI party ${party.countryCode}/${party.partyId} is known (no partner declares it, no hub reported it, no token of it is stored)`);
    return party;
  }

  /**
   * After a change of a rule for `audience`: recomputes the general Connector.tariff_ids of every connector
   * in the rule's scope, then runs the hooks once per location where a view changed. A party rule
   * changes that party's view only (its tariff_ids are computed when sent): the connectors' last_updated
   * still moves (locations §8.3.3). A group rule changes no view (tariff_ids have no group view).
   */
  private async refreshConnectorTariffIds(trx: Knex.Transaction, scope: ChargingSite, audience: Audience): Promise<void> {
    if (audience.groupId !== null) return;
    const changed = new Set<string>();
    for (const site of await sites.listConnectorSitesInScope(trx, scope)) {
      const ids = connectorTariffIds(await repo.listAssignmentsForSite(trx, site), site, NO_AUDIENCE);
      if (audience.party === null && JSON.stringify(ids) === JSON.stringify(site.tariffIds)) continue;
      await sites.updateConnectorTariffIds(trx, site.connectorFk, ids, this.o.clock.now());
      if (site.locationId !== null) changed.add(site.locationId);
    }
    for (const locationId of changed) for (const hook of this.connectorTariffsHooks) await hook(trx, locationId, audience.party);
  }
}
