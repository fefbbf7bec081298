// The dashboard's load-groups page (web/dashboard/load-groups.tsx, load-group-detail.tsx) in a DOM: the
// capacity tree read a level at a time, a group opened in place with its phases and the allocation per
// session, the edit controls for network roles only, a page of groups at a time.
import { expect } from 'chai';
import { h } from 'preact';
import { cleanup, fireEvent, render, waitFor, within } from '@testing-library/preact';
import { fakeApi, useDom, type FakeCall } from '../../../helpers/dom.ts';
import { LoadGroupsPage } from '../../../../web/dashboard/load-groups.tsx';
import type { Me } from '../../../../web/dashboard/login.tsx';
import type { LoadGroupView } from '../../../../web/shared/load-group.ts';

const aMe = (role: Me['role']): Me => ({ id: 1, email: `${role}@example.com`, role });

const SITE = { id: 1, name: 'Depot grid', parentId: null, maxCurrentA: 63, phases: 3 as const };
const BAY = { id: 2, name: 'Bay A', parentId: 1, maxCurrentA: 32, phases: 3 as const };

const aView = (o: Partial<LoadGroupView> = {}): LoadGroupView => ({
  ...SITE, marginA: 3, limitA: 60, plannedA: { L1: 32, L2: 32, L3: 16 }, measuredA: { L1: 31.5, L2: 64, L3: 15.9 },
  chargers: [{ chargePointId: 'CP-1', phaseRotation: 'RST', maxCurrentA: 16 }],
  sessions: [
    { sessionId: 11, chargePointId: 'CP-1', connectorNumber: 1, limitA: 16, phases: 3, status: 'Accepted', uncontrolled: false, measuredA: [15.8, 15.9, 15.9] },
    { sessionId: 12, chargePointId: 'CP-2', connectorNumber: 2, limitA: 16, phases: 1, status: 'Rejected', uncontrolled: true, measuredA: null },
  ],
  ...o,
});

/** The children of `parentId` (`none`: the roots) as GET /load-groups?parentId= gives them. */
function levels(call: FakeCall) {
  const parent = new URL(call.path, 'http://localhost/').searchParams.get('parentId');
  return { body: { data: parent === 'none' ? [SITE] : parent === '1' ? [BAY] : [] } };
}

