// Analytics (issue 9): the query every report takes and the rows each report answers. Buckets are the
// local date (YYYY-MM-DD) of the bucket's start in the location's time zone, so two locations in different
// zones share a bucket when their local calendars do.

export const GROUP_BYS = ['day', 'week', 'month'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The rows of utilization and availability: summed per bucket over the EVSEs in scope (default), or one per EVSE and bucket. */
export const PERS = ['bucket', 'evse'] as const;
export type Per = (typeof PERS)[number];

export const METRICS = ['sessions', 'revenue', 'utilization', 'availability', 'failures'] as const;
export type Metric = (typeof METRICS)[number];

export interface AnalyticsQuery {
  /** With `dates`: the UTC midnight of dates.from (the instants come from each zone's local dates). */
  from: Date;
  /** Exclusive; never after the clock's now for the time-based reports (the future is not observed). */
  to: Date;
  groupBy: GroupBy;
  locationId?: string;
  chargePointId?: string;
  /** The eMSP party of the token (OCPI country_code + party_id). */
  party?: { countryCode: string; partyId: string };
  /** A driver group: sessions (and their CDRs) of tokens whose driver is in the group now. */
  groupId?: number;
  limit: number;
  /** utilization and availability: `bucket` (default) or `evse`. */
  per?: Per;
  /**
   * The period as local dates (YYYY-MM-DD, `to` exclusive): those days in each location's own time zone
   * (utilization and availability only). `from`/`to` are then their UTC midnights.
   */
  dates?: { from: string; to: string };
}

export interface SessionsRow {
  bucket: string;
  sessions: number;
  energyKwh: number;
  avgDurationMin: number | null;
  avgEnergyKwh: number | null;
  successRate: number | null;
  peakPowerKw: number | null;
}

export interface RevenueRow {
  bucket: string;
  currency: string;
  cdrs: number;
  credits: number;
  energyKwh: number;
  revenueExclVat: string;
  revenueInclVat: string;
}

export interface EvseTimeRow {
  bucket: string;
  locationId: string;
  evseUid: string;
  chargePointId: string;
  connectorId: number;
  /** Seconds of the bucket inside the period (for availability: maintenance windows excluded). */
  periodSec: number;
}

export interface UtilizationRow extends EvseTimeRow {
  chargingSec: number;
  occupiedSec: number;
  chargingShare: number | null;
  occupiedShare: number | null;
}

export interface AvailabilityRow extends EvseTimeRow {
  maintenanceSec: number;
  downSec: number;
  uptime: number | null;
}

/** utilization or availability per bucket: the seconds of every EVSE in scope summed. */
export interface BucketTimeRow {
  bucket: string;
  /** The EVSEs in scope (each observed for part of the bucket at least). */
  evses: number;
  periodSec: number;
}

export interface BucketUtilizationRow extends BucketTimeRow {
  chargingSec: number;
  occupiedSec: number;
  chargingShare: number | null;
  occupiedShare: number | null;
}

export interface BucketAvailabilityRow extends BucketTimeRow {
  maintenanceSec: number;
  downSec: number;
  uptime: number | null;
}

export interface FailuresRow {
  chargePointId: string;
  locationId: string | null;
  faults: number;
  offlineEvents: number;
  failedStarts: number;
  sessions: number;
}

export type AnalyticsRow = SessionsRow | RevenueRow | UtilizationRow | AvailabilityRow | BucketUtilizationRow | BucketAvailabilityRow | FailuresRow;
