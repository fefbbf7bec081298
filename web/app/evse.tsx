import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { navigate } from '../shared/router.ts';
import { accountToken, StartWithToken } from './account.tsx';
import { EvseSummary, type DriverEvse } from './finder.tsx';

/** The key of the driver's session is kept on the phone, so a reload still finds it. */
export const KEY_STORE = 'cpms.driver.session';

export function EvsePage({ id }: { id: string }) {
  const [evse, setEvse] = useState<DriverEvse | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api('GET', `/driver/evses/${encodeURIComponent(id)}`).then(setEvse).catch((e: Error) => setError(e.message));
  }, [id]);
  const start = async () => {
    setBusy(true);
    setError('');
    try {
      const r = await api('POST', `/driver/evses/${encodeURIComponent(id)}/start`, {});
      localStorage.setItem(KEY_STORE, r.key);
      navigate(`/app/session/${r.key}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="stack">
      <h1>Charger</h1>
      {evse && <div><EvseSummary e={evse} /></div>}
      {error && <p class="error" role="alert">{error}</p>}
      {(evse || error) && accountToken() && <StartWithToken evse={evse?.evseUid ?? id} />}
      {evse && (evse.adhocAllowed
        ? <button type="button" class={accountToken() ? '' : 'primary'} disabled={busy} onClick={start}>{busy ? 'Starting…' : accountToken() ? 'Start without my card' : 'Start charging'}</button>
        : !accountToken() && <p class="muted">Charging here needs a card or an app of a roaming provider (or <a href="/app/signin">sign in</a>).</p>)}
    </main>
  );
}
