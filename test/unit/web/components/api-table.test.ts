// The paginated table of the dashboard's lists (web/shared/table.tsx) in a DOM: a page at a time from the
// admin API (limit/offset), Next and Previous, a filter change back to the first page.
import { expect } from 'chai';
import { h } from 'preact';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { fakeApi, useDom, type FakeCall } from '../../../helpers/dom.ts';
import { ApiTable, PAGE_SIZE } from '../../../../web/shared/table.tsx';

/** 60 tickets served by limit/offset, as the admin API's lists are. */
function tickets(call: FakeCall) {
  const q = new URL(call.path, 'http://localhost/').searchParams;
  const offset = Number(q.get('offset'));
  const ids = Array.from({ length: 60 }, (_, i) => i + 1).slice(offset, offset + Number(q.get('limit')));
  return { body: { data: ids.map((id) => ({ id, title: `ticket ${id}`, status: q.get('status') ?? 'open' })) } };
}

const COLUMNS = [{ key: 'id', label: 'Id' }, { key: 'title', label: 'Title' }];
const firstCells = (r: ReturnType<typeof render>) => [...r.container.querySelectorAll('tbody tr td:first-child')].map((td) => td.textContent);

describe('web component: ApiTable', () => {
  useDom();
  afterEach(cleanup);

  it('should load one page, then the next and the previous one, never the whole list', async () => {
    // Arrange
    const calls = fakeApi({ 'GET /tickets': tickets });
    const r = render(h(ApiTable, { title: 'Tickets', path: '/tickets', columns: COLUMNS }));
    await waitFor(() => expect(firstCells(r)).to.have.length(PAGE_SIZE));
    expect((r.getByRole('button', { name: 'Previous' }) as HTMLButtonElement).disabled).to.equal(true);
    // Act 1
    fireEvent.click(r.getByRole('button', { name: 'Next' }));
    // Assert 1
    await waitFor(() => expect(firstCells(r)[0]).to.equal('26'));
    expect(r.getByText('26–50')).to.not.equal(null);
    // Act 2: the last page is short, so there is no next one
    fireEvent.click(r.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(firstCells(r)).to.deep.equal(Array.from({ length: 10 }, (_, i) => String(51 + i))));
    expect((r.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).to.equal(true);
    // Act 3
    fireEvent.click(r.getByRole('button', { name: 'Previous' }));
    await waitFor(() => expect(firstCells(r)[0]).to.equal('26'));
    // Assert: each page asked for once, by limit and offset
    expect(calls.map((c) => c.path)).to.deep.equal(['/tickets?limit=25&offset=0', '/tickets?limit=25&offset=25', '/tickets?limit=25&offset=50', '/tickets?limit=25&offset=25']);
  });

  it('should go back to the first page when a filter changes, without asking for the old page with the new filter', async () => {
    const calls = fakeApi({ 'GET /tickets': tickets });
    const r = render(h(ApiTable, { title: 'Tickets', path: '/tickets', columns: COLUMNS, params: { status: 'open' } }));
    await waitFor(() => expect(firstCells(r)).to.have.length(PAGE_SIZE));
    fireEvent.click(r.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(firstCells(r)[0]).to.equal('26'));
    r.rerender(h(ApiTable, { title: 'Tickets', path: '/tickets', columns: COLUMNS, params: { status: 'closed' } }));
    await waitFor(() => expect(calls.at(-1)!.path).to.equal('/tickets?status=closed&limit=25&offset=0'));
    await waitFor(() => expect(firstCells(r)[0]).to.equal('1'));
    expect(calls.map((c) => c.path).filter((p) => p.includes('closed'))).to.deep.equal(['/tickets?status=closed&limit=25&offset=0']);
  });

  it('should keep the newest filter\'s rows when an older request answers after it', async () => {
    // Arrange: the answer for the old filter is held back until the new filter's rows are shown
    let releaseOld!: () => void;
    const held = new Promise<void>((resolve) => (releaseOld = resolve));
    const calls = fakeApi({ 'GET /tickets': tickets });
    const fake = globalThis.fetch;
    let oldAnswered: Promise<unknown> = Promise.resolve();
    globalThis.fetch = ((input: string | URL, init?: RequestInit) => {
      if (!String(input).includes('status=old')) return fake(input, init);
      const answer = held.then(() => fake(input, init));
      oldAnswered = answer.then((res) => res.clone().json());
      return answer;
    }) as typeof fetch;
    const columns = [...COLUMNS, { key: 'status', label: 'Status' }];
    const statuses = (r: ReturnType<typeof render>) => new Set([...r.container.querySelectorAll('tbody tr td:nth-child(3)')].map((td) => td.textContent));
    const r = render(h(ApiTable, { title: 'Tickets', path: '/tickets', columns, params: { status: 'old' } }));
    // Act
    r.rerender(h(ApiTable, { title: 'Tickets', path: '/tickets', columns, params: { status: 'new' } }));
    await waitFor(() => expect([...statuses(r)]).to.deep.equal(['new']));
    releaseOld();
    await oldAnswered;
    await new Promise((resolve) => setImmediate(resolve)); // the table's then() after the body was read
    // Assert
    expect(calls.map((c) => c.path)).to.include('/tickets?status=old&limit=25&offset=0');
    expect([...statuses(r)]).to.deep.equal(['new']);
  });

  it('should show the API\'s error as an alert', async () => {
    fakeApi({ 'GET /tickets': { status: 400, body: { error: { code: 'INVALID_INPUT', message: 'limit: must be 1-500' } } } });
    const r = render(h(ApiTable, { title: 'Tickets', path: '/tickets', columns: COLUMNS }));
    await waitFor(() => expect(r.getByRole('alert').textContent).to.equal('limit: must be 1-500'));
  });
});
