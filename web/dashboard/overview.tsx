import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../shared/api.ts';
import { locationTone, toneOf, type Counts } from '../shared/format.ts';
import { PointMap } from '../shared/map.tsx';
import { Pager, PAGE_SIZE } from '../shared/table.tsx';
import { navigate, onLinkClick } from '../shared/router.ts';
import { STATUS_TYPES, useLiveEvents } from './live.ts';
import { useCoalescedLoad } from './refresh.ts';

interface LocationRow { id: string; name: string | null; city: string; latitude: number; longitude: number; counts: Counts }
interface LiveCharger { chargePointId: string; locationId: string | null; online: boolean; connectors: { connectorId: number; status: string }[] }

function CountCards({ c }: { c: Counts | null }) {
  const items: [string, keyof Counts, string][] = [['Available', 'available', 'ok'], ['Charging', 'charging', 'busy'], ['Faulted', 'faulted', 'bad'], ['Offline', 'offline', 'off']];
  return (
    <div class="cards" aria-label="EVSE counts">
      {items.map(([label, key, tone]) => <div class="card" data-count={key}><span class={`badge tone-${tone}`}>{label}</span><strong>{c ? c[key] : '…'}</strong></div>)}
      <div class="card" data-count="total"><span>EVSEs</span><strong>{c ? c.total : '…'}</strong></div>
    </div>
  );
}

function ChargerRows({ chargers }: { chargers: LiveCharger[] }) {
  return (
    <table aria-label="Chargers">
      <thead><tr><th scope="col">Charger</th><th scope="col">Location</th><th scope="col">Connection</th><th scope="col">Connectors</th></tr></thead>
      <tbody>
        {chargers.map((c) => (
          <tr data-charger={c.chargePointId}>
            <td><a href={`/dashboard/chargers/${encodeURIComponent(c.chargePointId)}`} onClick={onLinkClick}>{c.chargePointId}</a></td>
            <td>{c.locationId ?? '—'}</td>
            <td><span class={`badge tone-${c.online ? 'ok' : 'off'}`}>{c.online ? 'online' : 'offline'}</span></td>
            <td>{c.connectors.map((k) => <span class={`badge tone-${toneOf(c.online ? k.status : 'offline')}`}>{k.connectorId}: {k.status}</span>)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Overview({ tileUrl }: { tileUrl: string }) {
  const [summary, setSummary] = useState<Counts | null>(null);
  const [locations, setLocations] = useState<LocationRow[]>([]);
  const [chargers, setChargers] = useState<LiveCharger[]>([]);
  const [offset, setOffset] = useState(0);
  const [cursors, setCursors] = useState<string[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [locationId, setLocationId] = useState<string | undefined>(undefined);
  const cursor = cursors.at(-1);
  const showLocation = (id: string | undefined) => (setCursors([]), setLocationId(id));
  const reload = useCoalescedLoad(async () => {
    const [s, l, c] = await Promise.all([api('GET', '/live/summary'), api('GET', `/live/locations${query({ limit: PAGE_SIZE, offset })}`), api('GET', `/live/chargers${query({ limit: PAGE_SIZE, cursor, locationId })}`)]);
    setSummary(s);
    setLocations(l.data);
    setChargers(c.data);
    setNext(c.nextCursor ?? null);
  });
  useEffect(() => reload(), [offset, cursor, locationId]);
  useLiveEvents({}, () => reload(), [], STATUS_TYPES);
  const points = locations.map((l) => ({ id: l.id, lat: l.latitude, lon: l.longitude, tone: locationTone(l.counts), label: `${l.name ?? l.id}: ${l.counts.available} free of ${l.counts.total}` }));
  return (
    <main>
      <h1>Network overview</h1>
      <CountCards c={summary} />
      <PointMap points={points} tileUrl={tileUrl} onOpen={(p) => showLocation(p.id)} />
      <h2>Locations</h2>
      <table aria-label="Locations">
        <thead><tr><th scope="col">Location</th><th scope="col">City</th><th scope="col">Status</th><th scope="col">Available</th><th scope="col">Charging</th><th scope="col">Faulted</th><th scope="col">Offline</th></tr></thead>
        <tbody>{locations.map((l) => (
          <tr data-location={l.id}>
            <td><button type="button" class="link" onClick={() => showLocation(l.id)} aria-label={`Show the chargers of ${l.name ?? l.id}`}>{l.name ?? l.id}</button></td><td>{l.city}</td><td><span class={`badge tone-${locationTone(l.counts)}`}>{locationTone(l.counts)}</span></td>
            <td>{l.counts.available}</td><td>{l.counts.charging}</td><td>{l.counts.faulted}</td><td>{l.counts.offline}</td>
          </tr>
        ))}</tbody>
      </table>
      <Pager offset={offset} count={locations.length} onPage={setOffset} />
      <h2>Chargers{locationId ? ` at ${locationId}` : ''}</h2>
      {locationId && <button type="button" onClick={() => showLocation(undefined)}>Show all chargers</button>}
      <ChargerRows chargers={chargers} />
      <div class="pager">
        <button type="button" disabled={!cursors.length} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
        <button type="button" disabled={!next} onClick={() => setCursors([...cursors, next!])}>Next</button>
        <button type="button" onClick={() => navigate('/dashboard/sessions')}>Sessions</button>
      </div>
    </main>
  );
}
