// Pure evaluation of an eMSP's charging preferences for a session (OCPI 2.2.1 sessions §9.2.1.2). No I/O.
import type { SessionStatus } from './session.types.ts';
import type { ChargingPreferencesResponse, OcpiChargingPreferences } from './ocpi.types.ts';

/**
 * Profile types cpms can honour. OCPP 1.6 smart charging in cpms has no price or green-energy signal,
 * so only REGULAR is offered; sessions §9.3.2 requires a tariff per supported profile type anyway.
 */
export const SUPPORTED_PROFILE_TYPES: readonly string[] = ['REGULAR'];

const ONGOING: ReadonlySet<SessionStatus> = new Set(['ACTIVE', 'PENDING', 'RESERVATION']);

export interface PreferencesContext {
  status: SessionStatus;
  now: Date;
  /** The most the connector can deliver, in W; undefined when unknown. */
  maxPowerW?: number;
  /** Energy already charged in this session, in Wh. */
  chargedWh: number;
}

/** OCPI 2.2.1 types §16.2: a DateTime without zone designator is UTC too. */
function parseUtc(dateTime: string): Date {
  return new Date(dateTime.endsWith('Z') ? dateTime : `${dateTime}Z`);
}

/**
 * The ChargingPreferencesResponse (sessions §9.4.1) to a PUT of charging preferences: NOT_POSSIBLE for
 * a session that is over, a departure already past, or an energy need the connector cannot deliver
 * before the departure at full power; PROFILE_TYPE_NOT_SUPPORTED for a profile cpms does not offer.
 */
export function evaluateChargingPreferences(p: OcpiChargingPreferences, ctx: PreferencesContext): ChargingPreferencesResponse {
  if (!ONGOING.has(ctx.status)) return 'NOT_POSSIBLE';
  if (!SUPPORTED_PROFILE_TYPES.includes(p.profile_type)) return 'PROFILE_TYPE_NOT_SUPPORTED';
  if (p.energy_need !== undefined && p.energy_need < 0) return 'NOT_POSSIBLE';
  if (p.departure_time === undefined) return 'ACCEPTED';
  const hoursLeft = (parseUtc(p.departure_time).getTime() - ctx.now.getTime()) / 3_600_000;
  if (hoursLeft <= 0) return 'NOT_POSSIBLE';
  if (p.energy_need === undefined || ctx.maxPowerW === undefined) return 'ACCEPTED';
  const stillNeededKwh = p.energy_need - ctx.chargedWh / 1000;
  return stillNeededKwh > (ctx.maxPowerW / 1000) * hoursLeft ? 'NOT_POSSIBLE' : 'ACCEPTED';
}
