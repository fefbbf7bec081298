// Which eMSPs may see a tariff through the OCPI tariffs module (GET list and pushes). OCPI 2.2.1
// mod_tariffs: a CPO may use different tariffs per eMSP, so a price negotiated with one eMSP must never
// reach another. Pure: derived from the operator's assignment rules only (SQL twin: tariff.repo.ts
// `visibleToPartnerFk`).
//
// - A rule for everybody (no partner, no group) makes the tariff general: every eMSP sees it.
// - A rule for partner P (with or without a token group) makes it visible to P: it prices P's tokens.
// - A group-only rule shows it to nobody: it is for the operator's own driver groups, which no eMSP
//   can relate to a tariff (Connector.tariff_ids has no group view).
// - A tariff no rule assigns is used for nobody and seen by nobody: a new tariff meant for one eMSP is
//   therefore never published to all of them in the moment between its creation and its assignment.
import type { TariffAssignment } from './tariff-selection.ts';

export interface TariffVisibility {
  isGeneral: boolean;
  /** Partners named by a rule of the tariff. */
  partnerFks: ReadonlySet<number>;
}

/** Who may see a tariff assigned by `rules` (all the rules of that tariff). */
export function tariffVisibility(rules: ReadonlyArray<Pick<TariffAssignment, 'partnerFk' | 'groupId'>>): TariffVisibility {
  const partnerFks = new Set<number>();
  let isGeneral = false;
  for (const r of rules) {
    if (r.partnerFk !== null) partnerFks.add(r.partnerFk);
    else if (r.groupId === null) isGeneral = true;
  }
  return { isGeneral, partnerFks };
}

export function isTariffVisibleTo(v: TariffVisibility, partnerFk: number): boolean {
  return v.isGeneral || v.partnerFks.has(partnerFk);
}

/**
 * The pushes a change of a tariff's rules calls for among `partnerFks` (the eMSPs with a tariffs
 * RECEIVER): PUT to those that gain the tariff, DELETE at those that lose it (mod_tariffs §11.2.2: a
 * tariff "no longer used by the CPO for that eMSP").
 */
export function visibilityPushes(before: TariffVisibility, after: TariffVisibility, partnerFks: readonly number[]): { put: number[]; delete: number[] } {
  const put: number[] = [];
  const del: number[] = [];
  for (const p of partnerFks) {
    const [was, is] = [isTariffVisibleTo(before, p), isTariffVisibleTo(after, p)];
    if (!was && is) put.push(p);
    if (was && !is) del.push(p);
  }
  return { put, delete: del };
}
