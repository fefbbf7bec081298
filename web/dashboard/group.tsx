// A driver group: its members and access rules (README "Drivers, groups and access rules").
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';

const DAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function GroupPage({ id }: { id: string }) {
  const [group, setGroup] = useState<any>(null);
  const [error, setError] = useState('');
  useEffect(() => void api('GET', `/groups/${encodeURIComponent(id)}`).then(setGroup, (e: Error) => setError(e.message)), [id]);
  if (error) return <main><p class="error" role="alert">{error}</p></main>;
  if (!group) return <main><p>Loading…</p></main>;
  return (
    <main>
      <h1>Group {group.name}</h1>
      <h2>Access rules</h2>
      <table aria-label="Access rules">
        <thead><tr><th scope="col">Where</th><th scope="col">Days</th><th scope="col">Hours (local)</th><th scope="col">Tariff</th></tr></thead>
        <tbody>{group.rules.map((r: any) => (
          <tr><td>{r.locationId ? `location ${r.locationId}` : `EVSE ${r.evseUid}`}</td><td>{r.weekdays.map((d: number) => DAYS[d]).join(', ')}</td>
            <td>{r.startTime ? `${r.startTime}–${r.endTime}` : 'all day'}</td><td>{r.tariffId ?? '—'}</td></tr>
        ))}</tbody>
      </table>
      <h2>Members</h2>
      <ul>{group.members.map((m: any) => <li>{m.name ?? m.id}{m.email ? ` (${m.email})` : ''}</li>)}</ul>
    </main>
  );
}
