// Pushes of locations to eMSP parties (OCPI 2.2.1 locations §8.2.2), queued in the outbox inside the
// transaction of the change that causes them. Each party gets its own Connector.tariff_ids (§8.3.3).
// - A published location goes to every registered partner with a locations RECEIVER, addressed to its own
//   party (through a hub: a Broadcast Push, transport §4.1.8), then, to each party behind a hub whose
//   tariff_ids differ there (a tariff priced for it), a PUT of its own view addressed to it.
// - An unpublished one (§8.3.1 publish = false) goes only to the parties it concerns (location-audience.repo.ts),
//   each addressed on its own, never as a broadcast; every change of it, a status change too, is a whole
//   Location PUT, so a party that became concerned since (a new token, a session) is brought up to date.
// - When a location stops being published, or a party stops being concerned, those who had it get a PATCH
//   `{ publish: false, publish_allowed_to: [] }`: show it to nobody (§8.3.1). Nothing else is sent to them.
import type { Knex } from 'knex';
import { enqueuePush, listRegisteredPartnersWith } from '../partners/partner.service.ts';
import { findPartyRoute } from '../partners/party-routes.ts';
import type { PartyRef } from '../partners/partner.types.ts';
import type { ChargerService } from '../chargers/charger.service.ts';
import type { TariffService } from '../tariffs/tariff.service.ts';
import { isSameParty } from '../tariffs/tariff-selection.ts';
import type { LocationService, PublicationBefore } from './location.service.ts';
import { listConcernedParties } from './location-audience.repo.ts';
import { connectorIdsOf, evseLastUpdated, locationLastUpdated, toEvseStatusPatch, toOcpiLocation, withTariffView } from './ocpi.mapper.ts';
import { clearPendingLocationPush, findEvsePushInfo, findLocationIdOfEvse, findLocationTreeById, listEvsePushInfos } from './ocpi.repo.ts';
import type { LocationTree, OcpiPublishToken } from './ocpi.types.ts';

const seg = encodeURIComponent;
const MODULE = 'locations';

/** Receiver URL suffix of a client owned object (transport §4.1.5): /{country_code}/{party_id}/{ids...}. */
function objectPath(party: PartyRef, ...ids: string[]): string {
  return `/${seg(party.countryCode)}/${seg(party.partyId)}/${ids.map(seg).join('/')}`;
}

// One ordering key per location: a PUT of the location and the PATCHes of its EVSEs reach each partner
// (and, behind a hub, each party) in the order they were made.
const objectKey = (party: PartyRef, locationId: string): string => `location:${party.countryCode}/${party.partyId}/${locationId}`;

/** What the pushes need from the tariffs domain: one eMSP party's view of Connector.tariff_ids. */
export type ConnectorTariffView = Pick<TariffService, 'partyTariffIds' | 'listPartiesWithOwnTariffs'>;

/** One addressee: a partner, and the party behind it (`toParty`; undefined = the partner's own), seeing it as `viewParty`. */
interface Recipient {
  partnerFk: number;
  toParty?: PartyRef;
  viewParty: PartyRef;
}

async function receiversOf(trx: Knex.Transaction): Promise<Recipient[]> {
  return (await listRegisteredPartnersWith(trx, MODULE, 'RECEIVER')).map((p) => ({ partnerFk: p.id, viewParty: { countryCode: p.countryCode, partyId: p.partyId } }));
}

/** Each party, addressed through the connection that reaches it, when that connection has a locations RECEIVER. */
async function routed(trx: Knex.Transaction, parties: readonly PartyRef[], receivers: readonly Recipient[]): Promise<Recipient[]> {
  const out: Recipient[] = [];
  for (const party of parties) {
    const route = await findPartyRoute(trx, party);
    if (route && receivers.some((r) => r.partnerFk === route.partnerFk)) out.push({ partnerFk: route.partnerFk, toParty: route.toParty, viewParty: party });
  }
  return out;
}

async function concernedRecipients(trx: Knex.Transaction, locationId: string, allowedTo: readonly OcpiPublishToken[], receivers?: readonly Recipient[]): Promise<Recipient[]> {
  return routed(trx, await listConcernedParties(trx, locationId, allowedTo), receivers ?? (await receiversOf(trx)));
}

