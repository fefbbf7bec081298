import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
// Stylesheets are imported by the entry points only, so that components load in Node for their tests.
import 'leaflet/dist/leaflet.css';
import 'uplot/dist/uPlot.min.css';
import '../shared/style.css';
import { api, setCsrfToken, setOnUnauthorized, webConfig } from '../shared/api.ts';
import { onLinkClick, usePath } from '../shared/router.ts';
import { ChargerPage } from './charger.tsx';
import { AlertsPage, CdrsPage, SessionsPage, SimpleList, SIMPLE_PAGES } from './lists.tsx';
import { Login, type Me } from './login.tsx';
import { Overview } from './overview.tsx';
import { AnalyticsPage } from './analytics.tsx';
import { TariffsPage } from './tariffs.tsx';
import { GroupPage } from './group.tsx';
import { LoadGroupsPage } from './load-groups.tsx';

const NAV: [string, string][] = [['', 'Overview'], ['sessions', 'Sessions'], ['cdrs', 'CDRs'], ['alerts', 'Alerts'], ['tickets', 'Tickets'], ['tariffs', 'Tariffs'], ['load-groups', 'Load groups'], ['analytics', 'Analytics'], ['drivers', 'Drivers'], ['groups', 'Groups'], ['partners', 'Partners'], ['operators', 'Operators'], ['audit', 'Audit log']];
// Admin-only areas (README "Operators and roles"): not offered to other roles.
const ADMIN_ONLY = new Set(['operators', 'audit', 'partners']);

function Page({ path, me, tileUrl }: { path: string; me: Me; tileUrl: string }) {
  const [, , page, arg] = path.split('/');
  if (page === 'chargers' && arg) return <ChargerPage id={decodeURIComponent(arg)} me={me} />;
  if (page === 'groups' && arg) return <GroupPage id={decodeURIComponent(arg)} />;
  if (page === 'sessions') return <SessionsPage />;
  if (page === 'cdrs') return <CdrsPage />;
  if (page === 'analytics') return <AnalyticsPage />;
  if (page === 'alerts') return <AlertsPage canAck={me.role === 'admin' || me.role === 'operator'} />;
  if (page === 'tariffs') return <TariffsPage me={me} />;
  if (page === 'load-groups') return <LoadGroupsPage me={me} />;
  if (page && SIMPLE_PAGES[page]) return <SimpleList {...SIMPLE_PAGES[page]} />;
  return <Overview tileUrl={tileUrl} />;
}

function Dashboard() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [tileUrl, setTileUrl] = useState('');
  const path = usePath();
  useEffect(() => {
    setOnUnauthorized(() => setMe(null));
    webConfig().then((c) => setTileUrl(c.tileUrl)).catch(() => undefined);
    api('GET', '/auth/me').then((r) => (setCsrfToken(r.csrfToken), setMe(r.operator))).catch(() => setMe(null));
  }, []);
  if (me === undefined) return <p>Loading…</p>;
  if (me === null) return <Login onLogin={setMe} />;
  const current = path.split('/')[2] ?? '';
  const logout = () => api('POST', '/auth/logout').finally(() => setMe(null));
  return (
    <>
      <header class="top">
        <strong>cpms</strong>
        <nav aria-label="Main"><ul style="display:flex;gap:1rem;list-style:none;margin:0;padding:0;flex-wrap:wrap">
          {NAV.filter(([p]) => me.role === 'admin' || !ADMIN_ONLY.has(p)).map(([p, label]) => (
            <li><a href={`/dashboard/${p}`} onClick={onLinkClick} aria-current={current === p ? 'page' : undefined}>{label}</a></li>
          ))}
        </ul></nav>
        <span class="who">{me.email} ({me.role}) <button type="button" onClick={logout}>Sign out</button></span>
      </header>
      <Page path={path} me={me} tileUrl={tileUrl} />
    </>
  );
}

render(<Dashboard />, document.getElementById('root')!);
