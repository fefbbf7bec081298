// The driver app's charger and session views (web/app/finder.tsx, evse.tsx, session.tsx) in a DOM: the price
// in plain words, the availability badge, ad hoc start, and the session's running then final cost.
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { h } from 'preact';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { fakeApi, useDom } from '../../../helpers/dom.ts';
import type { DriverEvse } from '../../../../web/app/finder.tsx';

// The app's pages load Leaflet (finder.tsx), which reads `window` as it loads: imported once the DOM is there.
let EvseSummary: typeof import('../../../../web/app/finder.tsx').EvseSummary;
let EvsePage: typeof import('../../../../web/app/evse.tsx').EvsePage;
let KEY_STORE: string;
let SessionPage: typeof import('../../../../web/app/session.tsx').SessionPage;

const anEvse = (o: Partial<DriverEvse> = {}): DriverEvse => ({
  evseUid: 'EVSE-1', evseId: 'NL*CPO*E1', availability: 'AVAILABLE', connectorType: 'IEC_62196_T2', maxPowerKw: 11, price: '€0.35/kWh, €2.00/h after 2 h parking', adhocAllowed: true,
  location: { id: 'LOC1', name: 'Main street', address: 'Main street 1', city: 'Utrecht', latitude: 52.09, longitude: 5.12 },
  ...o,
});

const aSession = (o: object = {}) => ({ status: 'CHARGING', evseUid: 'EVSE-1', kWh: 3.2104, durationSec: 754, cost: { amount: 1.12, currency: 'EUR', text: '€1.12' }, cdrId: null, ...o });

describe('web component: driver app', () => {
  useDom();
  before(() => {
    // require, not import(): the same (CommonJS) Preact as @testing-library/preact's, or hooks see two Preacts.
    const load = createRequire(import.meta.url);
    ({ EvseSummary } = load('../../../../web/app/finder.tsx'));
    ({ EvsePage, KEY_STORE } = load('../../../../web/app/evse.tsx'));
    ({ SessionPage } = load('../../../../web/app/session.tsx'));
  });
  afterEach(() => (cleanup(), localStorage.clear()));

  describe('EvseSummary', () => {
    it('should show the price in plain words, the power and the availability as a coloured badge', () => {
      const r = render(h(EvseSummary, { e: anEvse() }));
      expect(r.getByTestId('price').textContent).to.equal('€0.35/kWh, €2.00/h after 2 h parking');
      expect(r.container.textContent).to.contain('11 kW');
      const badge = r.getByText('available');
      expect(badge.className).to.equal('badge tone-ok');
    });

    it('should say "price on request" without a tariff and colour a faulted EVSE', () => {
      const r = render(h(EvseSummary, { e: anEvse({ price: null, availability: 'FAULTED' }) }));
      expect(r.getByTestId('price').textContent).to.equal('price on request');
      expect(r.getByText('faulted').className).to.equal('badge tone-bad');
    });
  });

  describe('EvsePage', () => {
    it('should start ad hoc, keep the session key on the phone and open the session page', async () => {
      // Arrange
      const calls = fakeApi({ 'GET /driver/evses/EVSE-1': { body: anEvse() }, 'POST /driver/evses/EVSE-1/start': { status: 201, body: { key: 'k-123' } } });
      const r = render(h(EvsePage, { id: 'EVSE-1' }));
      // Act
      fireEvent.click(await r.findByRole('button', { name: 'Start charging' }));
      // Assert
      await waitFor(() => expect(location.pathname).to.equal('/app/session/k-123'));
      expect(localStorage.getItem(KEY_STORE)).to.equal('k-123');
      expect(calls.map((c) => `${c.method} ${c.path}`)).to.deep.equal(['GET /driver/evses/EVSE-1', 'POST /driver/evses/EVSE-1/start']);
    });

    it('should offer no ad hoc start where the location does not allow it', async () => {
      fakeApi({ 'GET /driver/evses/EVSE-1': { body: anEvse({ adhocAllowed: false }) } });
      const r = render(h(EvsePage, { id: 'EVSE-1' }));
      await r.findByTestId('price');
      expect(r.queryByRole('button', { name: 'Start charging' })).to.equal(null);
      expect(r.getByRole('link', { name: 'sign in' }).getAttribute('href')).to.equal('/app/signin');
    });

    it('should show the refusal of a start as an alert', async () => {
      fakeApi({ 'GET /driver/evses/EVSE-1': { body: anEvse() }, 'POST /driver/evses/EVSE-1/start': { status: 409, body: { error: { code: 'CONFLICT', message: 'the EVSE is not available' } } } });
      const r = render(h(EvsePage, { id: 'EVSE-1' }));
      fireEvent.click(await r.findByRole('button', { name: 'Start charging' }));
      await waitFor(() => expect(r.getByRole('alert').textContent).to.equal('the EVSE is not available'));
    });
  });

  describe('SessionPage', () => {
    it('should show the energy, the time and the cost so far of a running session, and stop it', async () => {
      // Arrange
      const calls = fakeApi({ 'GET /driver/sessions/k-1': { body: aSession() }, 'POST /driver/sessions/k-1/stop': { status: 202, body: {} } });
      const r = render(h(SessionPage, { sessionKey: 'k-1' }));
      // Assert 1
      await r.findByRole('heading', { name: 'Charging' });
      expect([r.getByTestId('kwh').textContent, r.getByTestId('duration').textContent, r.getByTestId('cost').textContent]).to.deep.equal(['3.210 kWh', '12:34', '€1.12']);
      expect(r.getByText('Cost so far')).to.not.equal(null);
      // Act + Assert 2
      fireEvent.click(r.getByRole('button', { name: 'Stop charging' }));
      await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/driver/sessions/k-1/stop')).to.equal(true));
      await r.findByRole('button', { name: 'Stopping…' });
    });

    it('should show the final cost from the CDR and forget the finished session\'s key', async () => {
      localStorage.setItem(KEY_STORE, 'k-2');
      fakeApi({ 'GET /driver/sessions/k-2': { body: aSession({ status: 'STOPPED', kWh: 7.5, cost: { amount: 2.63, currency: 'EUR', text: '€2.63' }, cdrId: 'CDR-1' }) } });
      const r = render(h(SessionPage, { sessionKey: 'k-2' }));
      await r.findByRole('heading', { name: 'Charging finished' });
      expect(r.getByTestId('final-cost').textContent).to.equal('€2.63');
      expect(r.getByText('Final cost')).to.not.equal(null);
      expect(r.queryByRole('button', { name: 'Stop charging' })).to.equal(null);
      expect(localStorage.getItem(KEY_STORE)).to.equal(null);
    });

    it('should say the final cost is being calculated while the CDR is not there yet', async () => {
      fakeApi({ 'GET /driver/sessions/k-3': { body: aSession({ status: 'STOPPED' }) } });
      const r = render(h(SessionPage, { sessionKey: 'k-3' }));
      await r.findByText('Calculating the final cost…');
      expect(r.getByTestId('cost').textContent).to.equal('€1.12');
    });
  });
});
