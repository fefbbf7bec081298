// Pushes of tariffs to eMSPs (OCPI 2.2.1 tariffs §11.2.2), queued in the outbox inside the transaction of
// the change. Only the eMSP parties allowed to see a tariff get it (tariff-visibility.ts): a general tariff
// goes to each receiver's own party (through a hub: to all its parties, transport §4.1.8 Broadcast Push), a
// tariff priced for one party goes to that party only (through its hub with OCPI-to-* = the party).
import type { Db } from '../db/knex.ts';
import { enqueuePush, listRegisteredPartnersWith } from '../partners/partner.service.ts';
import { findPartyRoute } from '../partners/party-routes.ts';
import type { Tariff } from './tariff.types.ts';
import type { OcpiParty } from './tariff-selection.ts';
import type { TariffPush, TariffReceiver } from './tariff-visibility.ts';

const MODULE = 'tariffs';

/**
 * The registered partners with a tariffs RECEIVER, each with those of `parties` it carries for another
 * party than its own (an eMSP behind a hub). A party no connection reaches is left out.
 */
export async function listTariffReceivers(db: Db, parties: readonly OcpiParty[]): Promise<TariffReceiver[]> {
  const receivers = new Map<number, { partnerFk: number; ownParty: OcpiParty; parties: OcpiParty[] }>();
  for (const p of await listRegisteredPartnersWith(db, MODULE, 'RECEIVER')) {
    receivers.set(p.id, { partnerFk: p.id, ownParty: { countryCode: p.countryCode, partyId: p.partyId }, parties: [] });
  }
  for (const party of parties) {
    const route = await findPartyRoute(db, party);
    if (route?.toParty) receivers.get(route.partnerFk)?.parties.push(route.toParty);
  }
  return [...receivers.values()];
}

/** §11.2.2: PUT / DELETE `{tariffs_endpoint}/{country_code}/{party_id}/{tariff_id}`, one outbox row per push. */
export async function pushTariff(db: Db, tariff: Tariff, pushes: readonly TariffPush[]): Promise<void> {
  const path = `/${tariff.country_code}/${tariff.party_id}/${encodeURIComponent(tariff.id)}`;
  const fromParty = { countryCode: tariff.country_code, partyId: tariff.party_id };
  for (const push of pushes) {
    await enqueuePush(db, {
      partnerFk: push.partnerFk,
      module: MODULE,
      role: 'RECEIVER',
      method: push.method,
      path,
      ...(push.method === 'PUT' ? { body: tariff } : {}),
      // One key per tariff and partner: a DELETE and a later PUT again reach the eMSP in order, and a PUT to
      // a party behind a hub arrives after the hub's broadcast of the same change.
      objectKey: `tariff:${tariff.id}`,
      toParty: push.toParty,
      fromParty,
    });
  }
}
