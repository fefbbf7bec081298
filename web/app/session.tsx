import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { formatDuration, formatKwh } from '../shared/format.ts';
import { onLinkClick } from '../shared/router.ts';
import { KEY_STORE } from './evse.tsx';

interface DriverSession {
  status: 'STARTING' | 'CHARGING' | 'STOPPED' | 'REJECTED'; evseUid: string; kWh: number; durationSec: number;
  cost: { amount: number; currency: string; text: string } | null; cdrId: string | null;
}

/** How often the session is read while it runs or waits for its CDR. */
const POLL_MS = 2000;

export function SessionPage({ sessionKey }: { sessionKey: string }) {
  const [s, setS] = useState<DriverSession | null>(null);
  const [error, setError] = useState('');
  const [stopping, setStopping] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let alive = true;
    const load = async () => {
      try {
        const next = await api<DriverSession>('GET', `/driver/sessions/${sessionKey}`);
        if (!alive) return;
        setS(next);
        setError('');
        if (next.status === 'REJECTED' || (next.status === 'STOPPED' && next.cdrId)) {
          // Over: the header no longer offers "My session".
          if (localStorage.getItem(KEY_STORE) === sessionKey) localStorage.removeItem(KEY_STORE);
          return;
        }
      } catch (e) {
        if (alive) setError((e as Error).message);
      }
      if (alive) timer = setTimeout(load, POLL_MS);
    };
    void load();
    return () => (alive = false, clearTimeout(timer));
  }, [sessionKey]);
  const stop = async () => {
    setStopping(true);
    try {
      await api('POST', `/driver/sessions/${sessionKey}/stop`);
    } catch (e) {
      setError((e as Error).message);
      setStopping(false);
    }
  };
  if (!s) return <main>{error ? <p class="error" role="alert">{error}</p> : <p>Loading…</p>}</main>;
  const isFinal = s.status === 'STOPPED' && s.cdrId !== null;
  return (
    <main class="stack">
      <h1>{s.status === 'CHARGING' ? 'Charging' : s.status === 'STARTING' ? 'Starting… plug in your car' : s.status === 'REJECTED' ? 'The charger refused to start' : 'Charging finished'}</h1>
      <p class="muted">EVSE {s.evseUid}</p>
      <div class="cards">
        <div class="card"><span>Energy</span><strong data-testid="kwh">{formatKwh(s.kWh)}</strong></div>
        <div class="card"><span>Time</span><strong data-testid="duration">{formatDuration(s.durationSec)}</strong></div>
        <div class="card"><span>{isFinal ? 'Final cost' : 'Cost so far'}</span><strong data-testid={isFinal ? 'final-cost' : 'cost'} data-amount={s.cost?.amount ?? ''}>{s.cost?.text ?? '—'}</strong></div>
      </div>
      {s.status === 'STOPPED' && !s.cdrId && <p class="muted">Calculating the final cost…</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {(isFinal || s.status === 'REJECTED') && <p><a href="/app" onClick={onLinkClick}>Find a charger</a></p>}
      {s.status === 'CHARGING' && <button type="button" class="danger" disabled={stopping} onClick={stop}>{stopping ? 'Stopping…' : 'Stop charging'}</button>}
    </main>
  );
}
