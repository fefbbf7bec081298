// Which tariff applies to a session: the operator's assignment rules (connector / EVSE / location scope,
// optionally limited to one eMSP party and/or one token group), resolved most-specific-first.
// Pure: no I/O, no clock (the session start time is an argument).

import type { PartyRef } from '../partners/partner.types.ts';

/** An OCPI party: country_code + party_id (OCPI 2.2.1 credentials §7.4.1; CiStrings, stored upper-case). */
export type OcpiParty = PartyRef;

/** Whether two parties are the same (CiString: case-insensitive, types §16.1). */
export function isSameParty(a: OcpiParty, b: OcpiParty): boolean {
  return a.countryCode.toUpperCase() === b.countryCode.toUpperCase() && a.partyId.toUpperCase() === b.partyId.toUpperCase();
}

/** `DE/ABC`: a party as a key of maps and sets (upper-case). */
export function partyKey(p: OcpiParty): string {
  return `${p.countryCode.toUpperCase()}/${p.partyId.toUpperCase()}`;
}

/** An assignment rule; exactly one of connectorFk / evseFk / locationId is set. */
export interface TariffAssignment {
  id: number;
  tariffId: string;
  connectorFk: number | null;
  evseFk: number | null;
  locationId: string | null;
  /**
   * Only for tokens of this eMSP party (null = any). A party, not a partner connection: the eMSPs behind one
   * hub each have their own prices.
   */
  party: OcpiParty | null;
  /** Only for tokens with this OCPI Token.group_id (null = any). */
  groupId: string | null;
  /** Tie-breaker between rules of the same specificity: higher wins. */
  priority: number;
}

/** Where the session charges. */
export interface ChargingSite {
  connectorFk: number | null;
  evseFk: number | null;
  locationId: string | null;
}

/** Who charges: the token's eMSP party (null for the operator's own tokens) and group. */
export interface Audience {
  party: OcpiParty | null;
  groupId: string | null;
}

/** OCPI 2.2.1 tariffs §11.3.1 start_date_time / end_date_time, as epoch ms (null = open-ended). */
export interface TariffValidity {
  startMs: number | null;
  endMs: number | null;
}

/** 3 connector, 2 EVSE, 1 location, 0 = the rule does not cover the site. */
function scopeRank(a: TariffAssignment, site: ChargingSite): number {
  if (a.connectorFk !== null) return a.connectorFk === site.connectorFk ? 3 : 0;
  if (a.evseFk !== null) return a.evseFk === site.evseFk ? 2 : 0;
  if (a.locationId !== null) return a.locationId === site.locationId ? 1 : 0;
  return 0;
}

/** group+party 3, group 2, party 1, everybody 0; -1 = the rule is for someone else. */
function audienceRank(a: TariffAssignment, who: Audience): number {
  if (a.party !== null && (who.party === null || !isSameParty(a.party, who.party))) return -1;
  if (a.groupId !== null && a.groupId !== who.groupId) return -1;
  return (a.groupId !== null ? 2 : 0) + (a.party !== null ? 1 : 0);
}

interface Ranked {
  rule: TariffAssignment;
  tier: number;
}

/**
 * The rules that cover `site` for `who`, most specific first: the audience decides first (group >
 * party > everybody), then the scope (connector > EVSE > location), then priority, then rule id.
 */
export function rankAssignments(rules: readonly TariffAssignment[], site: ChargingSite, who: Audience): Ranked[] {
  const ranked: Ranked[] = [];
  for (const rule of rules) {
    const scope = scopeRank(rule, site);
    const audience = audienceRank(rule, who);
    if (scope > 0 && audience >= 0) ranked.push({ rule, tier: audience * 4 + scope });
  }
  return ranked.sort((x, y) => y.tier - x.tier || y.rule.priority - x.rule.priority || x.rule.id - y.rule.id);
}

/** Whether the tariff is in force at `atMs` (start inclusive, end exclusive). */
export function isTariffActive(v: TariffValidity, atMs: number): boolean {
  return (v.startMs === null || v.startMs <= atMs) && (v.endMs === null || atMs < v.endMs);
}

/**
 * The rule whose tariff applies to a session starting at `atMs`: the most specific rule whose tariff is
 * in force then (a rule of an unknown or inactive tariff is skipped), or undefined when none applies.
 */
export function selectTariff(
  rules: readonly TariffAssignment[],
  session: { site: ChargingSite; who: Audience; atMs: number },
  validity: ReadonlyMap<string, TariffValidity>,
): TariffAssignment | undefined {
  for (const { rule } of rankAssignments(rules, session.site, session.who)) {
    const v = validity.get(rule.tariffId);
    if (v && isTariffActive(v, session.atMs)) return rule;
  }
  return undefined;
}

/**
 * OCPI 2.2.1 locations §8.3.4 Connector.tariff_ids as seen by `who`: the tariffs of the most specific
 * tier of rules covering the connector (several when the operator announces a future tariff next to the
 * current one through start_date_time / end_date_time), highest priority first, without duplicates.
 */
export function connectorTariffIds(rules: readonly TariffAssignment[], site: ChargingSite, who: Audience): string[] {
  const ranked = rankAssignments(rules, site, who);
  if (ranked.length === 0) return [];
  const top = ranked[0].tier;
  return [...new Set(ranked.filter((r) => r.tier === top).map((r) => r.rule.tariffId))];
}
