// The driver's account (issue 11): sign in with the email and password the operator set, start with one of
// one's own tokens (cards), follow and stop the running session, and the session history with the CDRs' costs.
// The driver session token is kept on the phone and sent as a bearer token to the driver API only.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query } from '../shared/api.ts';
import { formatKwh } from '../shared/format.ts';
import { navigate, onLinkClick } from '../shared/router.ts';
import { Pager, PAGE_SIZE } from '../shared/table.tsx';

const TOKEN_STORE = 'cpms.driver.account';

export const accountToken = (): string | null => localStorage.getItem(TOKEN_STORE);
const auth = (): Record<string, string> => ({ Authorization: `Bearer ${accountToken() ?? ''}` });

/** A call of the signed-in driver; a 401 forgets the session (it expired or the password was reset). */
async function asDriver<T>(call: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  try {
    return await call(auth());
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) localStorage.removeItem(TOKEN_STORE);
    throw e;
  }
}

export interface MyToken { id: number; uid: string; type: string; visualNumber: string | null }
interface Me { id: number; name: string; email: string | null; tokens: MyToken[] }
interface HistoryItem {
  id: number; status: string; evseUid: string | null; tokenUid: string; startAt: string; stopAt: string | null; kWh: number;
  cost: { amount: number; currency: string; text: string } | null; cdrId: string | null;
}

/** Access-rule refusals (README "Drivers, groups and access rules") in plain words. */
const REFUSALS: Record<string, string> = {
  NO_ACCESS_RULES: 'your card has no access rules: ask the operator to add you to a group',
  NOT_ALLOWED_HERE: 'your groups may not charge at this location',
  OUTSIDE_ALLOWED_TIME: 'your groups may not charge here at this time',
};
export const explainError = (message: string): string => {
  const code = /^refused: (\w+)$/.exec(message)?.[1];
  return code ? `Refused (${code}): ${REFUSALS[code] ?? code}` : message;
};

export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const r = await api('POST', '/driver/auth/login', { email, password });
      localStorage.setItem(TOKEN_STORE, r.token);
      navigate('/app/me');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="stack">
      <h1>Sign in</h1>
      <form class="stack" onSubmit={submit}>
        <label><span>Email</span><input type="email" autocomplete="username" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} /></label>
        <label><span>Password</span><input type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} /></label>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}

/** The start with one of the driver's cards, on the EVSE page of a signed-in driver. */
export function StartWithToken({ evse }: { evse: string }) {
  const [tokens, setTokens] = useState<MyToken[] | null>(null);
  const [tokenId, setTokenId] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    asDriver((h) => api<Me>('GET', '/driver/me', undefined, h)).then((me) => (setTokens(me.tokens), setTokenId(String(me.tokens[0]?.id ?? '')))).catch((e: Error) => setError(e.message));
  }, []);
  const start = async () => {
    setBusy(true);
    setError('');
    try {
      await asDriver((h) => api('POST', `/driver/me/evses/${encodeURIComponent(evse)}/start`, { tokenId: Number(tokenId) }, h));
      navigate('/app/me');
    } catch (e) {
      setError(explainError((e as Error).message));
    } finally {
      setBusy(false);
    }
  };
  if (tokens === null) return error ? <p class="error" role="alert">{error}</p> : null;
  if (tokens.length === 0) return <p class="muted">Your account has no card yet.</p>;
  return (
    <div class="stack">
      <label><span>My card</span>
        <select value={tokenId} onChange={(e) => setTokenId((e.target as HTMLSelectElement).value)}>
          {tokens.map((t) => <option value={String(t.id)}>{t.visualNumber ?? t.uid}</option>)}
        </select>
      </label>
      {error && <p class="error" role="alert" data-testid="start-error">{error}</p>}
      <button type="button" class="primary" disabled={busy} onClick={start}>{busy ? 'Starting…' : 'Start with my card'}</button>
    </div>
  );
}

