// Which OCPI parties may see a tariff through the OCPI tariffs module (GET list and pushes). OCPI 2.2.1
// mod_tariffs: a CPO may use different tariffs per eMSP, so a price negotiated with one eMSP party must never
// reach another, even one behind the same hub. Pure: derived from the operator's assignment rules only (SQL
// twin: tariff.repo.ts `visibleToParty`).
//
// - A rule for everybody (no party, no group) makes the tariff general: every party sees it.
// - A rule for party P (with or without a token group) makes it visible to P: it prices P's tokens.
// - A group-only rule shows it to nobody: it is for the operator's own driver groups, which no eMSP
//   can relate to a tariff (Connector.tariff_ids has no group view).
// - A tariff no rule assigns is used for nobody and seen by nobody: a new tariff meant for one eMSP is
//   therefore never published to all of them in the moment between its creation and its assignment.
import { partyKey, type OcpiParty, type TariffAssignment } from './tariff-selection.ts';

export interface TariffVisibility {
  isGeneral: boolean;
  /** Parties named by a rule of the tariff, as partyKey()s. */
  parties: ReadonlySet<string>;
}

/** Who may see a tariff assigned by `rules` (all the rules of that tariff). */
export function tariffVisibility(rules: ReadonlyArray<Pick<TariffAssignment, 'party' | 'groupId'>>): TariffVisibility {
  const parties = new Set<string>();
  let isGeneral = false;
  for (const r of rules) {
    if (r.party !== null) parties.add(partyKey(r.party));
    else if (r.groupId === null) isGeneral = true;
  }
  return { isGeneral, parties };
}

export function isTariffVisibleTo(v: TariffVisibility, party: OcpiParty): boolean {
  return v.isGeneral || v.parties.has(partyKey(party));
}

/**
 * A partner connection with a tariffs RECEIVER: pushes addressed to its own party reach the partner itself,
 * or, for a hub, every party behind it (transport §4.1.8 Broadcast Push); `parties` are the other parties
 * reached through it one by one (OCPI-to-* = that party), e.g. an eMSP behind the hub.
 */
export interface TariffReceiver {
  partnerFk: number;
  ownParty: OcpiParty;
  parties: readonly OcpiParty[];
}

/** One push: to the receiver's own party (`toParty` undefined) or to one party through it. */
export interface TariffPush {
  partnerFk: number;
  toParty?: OcpiParty;
  method: 'PUT' | 'DELETE';
}

function delta(was: boolean, is: boolean): 'PUT' | 'DELETE' | undefined {
  if (!was && is) return 'PUT';
  if (was && !is) return 'DELETE';
  return undefined;
}

/**
 * The pushes a change of a tariff's rules calls for (mod_tariffs §11.2.2: PUT to those who gain it, DELETE at
 * those that lose it, a tariff "no longer used by the CPO for that eMSP"), per receiver in delivery order:
 * first the receiver's own party, then each party through it. A party behind a hub holds what the last
 * push that reached it said, its own or the hub's broadcast: a broadcast DELETE of a tariff the party still
 * may see is followed by a PUT to it, a broadcast PUT of one it may not see by a DELETE at it.
 */
export function visibilityPushes(before: TariffVisibility, after: TariffVisibility, receivers: readonly TariffReceiver[]): TariffPush[] {
  const pushes: TariffPush[] = [];
  for (const r of receivers) {
    const broadcast = delta(isTariffVisibleTo(before, r.ownParty), isTariffVisibleTo(after, r.ownParty));
    if (broadcast) pushes.push({ partnerFk: r.partnerFk, method: broadcast });
    for (const party of r.parties) {
      const held = broadcast ? broadcast === 'PUT' : isTariffVisibleTo(before, party);
      const method = delta(held, isTariffVisibleTo(after, party));
      if (method) pushes.push({ partnerFk: r.partnerFk, toParty: party, method });
    }
  }
  return pushes;
}

/** The PUTs a change of the tariff itself calls for: to each receiver that sees it, and to each party through it that sees it when its receiver does not. */
export function contentPushes(v: TariffVisibility, receivers: readonly TariffReceiver[]): TariffPush[] {
  const pushes: TariffPush[] = [];
  for (const r of receivers) {
    const viaBroadcast = isTariffVisibleTo(v, r.ownParty);
    if (viaBroadcast) pushes.push({ partnerFk: r.partnerFk, method: 'PUT' });
    for (const party of r.parties) if (!viaBroadcast && isTariffVisibleTo(v, party)) pushes.push({ partnerFk: r.partnerFk, toParty: party, method: 'PUT' });
  }
  return pushes;
}
