// Pushes of locations to every registered eMSP with a locations RECEIVER (OCPI 2.2.1 locations §8.2.2),
// queued in the outbox inside the transaction of the change that causes them. Each eMSP's Location PUT
// carries its own Connector.tariff_ids (§8.3.3: "can be different for different eMSPs").
import type { Knex } from 'knex';
import { enqueuePush, listRegisteredPartnersWith } from '../partners/partner.service.ts';
import type { PartyRef } from '../partners/partner.types.ts';
import type { ChargerService } from '../chargers/charger.service.ts';
import type { TariffService } from '../tariffs/tariff.service.ts';
import type { LocationService } from './location.service.ts';
import { connectorIdsOf, evseLastUpdated, toEvseStatusPatch, toOcpiLocation, withTariffView } from './ocpi.mapper.ts';
import { clearPendingLocationPush, findEvsePushInfo, findLocationIdOfEvse, findLocationTreeById } from './ocpi.repo.ts';

const seg = encodeURIComponent;

/** Receiver URL suffix of a client owned object (transport §4.1.5): /{country_code}/{party_id}/{ids...}. */
function objectPath(party: PartyRef, ...ids: string[]): string {
  return `/${seg(party.countryCode)}/${seg(party.partyId)}/${ids.map(seg).join('/')}`;
}

// One ordering key per location: a PUT of the location and the PATCHes of its EVSEs reach each eMSP
// in the order they were made.
const objectKey = (party: PartyRef, locationId: string): string => `location:${party.countryCode}/${party.partyId}/${locationId}`;

async function enqueueToReceivers(trx: Knex.Transaction, party: PartyRef, locationId: string, push: { method: 'PUT' | 'PATCH'; path: string; body: unknown }): Promise<void> {
  for (const partner of await listRegisteredPartnersWith(trx, 'locations', 'RECEIVER')) {
    await enqueuePush(trx, { partnerFk: partner.id, module: 'locations', role: 'RECEIVER', ...push, objectKey: objectKey(party, locationId), fromParty: party });
  }
}

/** What the pushes need from the tariffs domain: one eMSP's view of Connector.tariff_ids. */
export type ConnectorTariffView = Pick<TariffService, 'partnerTariffIds'>;

/**
 * PUT of the whole Location, as each eMSP sees it, to every eMSP (`onlyPartnerFk` null) or to that one
 * (locations §8.2.2.2). Unpublished locations are not shared (locations §8.1: private charge points
 * SHALL NOT be published via OCPI; cpms lists published ones only).
 */
export async function pushLocation(trx: Knex.Transaction, tariffs: ConnectorTariffView, locationId: string, onlyPartnerFk: number | null = null): Promise<void> {
  const tree = await findLocationTreeById(trx, locationId);
  if (!tree || !tree.location.publish) return;
  await clearPendingLocationPush(trx, locationId);
  const party = { countryCode: tree.location.countryCode, partyId: tree.location.partyId };
  for (const partner of await listRegisteredPartnersWith(trx, 'locations', 'RECEIVER')) {
    if (onlyPartnerFk !== null && partner.id !== onlyPartnerFk) continue;
    const seen = withTariffView(tree, await tariffs.partnerTariffIds(trx, partner.id, connectorIdsOf(tree)));
    const push = { method: 'PUT' as const, path: objectPath(party, locationId), body: toOcpiLocation(seen) };
    await enqueuePush(trx, { partnerFk: partner.id, module: 'locations', role: 'RECEIVER', ...push, objectKey: objectKey(party, locationId), fromParty: party });
  }
}

/**
 * PATCH `{ status, last_updated }` of one EVSE to every eMSP (locations §8.2.2.3 "a simple status update"),
 * or the whole Location when the EVSE was made where no push could follow (the migration that split shared
 * EVSEs): an eMSP cannot patch an EVSE it never got.
 */
export async function pushEvseStatus(trx: Knex.Transaction, tariffs: ConnectorTariffView, evseFk: number): Promise<void> {
  const info = await findEvsePushInfo(trx, evseFk);
  // An EVSE without connectors was never part of a pushed Location (connectors is 1..*), so nothing to patch.
  if (!info || !info.location.publish || info.connectors.length === 0) return;
  if (info.evse.pendingLocationPush) return pushLocation(trx, tariffs, info.location.id);
  const { evse, location } = info;
  const body = toEvseStatusPatch({ status: evse.status, isRemoved: evse.isRemoved, lastUpdated: evseLastUpdated(evse, info.connectors) });
  await enqueueToReceivers(trx, location, location.id, { method: 'PATCH', path: objectPath(location, location.id, evse.uid), body });
}

/**
 * PATCH `{ status: REMOVED }` of an EVSE that lost its last connector (locations §8.1: an EVSE is deleted by
 * setting its status to REMOVED). The Location PUT that follows no longer lists it (an EVSE needs a connector).
 */
export async function pushEvseRemoved(trx: Knex.Transaction, evseFk: number): Promise<void> {
  const info = await findEvsePushInfo(trx, evseFk);
  if (!info || !info.location.publish) return;
  const { evse, location } = info;
  const body = toEvseStatusPatch({ status: evse.status, isRemoved: true, lastUpdated: evse.lastUpdated });
  await enqueueToReceivers(trx, location, location.id, { method: 'PATCH', path: objectPath(location, location.id, evse.uid), body });
}

/** Wires the pushes to the domain hooks, which run inside the transactions of the changes. */
export function registerLocationPushes(deps: { chargers: ChargerService; locations: LocationService; tariffs: ConnectorTariffView }): void {
  deps.chargers.onEvseStatus((trx, change) => pushEvseStatus(trx, deps.tariffs, change.evseFk));
  deps.chargers.onEvseRemoved((trx, evseFk) => pushEvseRemoved(trx, evseFk));
  deps.chargers.onEvseChanged(async (trx, evseFk) => {
    const locationId = await findLocationIdOfEvse(trx, evseFk);
    if (locationId) await pushLocation(trx, deps.tariffs, locationId);
  });
  deps.locations.onChanged((trx, locationId) => pushLocation(trx, deps.tariffs, locationId));
}