async function enqueue(trx: Knex.Transaction, owner: PartyRef, locationId: string, to: Recipient, push: { method: 'PUT' | 'PATCH'; path: string; body: unknown }): Promise<void> {
  await enqueuePush(trx, { partnerFk: to.partnerFk, module: MODULE, role: 'RECEIVER', ...push, objectKey: objectKey(owner, locationId), toParty: to.toParty, fromParty: owner });
}

/**
 * The PUTs of a published location: each receiver's own view, then the party views that differ from their
 * receiver's (parties with tariffs of their own reached through a hub or platform).
 */
async function publishedPuts(trx: Knex.Transaction, tariffs: ConnectorTariffView, tree: LocationTree, receivers: readonly Recipient[]): Promise<Array<{ to: Recipient; tree: LocationTree }>> {
  const viewOf = async (r: Recipient) => tariffs.partyTariffIds(trx, r.viewParty, connectorIdsOf(tree));
  const puts: Array<{ to: Recipient; tree: LocationTree; key: string }> = [];
  for (const r of receivers) {
    const view = await viewOf(r);
    puts.push({ to: r, tree: withTariffView(tree, view), key: JSON.stringify([...view]) });
  }
  for (const r of await routed(trx, await tariffs.listPartiesWithOwnTariffs(trx), receivers)) {
    if (!r.toParty) continue; // a receiver's own party: its PUT above already has its view
    const view = await viewOf(r);
    if (JSON.stringify([...view]) !== puts.find((p) => p.to.partnerFk === r.partnerFk)?.key) puts.push({ to: r, tree: withTariffView(tree, view), key: '' });
  }
  return puts;
}

/** The location as each recipient sees its connectors' tariffs (one read after the other: `trx` is one connection). */
async function tariffViews(trx: Knex.Transaction, tariffs: ConnectorTariffView, tree: LocationTree, to: Recipient[]): Promise<Array<{ to: Recipient; tree: LocationTree }>> {
  const puts: Array<{ to: Recipient; tree: LocationTree }> = [];
  for (const r of to) puts.push({ to: r, tree: withTariffView(tree, await tariffs.partyTariffIds(trx, r.viewParty, connectorIdsOf(tree))) });
  return puts;
}

/**
 * PUT of the whole Location (locations §8.2.2.2) to those who may get it, each with its own view, or only to
 * party `onlyParty` (a tariff rule of that party changed its Connector.tariff_ids).
 */
export async function pushLocation(trx: Knex.Transaction, tariffs: ConnectorTariffView, locationId: string, onlyParty: PartyRef | null = null): Promise<void> {
  // No partner takes locations: nothing to build (a pending EVSE stays pending: its next push is a Location PUT).
  const receivers = await receiversOf(trx);
  if (receivers.length === 0) return;
  const tree = await findLocationTreeById(trx, locationId);
  if (!tree) return;
  const owner = { countryCode: tree.location.countryCode, partyId: tree.location.partyId };
  let puts: Array<{ to: Recipient; tree: LocationTree }>;
  if (tree.location.publish && onlyParty) {
    const to = await routed(trx, [onlyParty], receivers);
    puts = await tariffViews(trx, tariffs, tree, to);
  } else if (tree.location.publish) {
    puts = await publishedPuts(trx, tariffs, tree, receivers);
  } else {
    const to = (await concernedRecipients(trx, locationId, tree.location.publishAllowedTo ?? [], receivers)).filter((r) => !onlyParty || isSameParty(r.viewParty, onlyParty));
    puts = await tariffViews(trx, tariffs, tree, to);
  }
  await clearPendingLocationPush(trx, locationId);
  for (const p of puts) await enqueue(trx, owner, locationId, p.to, { method: 'PUT', path: objectPath(owner, locationId), body: toOcpiLocation(p.tree) });
}

/**
 * PATCH `{ status, last_updated }` of each EVSE of a published location to every receiver (locations §8.2.2.3
 * "a simple status update"). The whole Location instead when the location is unpublished (see above), or when
 * the EVSE was made where no push could follow (the migration that split shared EVSEs): an eMSP cannot patch
 * an EVSE it never got. The EVSEs of a batch of status changes are read together (issue 8).
 */
