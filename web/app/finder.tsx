import { useEffect, useState } from 'preact/hooks';
import { api, query, webConfig } from '../shared/api.ts';
import { PointMap } from '../shared/map.tsx';
import { connectorName, formatPower, toneOf } from '../shared/format.ts';
import { navigate, onLinkClick } from '../shared/router.ts';
import { Pager, PAGE_SIZE } from '../shared/table.tsx';

export interface DriverEvse {
  evseUid: string; evseId: string | null; availability: string; connectorType: string | null; maxPowerKw: number; price: string | null; adhocAllowed: boolean;
  location: { id: string; name: string | null; address: string; city: string; latitude: number; longitude: number };
}

export function EvseSummary({ e }: { e: DriverEvse }) {
  return (
    <>
      <span class={`badge tone-${toneOf(e.availability)}`}>{e.availability.toLowerCase()}</span>{' '}
      <strong>{e.location.name ?? e.location.id}</strong> · {e.evseId ?? e.evseUid}
      <div class="muted">{e.location.address}, {e.location.city}</div>
      <div>{connectorName(e.connectorType)} · {formatPower(e.maxPowerKw)}</div>
      <div data-testid="price">{e.price ?? 'price on request'}</div>
    </>
  );
}

export function Finder() {
  const [offset, setOffset] = useState(0);
  const [evses, setEvses] = useState<DriverEvse[]>([]);
  const [error, setError] = useState('');
  const [code, setCode] = useState('');
  const [tileUrl, setTileUrl] = useState<string | null>(null);
  useEffect(() => void webConfig().then((c) => setTileUrl(c.tileUrl)).catch(() => setTileUrl('')), []);
  useEffect(() => {
    api('GET', `/driver/evses${query({ limit: PAGE_SIZE, offset })}`).then((r) => setEvses(r.data)).catch((e: Error) => setError(e.message));
  }, [offset]);
  return (
    <main class="stack">
      <h1>Find a charger</h1>
      <form class="row" onSubmit={(e) => (e.preventDefault(), code && navigate(`/app/evse/${encodeURIComponent(code.trim())}`))}>
        <label><span>EVSE id (printed on the charger)</span><input value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">Open</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {tileUrl !== null && <PointMap tileUrl={tileUrl} onOpen={(p) => navigate(`/app/evse/${encodeURIComponent(p.id)}`)}
        points={evses.map((e) => ({ id: e.evseUid, lat: e.location.latitude, lon: e.location.longitude, tone: toneOf(e.availability), label: `${e.location.name ?? e.location.id}: ${e.availability.toLowerCase()}${e.price ? `, ${e.price}` : ''}` }))} />}
      <ul class="evse-list" aria-label="Chargers">
        {evses.map((e) => <li><a href={`/app/evse/${encodeURIComponent(e.evseUid)}`} onClick={onLinkClick} aria-label={`Open ${e.evseId ?? e.evseUid}`}>Open</a>{' '}<EvseSummary e={e} /></li>)}
      </ul>
      <Pager offset={offset} count={evses.length} onPage={setOffset} />
    </main>
  );
}
