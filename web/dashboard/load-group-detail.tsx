// One load group of the capacity tree (GET /load-groups/{id}): its limit against the planned and measured draw
// per phase, the allocation per session, its chargers; network roles add and remove chargers.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { allocationText, formatAmps, measuredText, phaseRows, type LoadGroupView } from '../shared/load-group.ts';
import { useCoalescedLoad } from './refresh.ts';

/** A modest poll while a group is open: the allocation changes on the load manager's runs, not per event. */
export const REFRESH_MS = 5000;

export function PhaseTable({ group }: { group: Pick<LoadGroupView, 'name' | 'phases' | 'limitA' | 'plannedA' | 'measuredA'> }) {
  return (
    <div class="scroll">
      <table aria-label={`Phases of ${group.name}`}>
        <thead><tr><th scope="col">Phase</th><th scope="col">Limit now</th><th scope="col">Planned</th><th scope="col">Measured</th><th scope="col">Use of the limit</th></tr></thead>
        <tbody>{phaseRows(group).map((r) => (
          <tr data-phase={r.phase} class={r.isOver ? 'over' : undefined}>
            <th scope="row">{r.phase}</th><td>{formatAmps(r.limitA)}</td><td>{formatAmps(r.plannedA)}</td>
            <td>{formatAmps(r.measuredA)}{r.isOver && <strong class="error"> over the limit</strong>}</td>
            <td>{r.usage === null ? '—' : <meter min={0} max={1} high={0.9} value={r.usage} aria-label={`${r.phase}: ${Math.round(r.usage * 100)} % of the limit`}>{Math.round(r.usage * 100)} %</meter>}</td>
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}

export function SessionsTable({ group }: { group: Pick<LoadGroupView, 'name' | 'sessions'> }) {
  if (group.sessions.length === 0) return <p class="muted">No session at this group's own chargers.</p>;
  return (
    <div class="scroll">
      <table aria-label={`Sessions in ${group.name}`}>
        <thead><tr><th scope="col">Session</th><th scope="col">Charger</th><th scope="col">Connector</th><th scope="col">Allocation</th><th scope="col">Measured</th></tr></thead>
        <tbody>{group.sessions.map((s) => (
          <tr data-session={s.sessionId}><td>{s.sessionId}</td><td>{s.chargePointId}</td><td>{s.connectorNumber}</td><td>{allocationText(s)}</td><td>{measuredText(s.measuredA)}</td></tr>
        ))}</tbody>
      </table>
    </div>
  );
}

function AttachForm({ groupId, onChanged }: { groupId: number; onChanged: () => void }) {
  const [chargePointId, setChargePointId] = useState('');
  const [error, setError] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    api('PUT', `/load-groups/${groupId}/chargers/${encodeURIComponent(chargePointId.trim())}`, {})
      .then(() => (setChargePointId(''), setError(''), onChanged()), (err: Error) => setError(err.message));
  };
  return (
    <form class="row" onSubmit={submit}>
      <label><span>Charger id</span><input value={chargePointId} required maxLength={48} onInput={(e) => setChargePointId((e.target as HTMLInputElement).value)} /></label>
      <button type="submit">Add charger</button>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}

function Chargers({ group, canEdit, onChanged }: { group: LoadGroupView; canEdit: boolean; onChanged: () => void }) {
  const [error, setError] = useState('');
  const detach = (cp: string) => api('DELETE', `/load-groups/${group.id}/chargers/${encodeURIComponent(cp)}`).then(() => (setError(''), onChanged()), (err: Error) => setError(err.message));
  return (
    <>
      {group.chargers.length === 0 ? <p class="muted">No charger attached to this group itself.</p> : (
        <ul aria-label={`Chargers in ${group.name}`}>{group.chargers.map((c) => (
          <li data-member={c.chargePointId}>{c.chargePointId}
            <span class="muted">{c.maxCurrentA !== null ? ` · at most ${formatAmps(c.maxCurrentA)}` : ''}{c.phaseRotation ? ` · ${c.phaseRotation}` : ''}</span>
            {canEdit && <> <button type="button" aria-label={`Remove ${c.chargePointId} from ${group.name}`} onClick={() => detach(c.chargePointId)}>Remove</button></>}
          </li>
        ))}</ul>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {canEdit && <AttachForm groupId={group.id} onChanged={onChanged} />}
    </>
  );
}

/** `refreshMs`: the poll period (tests pass a short one). */
export function GroupDetail({ id, canEdit, refreshMs = REFRESH_MS }: { id: number; canEdit: boolean; refreshMs?: number }) {
  const [group, setGroup] = useState<LoadGroupView | null>(null);
  const [error, setError] = useState('');
  const reload = useCoalescedLoad(() => api<LoadGroupView>('GET', `/load-groups/${id}`).then((g) => (setGroup(g), setError('')), (e: Error) => setError(e.message)));
  useEffect(() => {
    reload();
    // A hidden tab polls nothing; it reads again on the next tick once visible.
    const timer = setInterval(() => document.hidden || reload(), refreshMs);
    return () => clearInterval(timer);
  }, [id]);
  if (!group) return error ? <p class="error" role="alert">{error}</p> : <p>Loading…</p>;
  return (
    <div class="stack" data-testid={`load-group-${id}`}>
      {error && <p class="error" role="alert">{error}</p>}
      <p class="muted">Limit {formatAmps(group.maxCurrentA)} per phase, {group.phases === 1 ? 'single phase' : 'three phases'}{group.marginA ? `, ${formatAmps(group.marginA)} kept free` : ''}.</p>
      <PhaseTable group={group} />
      <h3>Sessions at its chargers</h3>
      <SessionsTable group={group} />
      <h3>Chargers</h3>
      <Chargers group={group} canEdit={canEdit} onChanged={reload} />
    </div>
  );
}
