import express from 'express';
import { assertOcpi } from '../ocpi/validate.ts';
import { sendOcpi } from '../ocpi/envelope.ts';
import { OcpiError } from '../ocpi/errors.ts';
import type { OcpiModule } from '../ocpi/router.ts';
import { toOcpiClientInfo, type HubClientInfoService, type OcpiClientInfo } from './client-info.service.ts';

/**
 * OCPI 2.2.1 hubclientinfo RECEIVER (§15.3.1): `PUT|GET {url}/{country_code}/{party_id}`. A
 * configuration module: no routing headers (transport §4.1.8; the OCPI router does not read them here).
 */
export function hubClientInfoModule(deps: { clientInfo: HubClientInfoService }): OcpiModule {
  const router = express.Router();
  const path = '/:country_code/:party_id';

  router.get(path, async (req, res) => {
    const party = { countryCode: req.params.country_code as string, partyId: req.params.party_id as string };
    const found = await deps.clientInfo.get(req.ocpi.partner, party);
    // No status code of its own in status_codes §5: 2000 with HTTP 404, as for an unknown object.
    if (!found) throw new OcpiError(`ClientInfo ${party.countryCode}/${party.partyId} unknown`, 2000, 404);
    sendOcpi(res, toOcpiClientInfo(found));
  });

  router.put(path, async (req, res) => {
    assertOcpi<OcpiClientInfo>('ClientInfo', req.body);
    await deps.clientInfo.put(req.ocpi.partner, { countryCode: req.params.country_code as string, partyId: req.params.party_id as string }, req.body);
    sendOcpi(res, undefined);
  });

  return { id: 'hubclientinfo', role: 'RECEIVER', router };
}
