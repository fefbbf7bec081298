import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { getParty, listParties, putParty } from './party.service.ts';

/** Admin API: the operator's own CPO parties and their jurisdiction (currency, VAT, time zone). */
export function partyAdminRoutes(deps: { db: Knex }): Router {
  const r = express.Router();
  r.get('/own-parties', async (_req, res) => {
    res.json({ data: await listParties(deps.db) });
  });
  r.get('/own-parties/:countryCode/:partyId', async (req, res) => {
    res.json(await getParty(deps.db, req.params.countryCode, req.params.partyId));
  });
  r.put('/own-parties/:countryCode/:partyId', async (req, res) => {
    const { party, isNew } = await putParty(deps.db, req.params.countryCode, req.params.partyId, req.body);
    res.status(isNew ? 201 : 200).json(party);
  });
  return r;
}
