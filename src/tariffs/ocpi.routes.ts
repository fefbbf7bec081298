import express from 'express';
import { parseListQuery, sendPage } from '../ocpi/paging.ts';
import type { OcpiModule } from '../ocpi/router.ts';
import { requestingParty } from '../ocpi/requesting-party.ts';
import type { TariffService } from './tariff.service.ts';

/**
 * OCPI 2.2.1 tariffs §11.2.1 Sender interface (CPO): GET the addressed own party's tariffs that the
 * requesting eMSP party may see (tariff-visibility.ts; the party behind a hub by its OCPI-from-* headers),
 * paginated and filtered on last_updated. POST/PUT/PATCH/DELETE are n/a here (the transport answers them
 * as unknown endpoints); changes reach the eMSPs as pushes (see TariffService).
 */
export function tariffsOcpiModule(deps: { tariffs: TariffService; maxPageLimit: number }): OcpiModule {
  const router = express.Router();
  router.get('/', async (req, res) => {
    const q = parseListQuery(req, { maxLimit: deps.maxPageLimit });
    // Tariffs may differ per eMSP party: it sees the general ones and its own, never another party's.
    const filter = { partyFk: req.ocpi.ownParty.id, visibleToParty: requestingParty(req.ocpi), dateFrom: q.dateFrom, dateTo: q.dateTo };
    const { items, total } = await deps.tariffs.list({ ...filter, offset: q.offset, limit: q.limit });
    sendPage(req, res, { items, total, offset: q.offset, limit: q.limit });
  });
  return { id: 'tariffs', role: 'SENDER', router };
}
