// Pure: decides whether a token may charge at a place at an instant, from its groups' access rules.
// No I/O and no clock: the service loads the place and the rules and passes `now`.
import { localTimeAt } from '../tariffs/timezone.ts';
import type { AccessDecision, AccessPlace, AccessRule } from './driver.types.ts';

const MINUTES_PER_DAY = 24 * 60;

/** Minutes since local midnight of an `HH:MM` time (00:00..23:59). */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Whether `hhmm` is a valid `HH:MM` (00:00..23:59). */
export function isTimeOfDay(hhmm: unknown): hhmm is string {
  return typeof hhmm === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(hhmm);
}

const previousWeekday = (isoWeekday: number): number => (isoWeekday === 1 ? 7 : isoWeekday - 1);

/**
 * Whether `rule` covers the local wall-clock reading (ISO weekday, minute of day). A window whose end is
 * not after its start runs past midnight: it belongs to the weekday it starts on, so Monday 22:00-06:00
 * covers Tuesday 05:59 but not Monday 05:59. Start == end is 24 hours from the start.
 */
export function isWithinRuleTime(rule: Pick<AccessRule, 'weekdays' | 'startTime' | 'endTime'>, isoWeekday: number, minuteOfDay: number): boolean {
  if (rule.startTime === null || rule.endTime === null) return rule.weekdays.includes(isoWeekday);
  const start = minutesOf(rule.startTime);
  const end = minutesOf(rule.endTime);
  if (start < end) return rule.weekdays.includes(isoWeekday) && minuteOfDay >= start && minuteOfDay < end;
  const isTodayPart = rule.weekdays.includes(isoWeekday) && minuteOfDay >= start;
  const isSpillOver = rule.weekdays.includes(previousWeekday(isoWeekday)) && minuteOfDay < end;
  return isTodayPart || isSpillOver;
}

/** Whether `rule` is about `place`: its whole location, or one of the EVSEs asked about. */
export function isRuleForPlace(rule: AccessRule, place: AccessPlace): boolean {
  if (rule.locationId !== null) return rule.locationId === place.locationId;
  return rule.evseUid !== null && place.evseUids.includes(rule.evseUid);
}

/**
 * The access decision for a token whose groups have `rules`, presented at `place` at `now`. Wall-clock
 * windows are read in the location's time zone (DST included). A rule for the EVSE wins over one for the
 * whole location (its tariff applies). A public location lets anyone charge; a rule there only sets the
 * tariff. A restricted or private one needs a rule covering the place and the time.
 */
export function decideAccess(place: AccessPlace, rules: readonly AccessRule[], now: Date): AccessDecision {
  const here = rules.filter((r) => isRuleForPlace(r, place));
  const local = localTimeAt(place.timeZone, now.getTime());
  const minute = Math.floor(local.msOfDay / 60_000) % MINUTES_PER_DAY;
  const matching = here.filter((r) => isWithinRuleTime(r, local.isoWeekday, minute));
  const best = matching.find((r) => r.evseUid !== null) ?? matching[0];
  if (best) return best.tariffId ? { allowed: true, tariffId: best.tariffId, ruleId: best.id } : { allowed: true, ruleId: best.id };
  if (place.accessMode === 'public') return { allowed: true };
  if (here.length > 0) return { allowed: false, reason: 'OUTSIDE_ALLOWED_TIME' };
  return { allowed: false, reason: rules.length > 0 ? 'NOT_ALLOWED_HERE' : 'NO_ACCESS_RULES' };
}