export async function pushEvseStatuses(trx: Knex.Transaction, tariffs: ConnectorTariffView, evseFks: readonly number[]): Promise<void> {
  // No partner takes locations (a private network): nothing to read.
  const receivers = await receiversOf(trx);
  if (receivers.length === 0) return;
  const pushedLocations = new Set<string>();
  for (const { evse, location, connectors } of await listEvsePushInfos(trx, evseFks)) {
    // An EVSE without connectors was never part of a pushed Location (connectors is 1..*), so nothing to patch.
    if (connectors.length === 0 || pushedLocations.has(location.id)) continue;
    if (!location.publish || evse.pendingLocationPush) {
      // The Location PUT carries all its EVSEs as they are now: one per location and batch.
      pushedLocations.add(location.id);
      await pushLocation(trx, tariffs, location.id);
      continue;
    }
    const body = toEvseStatusPatch({ status: evse.status, isRemoved: evse.isRemoved, lastUpdated: evseLastUpdated(evse, connectors) });
    for (const r of receivers) await enqueue(trx, location, location.id, r, { method: 'PATCH', path: objectPath(location, location.id, evse.uid), body });
  }
}

/**
 * PATCH `{ status: REMOVED }` of an EVSE that lost its last connector (locations §8.1: an EVSE is deleted by
 * setting its status to REMOVED), to those who had the location. The Location PUT that follows no longer
 * lists it (an EVSE needs a connector).
 */
export async function pushEvseRemoved(trx: Knex.Transaction, evseFk: number): Promise<void> {
  const info = await findEvsePushInfo(trx, evseFk);
  if (!info) return;
  const { evse, location } = info;
  const body = toEvseStatusPatch({ status: evse.status, isRemoved: true, lastUpdated: evse.lastUpdated });
  const to = location.publish ? await receiversOf(trx) : await concernedRecipients(trx, location.id, location.publishAllowedTo);
  for (const r of to) await enqueue(trx, location, location.id, r, { method: 'PATCH', path: objectPath(location, location.id, evse.uid), body });
}

/**
 * After the operator changed a location: the retraction PATCH (see the top of this file) to those who had it
 * and may no longer get it, then the Location PUT to those who may.
 */
export async function pushLocationChange(trx: Knex.Transaction, tariffs: ConnectorTariffView, locationId: string, before?: PublicationBefore): Promise<void> {
  const tree = await findLocationTreeById(trx, locationId);
  if (!tree) return;
  if (before && !tree.location.publish) {
    const owner = { countryCode: tree.location.countryCode, partyId: tree.location.partyId };
    const now = await concernedRecipients(trx, locationId, tree.location.publishAllowedTo ?? []);
    const had = before.publish ? await receiversOf(trx) : await concernedRecipients(trx, locationId, before.publishAllowedTo);
    const body = { publish: false, publish_allowed_to: [], last_updated: locationLastUpdated(tree).toISOString() };
    // A broadcast retraction reaches every party behind a hub: those concerned get their own PUT right after.
    const isStill = (r: Recipient) => !before.publish && now.some((n) => n.partnerFk === r.partnerFk && isSameParty(n.viewParty, r.viewParty));
    for (const r of had) if (!isStill(r)) await enqueue(trx, owner, locationId, r, { method: 'PATCH', path: objectPath(owner, locationId), body });
  }
  await pushLocation(trx, tariffs, locationId);
}

/** Wires the pushes to the domain hooks, which run inside the transactions of the changes. */
export function registerLocationPushes(deps: { chargers: ChargerService; locations: LocationService; tariffs: ConnectorTariffView }): void {
  deps.chargers.onEvseStatus((trx, changes) => pushEvseStatuses(trx, deps.tariffs, changes.map((c) => c.evseFk)));
  deps.chargers.onEvseRemoved((trx, evseFk) => pushEvseRemoved(trx, evseFk));
  deps.chargers.onEvseChanged(async (trx, evseFk) => {
    const locationId = await findLocationIdOfEvse(trx, evseFk);
    if (locationId) await pushLocation(trx, deps.tariffs, locationId);
  });
  deps.locations.onChanged((trx, locationId, before) => pushLocationChange(trx, deps.tariffs, locationId, before));
}
