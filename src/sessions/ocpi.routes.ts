import express from 'express';
import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import { sendOcpi } from '../ocpi/envelope.ts';
import { OcpiError } from '../ocpi/errors.ts';
import { parseListQuery, sendPage } from '../ocpi/paging.ts';
import type { OcpiModule } from '../ocpi/router.ts';
import { assertOcpi } from '../ocpi/validate.ts';
import { DEFAULT_EVSE_CAPABILITIES } from '../locations/ocpi.mapper.ts';
import { toEnergyReadings, toOcpiSession } from './ocpi.mapper.ts';
import { evaluateChargingPreferences } from './ocpi.preferences.ts';
import { findPartnerSession, listPartnerSessions, listRegisterSamples, updateChargingPreferences } from './ocpi.repo.ts';
import type { OcpiChargingPreferences } from './ocpi.types.ts';

export interface SessionsOcpiDeps {
  db: Knex;
  clock: Clock;
  maxPageLimit: number;
  defaultCurrency: string;
  minPeriodMs?: number;
}

/**
 * OCPI 2.2.1 sessions §9.2.1 Sender interface (CPO): GET the sessions of the addressed own party whose
 * token belongs to the calling eMSP (never another partner's), and PUT charging preferences.
 */
export function sessionsOcpiModule(deps: SessionsOcpiDeps): OcpiModule {
  const router = express.Router();
  // §9.2.1.1 lists date_from as required; it is optional here (all sessions), as for every other list.
  router.get('/', async (req, res) => {
    const q = parseListQuery(req, { maxLimit: deps.maxPageLimit });
    const { total, contexts } = await listPartnerSessions(deps.db, { partyFk: req.ocpi.ownParty.id, partnerFk: req.ocpi.partner.id, ...q });
    const samples = await listRegisterSamples(deps.db, contexts.map((c) => c.session.id));
    const items = contexts.map((c) => toOcpiSession({ ...c, readings: toEnergyReadings(samples.get(c.session.id) ?? []), defaultCurrency: deps.defaultCurrency }, { minPeriodMs: deps.minPeriodMs }));
    sendPage(req, res, { items, total, offset: q.offset, limit: q.limit });
  });
  router.put('/:sessionId/charging_preferences', async (req, res) => {
    assertOcpi<OcpiChargingPreferences>('ChargingPreferences', req.body);
    const uid = String(req.params.sessionId);
    const ctx = await findPartnerSession(deps.db, { partyFk: req.ocpi.ownParty.id, partnerFk: req.ocpi.partner.id, uid });
    // No code of its own in the spec: like an EVSE without the capability below, HTTP 404 with 2001.
    if (!ctx) throw new OcpiError(`session ${uid} not found`, 2001, 404);
    // §9.4.1: an EVSE without CHARGING_PREFERENCES_CAPABLE answers HTTP 404 with status 2001.
    if (!(ctx.evseCapabilities ?? DEFAULT_EVSE_CAPABILITIES).includes('CHARGING_PREFERENCES_CAPABLE')) {
      throw new OcpiError(`EVSE ${ctx.session.evseUid} of session ${uid} is not CHARGING_PREFERENCES_CAPABLE`, 2001, 404);
    }
    const now = deps.clock.now();
    const response = evaluateChargingPreferences(req.body, { status: ctx.session.status, now, maxPowerW: ctx.maxPowerW, chargedWh: ctx.session.energyWh });
    await updateChargingPreferences(deps.db, ctx.session.id, { preferences: req.body, response, at: now });
    sendOcpi(res, response);
  });
  return { id: 'sessions', role: 'SENDER', router };
}
