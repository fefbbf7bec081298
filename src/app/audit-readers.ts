// What the audit log shows as an entity's state before and after a change through the admin API: the same
// view its GET route answers, by entity type (first path segment). Entities without a reader are logged
// with the response body as their "after".
import type { Knex } from 'knex';
import type { EntityReader } from '../admin/audit-trail.ts';
import type { Services } from './services.ts';
import { getChargePoint, listConnectors } from '../chargers/charger.repo.ts';
import { getLocation } from '../locations/location.repo.ts';
import { toPartnerView } from '../partners/partner.service.ts';

const serialId = (id: string): number | undefined => (/^[1-9]\d{0,9}$/.test(id) && Number(id) <= 2_147_483_647 ? Number(id) : undefined);

export function auditReaders(db: Knex, s: Services): Record<string, EntityReader> {
  return {
    chargers: async (id) => ({ ...(await getChargePoint(db, id)), connectors: await listConnectors(db, id) }),
    locations: (id) => getLocation(db, id),
    tariffs: (id) => s.tariffs.getForOperator(id),
    partners: async (id) => (serialId(id) === undefined ? undefined : toPartnerView(await s.partners.get(serialId(id)!))),
    operators: async (id) => (serialId(id) === undefined ? undefined : s.operators.get(serialId(id)!)),
    drivers: async (id) => (serialId(id) === undefined ? undefined : s.drivers.get(serialId(id)!)),
    groups: async (id) => (serialId(id) === undefined ? undefined : s.drivers.getGroup(serialId(id)!)),
  };
}
