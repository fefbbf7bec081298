// Pure: the analytics reports (GET /api/v1/analytics/{metric}) shaped into chart series (issue 11 dashboard).

export interface Series { label: string; values: (number | null)[] }
export interface ChartData { buckets: string[]; series: Series[] }

const sortedBuckets = (rows: { bucket: string }[]): string[] => [...new Set(rows.map((r) => r.bucket))].sort();

/** One series per field, summed per bucket (sessions: one row per bucket already). */
export function sumSeries(rows: Record<string, any>[], fields: [string, string][]): ChartData {
  const buckets = sortedBuckets(rows as { bucket: string }[]);
  const series = fields.map(([field, label]) => ({
    label,
    values: buckets.map((b) => rows.filter((r) => r.bucket === b).reduce((sum, r) => sum + Number(r[field] ?? 0), 0)),
  }));
  return { buckets, series };
}

/** Revenue incl. VAT per currency: one series each (amounts in different currencies are never added). */
export function revenueSeries(rows: { bucket: string; currency: string; revenueInclVat: string }[]): ChartData {
  const buckets = sortedBuckets(rows);
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  return {
    buckets,
    series: currencies.map((c) => ({
      label: `Revenue incl. VAT (${c})`,
      values: buckets.map((b) => rows.filter((r) => r.bucket === b && r.currency === c).reduce((sum, r) => sum + Number(r.revenueInclVat), 0)),
    })),
  };
}

/**
 * The share of time (0..1) over the EVSEs of each bucket, weighted by each EVSE's period: the network's
 * utilization or availability, not the average of per-EVSE ratios (an EVSE observed one hour weighs less).
 */
export function weightedShare(rows: Record<string, any>[], numerator: (r: any) => number, label: string): ChartData {
  const buckets = sortedBuckets(rows as { bucket: string }[]);
  const values = buckets.map((b) => {
    const inBucket = rows.filter((r) => r.bucket === b);
    const period = inBucket.reduce((sum, r) => sum + Number(r.periodSec), 0);
    return period > 0 ? inBucket.reduce((sum, r) => sum + numerator(r), 0) / period : null;
  });
  return { buckets, series: [{ label, values }] };
}
