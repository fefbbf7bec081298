import { actorOf } from '../admin/authenticate.ts';
import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { optionalEnum, parsePaging, parseSerialId } from '../admin/http.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { StuckSessionService } from './stuck-sessions.service.ts';
import * as repo from './session.repo.ts';
import type { CdrStatus, Session, SessionStatus } from './session.types.ts';

const STATUSES: SessionStatus[] = ['ACTIVE', 'COMPLETED', 'INVALID', 'PENDING', 'RESERVATION'];
const CDR_STATUSES: CdrStatus[] = ['CREATED', 'FAILED', 'NOT_BILLABLE'];

/** kWh as an exact decimal string from integer Wh. */
function kwh(wh: number): string {
  const sign = wh < 0 ? '-' : '';
  const abs = Math.abs(wh);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

const view = (s: Session) => ({ ...s, kwh: kwh(s.energyWh) });

/** Admin API: sessions with their energy and billing state (`?cdrStatus=FAILED`: the sessions left without a CDR). */
export function sessionAdminRoutes(deps: { db: Knex; stuckSessions: Pick<StuckSessionService, 'operatorStop'> }): Router {
  const r = express.Router();
  r.get('/sessions', async (req, res) => {
    const status = optionalEnum(req.query, 'status', STATUSES);
    const cdrStatus = optionalEnum(req.query, 'cdrStatus', CDR_STATUSES);
    const sessions = await repo.listSessions(deps.db, { ...parsePaging(req), chargePointId: req.query.chargePointId as string | undefined, status, cdrStatus });
    res.json({ data: sessions.map(view) });
  });
  r.get('/sessions/:id', async (req, res) => {
    const id = parseSerialId(req.params.id);
    const session = await repo.getSession(deps.db, id);
    res.json({ ...view(session), meterValues: await repo.listSamples(deps.db, id), signedMeterValues: await repo.listSignedMeterValues(deps.db, id) });
  });
  // Issue 15: the operator stops a session (RemoteStopTransaction, else a force-close with the reason).
  r.post('/sessions/:id/stop', async (req, res) => {
    const id = parseSerialId(req.params.id);
    const reason = (req.body ?? {}).reason;
    if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 255) throw new InvalidInput('reason: required, a string of 1 to 255 characters');
    const result = await deps.stuckSessions.operatorStop(id, { reason, closedBy: actorOf(req) });
    res.json({ outcome: result.outcome, remoteStop: result.remoteStop, session: view(result.session) });
  });
  return r;
}
