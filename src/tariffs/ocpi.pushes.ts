// Pushes of tariffs to eMSPs (OCPI 2.2.1 tariffs §11.2.2), queued in the outbox inside the transaction of
// the change. Only the eMSPs allowed to see a tariff get it (tariff-visibility.ts).
import type { Db } from '../db/knex.ts';
import { enqueuePush, listRegisteredPartnersWith } from '../partners/partner.service.ts';
import type { Tariff } from './tariff.types.ts';

const MODULE = 'tariffs';

/** Ids of the registered eMSPs with a tariffs RECEIVER interface. */
export async function listTariffReceiverFks(db: Db): Promise<number[]> {
  return (await listRegisteredPartnersWith(db, MODULE, 'RECEIVER')).map((p) => p.id);
}

/** §11.2.2: PUT / DELETE `{tariffs_endpoint}/{country_code}/{party_id}/{tariff_id}` at each of `partnerFks`. */
export async function pushTariff(db: Db, tariff: Tariff, method: 'PUT' | 'DELETE', partnerFks: readonly number[]): Promise<void> {
  const path = `/${tariff.country_code}/${tariff.party_id}/${encodeURIComponent(tariff.id)}`;
  const fromParty = { countryCode: tariff.country_code, partyId: tariff.party_id };
  for (const partnerFk of partnerFks) {
    await enqueuePush(db, {
      partnerFk,
      module: MODULE,
      role: 'RECEIVER',
      method,
      path,
      ...(method === 'PUT' ? { body: tariff } : {}),
      // One key per tariff: a DELETE and a later PUT again reach the eMSP in order.
      objectKey: `tariff:${tariff.id}`,
      fromParty,
    });
  }
}
