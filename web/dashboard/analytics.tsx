import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../shared/api.ts';
import { revenueSeries, sumSeries, weightedShare, type ChartData } from '../shared/analytics.ts';
import { BucketChart } from '../shared/bucket-chart.tsx';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

interface Charts { energy: ChartData; revenue: ChartData; utilization?: ChartData; availability?: ChartData }

export function AnalyticsPage() {
  const today = new Date();
  const [from, setFrom] = useState(isoDay(new Date(today.getTime() - 30 * 86_400_000)));
  const [to, setTo] = useState(isoDay(new Date(today.getTime() + 86_400_000)));
  const [groupBy, setGroupBy] = useState('day');
  const [locationId, setLocationId] = useState('');
  const [charts, setCharts] = useState<Charts | null>(null);
  const [error, setError] = useState('');
  const range: [number, number] = [Date.parse(`${from}T00:00:00Z`) / 1000, Date.parse(`${to}T00:00:00Z`) / 1000];
  const params = { from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z`, groupBy, locationId: locationId || undefined };
  // utilization and availability take the picked days as local dates: those days in each location's own zone
  const localDays = { ...params, from, to };
  useEffect(() => {
    const report = (metric: string, p: Record<string, string | undefined>) => api('GET', `/analytics/${metric}${query(p)}`).then((r) => r.data);
    // utilization and availability come summed per bucket (one row each), for the fleet or the location chosen
    Promise.all([report('sessions', params), report('revenue', params), report('utilization', localDays), report('availability', localDays)])
      .then(([sessions, revenue, utilization, availability]) => {
        setCharts({
          energy: sumSeries(sessions, [['energyKwh', 'Energy (kWh)'], ['sessions', 'Sessions']]),
          revenue: revenueSeries(revenue),
          utilization: utilization && weightedShare(utilization, (r) => r.chargingSec, 'Charging share'),
          availability: availability && weightedShare(availability, (r) => r.periodSec - r.downSec, 'Uptime'),
        });
        setError('');
      })
      .catch((e: Error) => setError(e.message));
  }, [from, to, groupBy, locationId]);
  return (
    <main>
      <h1>Analytics</h1>
      <div class="row">
        <label><span>From</span><input type="date" value={from} onChange={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
        <label><span>To (exclusive)</span><input type="date" value={to} onChange={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
        <label><span>Group by</span><select value={groupBy} onChange={(e) => setGroupBy((e.target as HTMLSelectElement).value)}>{['day', 'week', 'month'].map((g) => <option>{g}</option>)}</select></label>
        <label><span>Location id</span><input value={locationId} onChange={(e) => setLocationId((e.target as HTMLInputElement).value)} /></label>
        <a href={`/api/v1/analytics/sessions${query({ ...params, format: 'csv' })}`}>Sessions CSV</a>
        <a href={`/api/v1/analytics/revenue${query({ ...params, format: 'csv' })}`}>Revenue CSV</a>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {charts && <div class="cards">
        <BucketChart title="Energy and sessions" data={charts.energy} range={range} />
        <BucketChart title="Revenue by currency" data={charts.revenue} range={range} />
        {charts.utilization && <BucketChart title="Utilization" data={charts.utilization} range={range} />}
        {charts.availability && <BucketChart title="Availability" data={charts.availability} range={range} />}
      </div>}
    </main>
  );
}
