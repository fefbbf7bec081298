// The dashboard's charger page (web/dashboard/charger.tsx) in a DOM: connector status badges coloured by
// status and updated from the event stream, and the command buttons offered to network roles only
// (README "Operators and roles": a viewer sees no command buttons).
import { expect } from 'chai';
import { h } from 'preact';
import { act, cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { fakeApi, FakeEventSource, useDom } from '../../../helpers/dom.ts';
import { ChargerPage } from '../../../../web/dashboard/charger.tsx';
import type { Me } from '../../../../web/dashboard/login.tsx';

const CHARGER = {
  chargePointId: 'CP-1', isOnline: true, vendor: 'Acme', model: 'Wallbox', firmwareVersion: '1.2', locationId: 'LOC1',
  connectors: [{ connectorNumber: 0, ocppStatus: 'Available', errorCode: 'NoError' }, { connectorNumber: 1, ocppStatus: 'Available', errorCode: 'NoError' }, { connectorNumber: 2, ocppStatus: 'Faulted', errorCode: 'GroundFailure' }],
};

const aMe = (role: Me['role']): Me => ({ id: 1, email: `${role}@example.com`, role });

describe('web component: ChargerPage', () => {
  useDom();
  afterEach(cleanup);
  let calls: ReturnType<typeof fakeApi>;
  beforeEach(() => {
    calls = fakeApi({
      'GET /chargers/CP-1': { body: CHARGER },
      'GET /sessions': { body: { data: [] } },
      'GET /chargers/CP-1/status-history': { body: { data: [] } },
      'GET /alerts': { body: { data: [] } },
      'GET /chargers/CP-1/configuration': { body: { data: [] } },
      'POST /chargers/CP-1/commands/Reset': { body: { response: { status: 'Accepted' } } },
    });
  });

  const badgeOf = (r: ReturnType<typeof render>, connector: number) => r.container.querySelector(`li[data-connector="${connector}"] .badge`)!;

  it('OCPP16 §7.7: should colour each outlet\'s status badge by its status, connector 0 left out', async () => {
    const r = render(h(ChargerPage, { id: 'CP-1', me: aMe('admin') }));
    await waitFor(() => expect(r.container.querySelectorAll('li[data-connector]')).to.have.length(2));
    expect([badgeOf(r, 1).textContent, badgeOf(r, 1).className]).to.deep.equal(['Available', 'badge tone-ok']);
    expect([badgeOf(r, 2).textContent, badgeOf(r, 2).className]).to.deep.equal(['Faulted', 'badge tone-bad']);
    expect(r.container.querySelector('li[data-connector="2"]')!.textContent).to.contain('(GroundFailure)');
  });

  it('should update a badge from the event stream and grey every badge out when the charger goes offline', async () => {
    // Arrange
    const r = render(h(ChargerPage, { id: 'CP-1', me: aMe('admin') }));
    await waitFor(() => expect(badgeOf(r, 1)).to.not.equal(null));
    expect(FakeEventSource.open[0]!.url).to.contain('chargePointId=CP-1');
    // Act 1
    act(() => FakeEventSource.emit('connector.status', { chargePointId: 'CP-1', connectorId: 1, status: 'Charging', errorCode: 'NoError' }));
    // Assert 1
    expect([badgeOf(r, 1).textContent, badgeOf(r, 1).className]).to.deep.equal(['Charging', 'badge tone-busy']);
    // Act 2 + Assert 2
    act(() => FakeEventSource.emit('charger.disconnected', { chargePointId: 'CP-1' }));
    expect(r.getByTestId('charger-online').textContent).to.equal('offline');
    expect([badgeOf(r, 1).className, badgeOf(r, 2).className]).to.deep.equal(['badge tone-off', 'badge tone-off']);
  });

  it('should offer an operator the command buttons and show the charger\'s answer', async () => {
    const r = render(h(ChargerPage, { id: 'CP-1', me: aMe('operator') }));
    fireEvent.click(await r.findByRole('button', { name: 'Soft reset' }));
    await waitFor(() => expect(r.getByTestId('command-answer').textContent).to.equal('Reset: Accepted'));
    expect(calls.find((c) => c.method === 'POST')!.body).to.deep.equal({ type: 'Soft' });
  });

  for (const role of ['viewer', 'finance'] as const) {
    it(`should show a ${role} account the charger without any command button`, async () => {
      const r = render(h(ChargerPage, { id: 'CP-1', me: aMe(role) }));
      await waitFor(() => expect(badgeOf(r, 1)).to.not.equal(null));
      expect(r.queryByRole('region', { name: 'Commands' })).to.equal(null);
      expect(['Soft reset', 'Hard reset', 'Unlock', 'Remote start', 'Remote stop'].map((name) => r.queryByRole('button', { name }))).to.deep.equal([null, null, null, null, null]);
    });
  }
});
