import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import { optionalString, parsePaging, parseSerialId, readOnExisting, requireString, sendBulkOutcome } from '../admin/http.ts';
import * as repo from './token.repo.ts';
import type { TokenService } from './token.service.ts';

/** Admin API: the operator's tokens and their validity (user / group access management). */
export function tokenAdminRoutes(deps: { db: Knex; tokens: TokenService }): Router {
  const r = express.Router();
  r.post('/tokens', async (req, res) => {
    const token = await deps.tokens.addLocal({
      uid: requireString(req.body, 'uid', 36),
      type: optionalString(req.body, 'type', 20),
      groupId: optionalString(req.body, 'groupId', 36),
      contractId: optionalString(req.body, 'contractId', 36),
      visualNumber: optionalString(req.body, 'visualNumber', 64),
      whitelist: optionalString(req.body, 'whitelist', 20),
      expiryDate: optionalString(req.body, 'expiryDate', 40),
    });
    res.status(201).json(token);
  });
  // Issue 8: up to 10,000 tokens in one request, all or nothing, with a result per row.
  r.post('/tokens/bulk', async (req, res) => {
    sendBulkOutcome(res, await deps.tokens.importLocal(req.body, { onExisting: readOnExisting(req) }));
  });
  r.get('/tokens', async (req, res) => {
    res.json({ data: await repo.listTokens(deps.db, { ...parsePaging(req), groupId: req.query.groupId as string | undefined }) });
  });
  r.patch('/tokens/:id', async (req, res) => {
    const id = parseSerialId(req.params.id);
    if (typeof req.body?.valid !== 'boolean') throw new InvalidInput('valid: required boolean');
    if ((await repo.updateTokenValidity(deps.db, id, req.body.valid)) === 0) throw new NotFound(`token ${id} not found`);
    res.status(204).end();
  });
  return r;
}
