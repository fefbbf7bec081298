// Pure rules about stuck sessions (issue 15): what the CDR says of a session cpms closed, whether a late
// StopTransaction brings newer data, and the zombie rules. No I/O, no clock: `now` is passed in.
import type { CloseReason } from './session.types.ts';

/** OCPI 2.2.1 cdrs §10.3.1 `remark` of the CDR of a session cpms closed itself. */
const REMARKS: Record<CloseReason, string> = {
  STALE: 'Closed by the CPO: the charger stopped reporting',
  SUPERSEDED: 'Closed by the CPO: a newer transaction started on the connector',
  CONNECTOR_IDLE: 'Closed by the CPO: the connector became free without a stop from the charger',
  OPERATOR_FORCED: 'Closed by the CPO: stopped by the operator',
  NO_ENERGY: 'Closed by the CPO: no energy was delivered',
  NO_PROGRESS: 'Closed by the CPO: no energy was delivered for hours while not charging',
  TOO_LONG: 'Closed by the CPO: the session exceeded its maximum duration',
};

export const closeRemark = (reason: CloseReason): string => REMARKS[reason];

/** The remark of a CDR that replaces `replacedCdrId` after the charger's own late StopTransaction. */
export const replacementRemark = (replacedCdrId: string, reason: CloseReason | null): string =>
  `Replaces CDR ${replacedCdrId}: the charger's own stop arrived after the CPO closed the session${reason ? ` (${reason})` : ''}`;

/**
 * Whether a StopTransaction for a session cpms already closed carries newer data than the close: a later
 * stop time or a higher register, and never a register lower than the one billed (a meter does not run back).
 */
export function isNewerStop(closed: { stopAt: Date; meterStopWh: number }, stop: { stopAt: Date; meterStopWh: number }): boolean {
  if (stop.meterStopWh < closed.meterStopWh) return false;
  return stop.stopAt.getTime() > closed.stopAt.getTime() || stop.meterStopWh > closed.meterStopWh;
}

export type ZombieReason = Extract<CloseReason, 'NO_ENERGY' | 'NO_PROGRESS' | 'TOO_LONG'>;

/** One zombie rule: its threshold (0 = off) and whether a match closes the session or only raises an alert. */
export interface ZombieRule {
  afterMin: number;
  action: 'close' | 'alert';
}

export interface ZombieRules {
  noEnergy: ZombieRule;
  noProgress: ZombieRule;
  tooLong: ZombieRule;
}

/** What the rules look at: an ACTIVE session and its connector's OCPP status. */
export interface ZombieFacts {
  startAt: Date;
  energyWh: number;
  /** When the energy last changed; null = not since the start. */
  energyChangedAt: Date | null;
  connectorStatus: string | null;
}

const MIN_MS = 60_000;
const passed = (rule: ZombieRule, since: Date, now: Date): boolean => rule.afterMin > 0 && now.getTime() - since.getTime() >= rule.afterMin * MIN_MS;

/**
 * The first zombie rule a session matches, or undefined: TOO_LONG (running longer than its threshold),
 * NO_ENERGY (no energy at all that long after its start), NO_PROGRESS (energy unchanged that long while
 * the connector is not Charging: a connector that charges is trusted, a meter may lag).
 */
export function classifyZombie(s: ZombieFacts, rules: ZombieRules, now: Date): ZombieReason | undefined {
  if (passed(rules.tooLong, s.startAt, now)) return 'TOO_LONG';
  if (s.energyWh === 0 && passed(rules.noEnergy, s.startAt, now)) return 'NO_ENERGY';
  if (s.connectorStatus !== 'Charging' && passed(rules.noProgress, s.energyChangedAt ?? s.startAt, now)) return 'NO_PROGRESS';
  return undefined;
}

export const zombieRuleOf = (rules: ZombieRules, reason: ZombieReason): ZombieRule =>
  reason === 'TOO_LONG' ? rules.tooLong : reason === 'NO_ENERGY' ? rules.noEnergy : rules.noProgress;

/** The alert text of a zombie rule match. */
export function zombieMessage(reason: ZombieReason, rule: ZombieRule): string {
  const hours = (rule.afterMin / 60).toString();
  if (reason === 'TOO_LONG') return `session running longer than ${hours} h`;
  if (reason === 'NO_ENERGY') return `no energy delivered ${rule.afterMin} min after the start`;
  return `energy unchanged for ${hours} h while the connector is not charging`;
}
