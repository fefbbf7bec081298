// The load-groups page (README "Load management"): the capacity tree read level by level (GET /load-groups?
// parentId=…, paginated), a group opened in place with its allocation; network roles create groups and
// attach chargers, a viewer only looks.
import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../shared/api.ts';
import { formatAmps, type LoadGroupView } from '../shared/load-group.ts';
import { PAGE_SIZE, Pager } from '../shared/table.tsx';
import { GroupDetail } from './load-group-detail.tsx';
import type { Me } from './login.tsx';

type GroupRow = Pick<LoadGroupView, 'id' | 'name' | 'parentId' | 'maxCurrentA' | 'phases'>;

/** Creates a group below `parentId` (null: a site's grid connection). */
export function NewGroupForm({ parentId, onCreated }: { parentId: number | null; onCreated: () => void }) {
  const [error, setError] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const formEl = e.currentTarget as HTMLFormElement;
    const form = new FormData(formEl);
    const body = { name: String(form.get('name')), parentId, maxCurrentA: Number(form.get('maxCurrentA')), phases: Number(form.get('phases')), marginA: Number(form.get('marginA') || 0) };
    api('POST', '/load-groups', body).then(() => (formEl.reset(), setError(''), onCreated()), (err: Error) => setError(err.message));
  };
  return (
    <form class="row" onSubmit={submit} aria-label={parentId === null ? 'New site' : 'New group below'}>
      <label><span>Name</span><input name="name" required maxLength={100} /></label>
      <label><span>Limit per phase (A)</span><input name="maxCurrentA" type="number" min="0" step="any" required /></label>
      <label><span>Phases</span><select name="phases"><option value="3">3</option><option value="1">1</option></select></label>
      <label><span>Margin (A)</span><input name="marginA" type="number" min="0" step="any" /></label>
      <button type="submit">Create group</button>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}

function GroupNode({ group, canEdit }: { group: GroupRow; canEdit: boolean }) {
  const [open, setOpen] = useState(false);
  const [version, setVersion] = useState(0);
  return (
    <li data-group={group.id}>
      <button type="button" class="link" aria-expanded={open} aria-controls={`load-group-${group.id}`} onClick={() => setOpen(!open)}>{group.name}</button>
      <span class="muted"> {formatAmps(group.maxCurrentA)} × {group.phases}</span>
      {open && (
        <div id={`load-group-${group.id}`} class="tree-body">
          <GroupDetail id={group.id} canEdit={canEdit} />
          <h3>Groups below {group.name}</h3>
          <GroupList parentId={group.id} label={`Groups below ${group.name}`} canEdit={canEdit} version={version} />
          {canEdit && <details><summary>New group below {group.name}</summary><NewGroupForm parentId={group.id} onCreated={() => setVersion(version + 1)} /></details>}
        </div>
      )}
    </li>
  );
}

/** One level of the tree, a page at a time: nothing loads the whole fleet's groups. */
export function GroupList({ parentId, label, canEdit, version = 0 }: { parentId: number | null; label: string; canEdit: boolean; version?: number }) {
  const [offset, setOffset] = useState(0);
  const [rows, setRows] = useState<GroupRow[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api('GET', `/load-groups${query({ parentId: parentId ?? 'none', limit: PAGE_SIZE, offset })}`).then((r) => (setRows(r.data), setError('')), (e: Error) => setError(e.message));
  }, [parentId, offset, version]);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!rows) return <p>Loading…</p>;
  if (rows.length === 0 && offset === 0) return <p class="muted">{parentId === null ? 'No load groups yet.' : 'None.'}</p>;
  return (
    <>
      <ul class="tree" aria-label={label}>{rows.map((g) => <GroupNode key={g.id} group={g} canEdit={canEdit} />)}</ul>
      {(offset > 0 || rows.length === PAGE_SIZE) && <Pager offset={offset} count={rows.length} onPage={setOffset} />}
    </>
  );
}

export function LoadGroupsPage({ me }: { me: Me }) {
  const canEdit = me.role === 'admin' || me.role === 'operator';
  const [version, setVersion] = useState(0);
  return (
    <main>
      <h1>Load groups</h1>
      <p class="muted">The capacity tree: a site's grid connection, the panels and circuits below it. Open a group to see its limit, the planned and measured draw per phase and the current allocation per session.</p>
      <GroupList parentId={null} label="Sites" canEdit={canEdit} version={version} />
      {canEdit && <details><summary>New site (a grid connection)</summary><NewGroupForm parentId={null} onCreated={() => setVersion(version + 1)} /></details>}
    </main>
  );
}
