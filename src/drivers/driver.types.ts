/** Who may charge at a location (issue 9): anyone, only drivers of its groups, or those only and unpublished. */
export type AccessMode = 'public' | 'restricted' | 'private';
export const ACCESS_MODES: readonly AccessMode[] = ['public', 'restricted', 'private'];

export interface Driver {
  id: number;
  name: string;
  email: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DriverGroup {
  id: number;
  name: string;
  /** load management (issue 10): higher is served first when capacity is short */
  priority: number;
  createdAt: Date;
}

/** A group's permission to use a location (or one of its EVSEs) on some weekdays in a local-time window. */
export interface AccessRule {
  id: number;
  groupId: number;
  /** Exactly one of locationId / evseUid is set. */
  locationId: string | null;
  evseUid: string | null;
  /** ISO weekdays (1 = Monday .. 7 = Sunday) in the location's time zone; for a window past midnight, the day it starts. */
  weekdays: number[];
  /** HH:MM local; both null = the whole day. endTime <= startTime: the window ends the next day. */
  startTime: string | null;
  endTime: string | null;
  /** The tariff that applies to sessions under this rule (informational: see README). */
  tariffId: string | null;
}

export type NewAccessRule = Omit<AccessRule, 'id'>;

/** Where a token is presented: the location and the EVSEs asked about (one at a StartTransaction). */
export interface AccessPlace {
  locationId: string;
  accessMode: AccessMode;
  timeZone: string;
  evseUids: string[];
}

/** Why a token was refused at a place (recorded in access_refusals.reason). */
export type AccessRefusalReason =
  /** The token has no driver, or the driver's groups have no rules at all. */
  | 'NO_ACCESS_RULES'
  /** Rules exist, but none for this location or EVSE. */
  | 'NOT_ALLOWED_HERE'
  /** A rule covers this place, but not on this day or at this time. */
  | 'OUTSIDE_ALLOWED_TIME';

export type AccessDecision =
  | { allowed: true; tariffId?: string; ruleId?: number }
  | { allowed: false; reason: AccessRefusalReason };

export interface AccessRefusal {
  id: number;
  idTag: string;
  tokenId: number | null;
  chargePointId: string;
  connectorId: number | null;
  locationId: string | null;
  status: string;
  reason: AccessRefusalReason;
  at: Date;
}
