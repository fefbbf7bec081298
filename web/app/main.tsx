import { render } from 'preact';
// Stylesheets are imported by the entry points only, so that components load in Node for their tests.
import 'leaflet/dist/leaflet.css';
import '../shared/style.css';
import { onLinkClick, usePath } from '../shared/router.ts';
import { accountToken, MyPage, SignInPage } from './account.tsx';
import { EvsePage, KEY_STORE } from './evse.tsx';
import { Finder } from './finder.tsx';
import { SessionPage } from './session.tsx';

function DriverApp() {
  const path = usePath();
  const [, , page, arg] = path.split('/');
  const ongoing = localStorage.getItem(KEY_STORE);
  return (
    <>
      <header class="top">
        <a href="/app" onClick={onLinkClick}><strong>Charge</strong></a>
        {ongoing && page !== 'session' && <a href={`/app/session/${ongoing}`} onClick={onLinkClick}>My session</a>}
        {accountToken() ? <a href="/app/me" onClick={onLinkClick}>My account</a> : <a href="/app/signin" onClick={onLinkClick}>Sign in</a>}
      </header>
      {page === 'evse' && arg ? <EvsePage id={decodeURIComponent(arg)} /> : page === 'session' && arg ? <SessionPage sessionKey={arg} />
        : page === 'signin' ? <SignInPage /> : page === 'me' ? <MyPage /> : <Finder />}
    </>
  );
}

render(<DriverApp />, document.getElementById('root')!);