describe('web component: LoadGroupsPage', () => {
  useDom();
  afterEach(cleanup);

  async function openSite(role: Me['role'], routes: Record<string, unknown> = {}) {
    const calls = fakeApi({ 'GET /load-groups': levels, 'GET /load-groups/1': { body: aView() }, 'GET /load-groups/2': { body: aView({ ...BAY, chargers: [], sessions: [] }) }, ...routes } as never);
    const r = render(h(LoadGroupsPage, { me: aMe(role) }));
    const toggle = await r.findByRole('button', { name: 'Depot grid' });
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const detail = within(await r.findByTestId('load-group-1'));
    await detail.findByRole('table', { name: 'Sessions in Depot grid' });
    return { r, calls, detail };
  }

  it('should read the tree a level at a time: the sites first, a group\'s children once it is opened', async () => {
    const { r, calls } = await openSite('viewer');
    const below = within(await r.findByRole('list', { name: 'Groups below Depot grid' }));
    expect(below.getByRole('button', { name: 'Bay A' }).getAttribute('aria-expanded')).to.equal('false');
    expect(calls.map((c) => c.path)).to.deep.equal(['/load-groups?parentId=none&limit=25&offset=0', '/load-groups/1', '/load-groups?parentId=1&limit=25&offset=0']);
  });

  it('should show the limit against the planned and measured draw per phase, marking a phase over it', async () => {
    const { detail } = await openSite('viewer');
    const phases = detail.getByRole('table', { name: 'Phases of Depot grid' });
    const cells = [...phases.querySelectorAll('tbody tr')].map((tr) => [...tr.children].slice(0, 4).map((c) => c.textContent));
    expect(cells).to.deep.equal([['L1', '60 A', '32 A', '31.5 A'], ['L2', '60 A', '32 A', '64 A over the limit'], ['L3', '60 A', '16 A', '15.9 A']]);
    expect(phases.querySelector('tr[data-phase="L2"]')!.className).to.equal('over');
    expect(detail.getByLabelText('L1: 53 % of the limit').tagName).to.equal('METER');
  });

  it('should show each session\'s allocation and the charger\'s answer, an uncontrolled one as such', async () => {
    const { detail } = await openSite('viewer');
    const rows = [...detail.getByRole('table', { name: 'Sessions in Depot grid' }).querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows).to.deep.equal([
      ['11', 'CP-1', '1', '16 A × 3 (Accepted)', '15.8 / 15.9 / 15.9 A'],
      ['12', 'CP-2', '2', 'uncontrolled (Rejected): counted at its maximum', '—'],
    ]);
  });

  it('should show a viewer no button or form that changes the tree', async () => {
    const { r } = await openSite('viewer');
    await r.findByRole('button', { name: 'Bay A' });
    expect(r.queryByRole('button', { name: 'Remove CP-1 from Depot grid' })).to.equal(null);
    expect(r.queryByRole('button', { name: 'Add charger' })).to.equal(null);
    expect(r.queryByRole('button', { name: 'Create group' })).to.equal(null);
    expect(r.queryByLabelText('Charger id')).to.equal(null);
  });

  it('should let an operator add a charger to the group, remove one, and read the group again after each', async () => {
    // Arrange
    const { detail, calls } = await openSite('operator', { 'PUT /load-groups/1/chargers/CP-9': { body: {} }, 'DELETE /load-groups/1/chargers/CP-1': { status: 204 } });
    // Act
    fireEvent.input(detail.getByLabelText('Charger id'), { target: { value: 'CP-9' } });
    fireEvent.click(detail.getByRole('button', { name: 'Add charger' }));
    await waitFor(() => expect(calls.filter((c) => c.path === '/load-groups/1')).to.have.length(2));
    fireEvent.click(detail.getByRole('button', { name: 'Remove CP-1 from Depot grid' }));
    // A change during a read is folded into one more read after it (web/dashboard/refresh.ts: a second's gap).
    await waitFor(() => expect(calls.filter((c) => c.path === '/load-groups/1').length).to.be.at.least(3));
    // Assert
    expect(calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)).to.deep.equal(['PUT /load-groups/1/chargers/CP-9', 'DELETE /load-groups/1/chargers/CP-1']);
  });

  it('should show the API\'s refusal of a change as an alert', async () => {
    const { detail } = await openSite('admin', { 'PUT /load-groups/1/chargers/NOPE': { status: 400, body: { error: { code: 'INVALID_INPUT', message: 'charger NOPE not found' } } } });
    fireEvent.input(detail.getByLabelText('Charger id'), { target: { value: 'NOPE' } });
    fireEvent.click(detail.getByRole('button', { name: 'Add charger' }));
    await waitFor(() => expect(detail.getByRole('alert').textContent).to.equal('charger NOPE not found'));
  });

  it('should create a site with the form and list it', async () => {
    // Arrange
    let created = false;
    const NEW = { id: 3, name: 'Office', parentId: null, maxCurrentA: 25, phases: 1 };
    const calls = fakeApi({
      'GET /load-groups': () => ({ body: { data: created ? [SITE, NEW] : [SITE] } }),
      'POST /load-groups': () => ((created = true), { status: 201, body: NEW }),
    });
    const r = render(h(LoadGroupsPage, { me: aMe('admin') }));
    await r.findByRole('button', { name: 'Depot grid' });
    fireEvent.click(r.getByText('New site (a grid connection)'));
    const form = within(r.getByRole('form', { name: 'New site' }));
    // Act
    fireEvent.input(form.getByLabelText('Name'), { target: { value: 'Office' } });
    fireEvent.input(form.getByLabelText('Limit per phase (A)'), { target: { value: '25' } });
    fireEvent.change(form.getByLabelText('Phases'), { target: { value: '1' } });
    fireEvent.click(form.getByRole('button', { name: 'Create group' }));
    // Assert
    await r.findByRole('button', { name: 'Office' });
    expect(calls.find((c) => c.method === 'POST')!.body).to.deep.equal({ name: 'Office', parentId: null, maxCurrentA: 25, phases: 1, marginA: 0 });
  });

  it('should page through the sites, 25 at a time', async () => {
    // Arrange: 30 sites
    const sites = Array.from({ length: 30 }, (_, i) => ({ ...SITE, id: i + 1, name: `Site ${i + 1}` }));
    const calls = fakeApi({ 'GET /load-groups': (call: FakeCall) => {
      const q = new URL(call.path, 'http://localhost/').searchParams;
      return { body: { data: sites.slice(Number(q.get('offset')), Number(q.get('offset')) + Number(q.get('limit'))) } };
    } });
    const r = render(h(LoadGroupsPage, { me: aMe('viewer') }));
    await r.findByRole('button', { name: 'Site 25' });
    // Act
    fireEvent.click(r.getByRole('button', { name: 'Next' }));
    // Assert
    await r.findByRole('button', { name: 'Site 30' });
    expect(r.queryByRole('button', { name: 'Site 1' })).to.equal(null);
    expect(calls.map((c) => c.path)).to.deep.equal(['/load-groups?parentId=none&limit=25&offset=0', '/load-groups?parentId=none&limit=25&offset=25']);
  });
});
