import express, { type Request } from 'express';
import type { Knex } from 'knex';
import { sendOcpi } from '../ocpi/envelope.ts';
import { UnknownLocation } from '../ocpi/errors.ts';
import { parseListQuery, sendSerializedPage } from '../ocpi/paging.ts';
import type { OcpiModule } from '../ocpi/router.ts';
import { requestingParty } from '../ocpi/requesting-party.ts';
import { toOcpiConnector, toOcpiEvse, toOcpiLocation } from './ocpi.mapper.ts';
import { findLocationTreeFor } from './ocpi.repo.ts';
import type { OcpiLocationPages } from './ocpi-pages.service.ts';
import type { LocationTree } from './ocpi.types.ts';

// CiString (types §16.1): ids compare case-insensitively.
const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

interface Deps {
  db: Knex;
  pages: Pick<OcpiLocationPages, 'page' | 'asSeenBy'>;
  maxPageLimit: number;
}

async function getTree(deps: Deps, req: Request): Promise<LocationTree> {
  const id = String(req.params.locationId);
  const tree = await findLocationTreeFor(deps.db, { partyFk: req.ocpi.ownParty.id, id, viewer: requestingParty(req.ocpi) });
  if (!tree) throw new UnknownLocation(`location ${id} not found`);
  return (await deps.pages.asSeenBy(requestingParty(req.ocpi), [tree]))[0]!;
}

function getEvse(tree: LocationTree, evseUid: string): LocationTree['evses'][number] {
  const found = tree.evses.find((e) => sameId(e.evse.uid, evseUid) && e.connectors.length > 0);
  if (!found) throw new UnknownLocation(`EVSE ${evseUid} not found at location ${tree.location.id}`);
  return found;
}

/**
 * OCPI 2.2.1 locations §8.2.1 Sender interface (CPO): the addressed own party's locations the requesting
 * eMSP party may get (the published ones, and the unpublished ones that concern it: §8.3.1, see
 * location-audience.repo.ts), as a paginated list filtered on last_updated, or one Location / EVSE /
 * Connector. An unknown object is 2003 with HTTP 404 (status_codes §5: a GET of a missing resource is a 404).
 * Connector.tariff_ids are the requesting party's own (a tariff priced for another party is never shown).
 */
export function locationsOcpiModule(deps: Deps): OcpiModule {
  const router = express.Router();
  router.get('/', async (req, res) => {
    const q = parseListQuery(req, { maxLimit: deps.maxPageLimit });
    const page = await deps.pages.page({ partyFk: req.ocpi.ownParty.id, viewer: requestingParty(req.ocpi), afterId: q.afterKey, ...q });
    sendSerializedPage(req, res, { ...page, offset: q.offset, limit: q.limit });
  });
  router.get('/:locationId', async (req, res) => {
    sendOcpi(res, toOcpiLocation(await getTree(deps, req)));
  });
  router.get('/:locationId/:evseUid', async (req, res) => {
    const { evse, connectors } = getEvse(await getTree(deps, req), String(req.params.evseUid));
    sendOcpi(res, toOcpiEvse(evse, connectors));
  });
  router.get('/:locationId/:evseUid/:connectorId', async (req, res) => {
    const { evse, connectors } = getEvse(await getTree(deps, req), String(req.params.evseUid));
    const connector = connectors.find((c) => sameId(c.ocpiId, String(req.params.connectorId)));
    if (!connector) throw new UnknownLocation(`connector ${req.params.connectorId} not found on EVSE ${evse.uid}`);
    sendOcpi(res, toOcpiConnector(connector));
  });
  return { id: 'locations', role: 'SENDER', router };
}
