// Pure: a sample session as an OCPI 2.2.1 CDR (cdrs §10.4.6 ChargingPeriod) for the tariff editor's preview
// through POST /api/v1/tariffs/price: charging for `chargingMin` with `kWh`, then parking for `parkingMin`.

export interface SampleSession { startIso: string; kWh: number; chargingMin: number; parkingMin: number; timeZone: string }

export function sampleCdr(s: SampleSession): Record<string, unknown> {
  const start = Date.parse(s.startIso);
  const chargedAt = new Date(start + s.chargingMin * 60_000).toISOString();
  const end = new Date(start + (s.chargingMin + s.parkingMin) * 60_000).toISOString();
  const periods = [{ start_date_time: new Date(start).toISOString(), dimensions: [{ type: 'ENERGY', volume: s.kWh }, { type: 'TIME', volume: s.chargingMin / 60 }] }];
  if (s.parkingMin > 0) periods.push({ start_date_time: chargedAt, dimensions: [{ type: 'PARKING_TIME', volume: s.parkingMin / 60 }] });
  return { start_date_time: new Date(start).toISOString(), end_date_time: end, cdr_location: { time_zone: s.timeZone }, charging_periods: periods };
}
