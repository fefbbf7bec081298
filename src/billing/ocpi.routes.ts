import express from 'express';
import { parseListQuery, sendPage } from '../ocpi/paging.ts';
import type { OcpiModule } from '../ocpi/router.ts';
import type { CdrService } from './cdr.service.ts';

/**
 * OCPI 2.2.1 cdrs §10.2.1 Sender interface (CPO): GET the CDRs of the calling eMSP's tokens issued by the
 * addressed own party, paginated, date_from (inclusive) / date_to (exclusive) on last_updated — for a
 * CDR its creation time. A CPO may return only the CDRs relevant to the requesting eMSP (§10.1.4): CDRs
 * of other partners' tokens and of the operator's own tokens are never listed.
 */
export function cdrsOcpiModule(deps: { cdrs: CdrService; maxPageLimit: number }): OcpiModule {
  const router = express.Router();
  router.get('/', async (req, res) => {
    const q = parseListQuery(req, { maxLimit: deps.maxPageLimit });
    const page = await deps.cdrs.list({ partnerFk: req.ocpi.partner.id, partyFk: req.ocpi.ownParty.id, dateFrom: q.dateFrom, dateTo: q.dateTo, offset: q.offset, limit: q.limit });
    sendPage(req, res, { items: page.items.map((c) => c.body), total: page.total, offset: q.offset, limit: q.limit });
  });
  return { id: 'cdrs', role: 'SENDER', router };
}