/** How often the history is read while a session runs or waits for its CDR. */
const POLL_MS = 2000;
/** How long the page reads on after it opened or a stop, whatever it found (a start takes a moment to show). */
const WATCH_MS = 60_000;

export function MyPage() {
  const [me, setMe] = useState<Me | null>(null);
  const [items, setItems] = useState<HistoryItem[]>([]);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState('');
  const [stopping, setStopping] = useState<number | null>(null);
  useEffect(() => {
    asDriver((h) => api<Me>('GET', '/driver/me', undefined, h)).then(setMe).catch((e: Error) => (setError(e.message), accountToken() || navigate('/app/signin')));
  }, []);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let alive = true;
    // A start just asked for shows up once the charger began the transaction: read on for a while.
    const until = Date.now() + WATCH_MS;
    const load = async () => {
      try {
        const r = await asDriver((h) => api<{ data: HistoryItem[] }>('GET', `/driver/me/sessions${query({ limit: PAGE_SIZE, offset })}`, undefined, h));
        if (!alive) return;
        setItems(r.data);
        const isPending = (s: HistoryItem) => s.status === 'ACTIVE' || (s.status === 'COMPLETED' && !s.cdrId && Date.now() - Date.parse(s.stopAt ?? s.startAt) < WATCH_MS);
        if (Date.now() > until && !r.data.some(isPending)) return;
      } catch (e) {
        if (alive) setError((e as Error).message);
      }
      if (alive) timer = setTimeout(load, POLL_MS);
    };
    void load();
    return () => (alive = false, clearTimeout(timer));
  }, [offset, stopping]);
  const stop = async (id: number) => {
    setStopping(id);
    try {
      await asDriver((h) => api('POST', `/driver/me/sessions/${id}/stop`, undefined, h));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const signOut = async () => {
    await asDriver((h) => api('POST', '/driver/auth/logout', undefined, h)).catch(() => undefined);
    localStorage.removeItem(TOKEN_STORE);
    navigate('/app');
  };
  const active = items.find((s) => s.status === 'ACTIVE');
  return (
    <main class="stack">
      <h1>{me ? me.name : 'My account'}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {me && <p class="muted">Cards: {me.tokens.map((t) => t.visualNumber ?? t.uid).join(', ') || 'none'}</p>}
      {active && (
        <section class="stack" aria-label="Current session">
          <h2>Charging at {active.evseUid}</h2>
          <div class="cards">
            <div class="card"><span>Energy</span><strong data-testid="my-kwh">{formatKwh(active.kWh)}</strong></div>
            <div class="card"><span>Cost so far</span><strong data-testid="my-cost">{active.cost?.text ?? '—'}</strong></div>
          </div>
          <button type="button" class="danger" disabled={stopping === active.id} onClick={() => stop(active.id)}>{stopping === active.id ? 'Stopping…' : 'Stop charging'}</button>
        </section>
      )}
      <h2>History</h2>
      <ul class="evse-list" aria-label="Session history">
        {items.map((s) => (
          <li data-testid="history-row" data-status={s.status} data-cdr={s.cdrId ?? ''}>
            <strong data-testid="history-cost">{s.cost?.text ?? '—'}</strong> · <span data-testid="history-kwh">{formatKwh(s.kWh)}</span> ·{' '}
            <span data-testid="history-status">{s.status.toLowerCase()}{s.status === 'COMPLETED' && !s.cdrId ? ' (final cost pending)' : ''}</span>
            <div class="muted">{new Date(s.startAt).toLocaleString()} · EVSE <span data-testid="history-evse">{s.evseUid ?? '—'}</span> · card <span data-testid="history-card">{s.tokenUid}</span></div>
          </li>
        ))}
      </ul>
      <Pager offset={offset} count={items.length} onPage={setOffset} />
      <p><a href="/app" onClick={onLinkClick}>Find a charger</a> · <button type="button" onClick={signOut}>Sign out</button></p>
    </main>
  );
}
