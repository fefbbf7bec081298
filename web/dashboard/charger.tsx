import { useEffect, useReducer, useState } from 'preact/hooks';
import { api, query } from '../shared/api.ts';
import { reduceCharger, type ChargerState, type LiveEvent } from '../shared/charger-state.ts';
import { formatKwh, toneOf } from '../shared/format.ts';
import { SessionChart } from '../shared/chart.tsx';
import { ApiTable } from '../shared/table.tsx';
import { Commands } from './commands.tsx';
import { useLiveEvents } from './live.ts';
import type { Me } from './login.tsx';

type Action = { kind: 'reset'; state: ChargerState } | { kind: 'event'; event: LiveEvent };
const reducer = (s: ChargerState, a: Action): ChargerState => (a.kind === 'reset' ? a.state : reduceCharger(s, a.event));
const EMPTY: ChargerState = { online: false, connectors: [], session: null };

export function ChargerPage({ id, me }: { id: string; me: Me }) {
  const [state, dispatch] = useReducer(reducer, EMPTY);
  const [info, setInfo] = useState<any>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    (async () => {
      const cp = await api('GET', `/chargers/${encodeURIComponent(id)}`);
      const active = await api('GET', `/sessions${query({ chargePointId: id, status: 'ACTIVE', limit: 1 })}`);
      const s = active.data[0];
      setInfo(cp);
      dispatch({ kind: 'reset', state: {
        online: cp.isOnline,
        connectors: cp.connectors.filter((c: any) => c.connectorNumber > 0).map((c: any) => ({ connectorId: c.connectorNumber, status: c.ocppStatus, errorCode: c.errorCode })),
        session: s ? { sessionId: s.id, connectorId: s.connectorNumber ?? s.connectorId, kWh: Number(s.kwh ?? 0), powerW: null, samples: [] } : null,
      } });
    })().catch((e: Error) => setError(e.message));
  }, [id]);
  useLiveEvents({ chargePointId: id }, (event) => dispatch({ kind: 'event', event }), [id]);
  const canCommand = me.role === 'admin' || me.role === 'operator';
  return (
    <main>
      <h1>Charger {id}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      <p><span class={`badge tone-${state.online ? 'ok' : 'off'}`} data-testid="charger-online">{state.online ? 'online' : 'offline'}</span>{' '}
        {info && <span class="muted">{info.vendor} {info.model} · firmware {info.firmwareVersion ?? '?'} · location {info.locationId ?? '—'}</span>}</p>
      <h2>Connectors</h2>
      <ul aria-label="Connectors">{state.connectors.map((c) => (
        <li data-connector={c.connectorId}>Connector {c.connectorId}: <span class={`badge tone-${toneOf(state.online ? c.status : 'offline')}`}>{c.status}</span>{c.errorCode && c.errorCode !== 'NoError' ? ` (${c.errorCode})` : ''}</li>
      ))}</ul>
      <h2>Current session</h2>
      {state.session
        ? <div><p data-testid="session-energy">Session {state.session.sessionId} on connector {state.session.connectorId}: {formatKwh(state.session.kWh)}{state.session.powerW !== null ? `, ${(state.session.powerW / 1000).toFixed(1)} kW` : ''}</p><SessionChart samples={state.session.samples} /></div>
        : <p class="muted">No session.</p>}
      {canCommand && <Commands chargerId={id} activeSessionId={state.session?.sessionId ?? null} />}
      <h2>Status history</h2>
      <ApiTable title="Status history" path={`/chargers/${encodeURIComponent(id)}/status-history`} columns={[{ key: 'timestamp', label: 'Time' }, { key: 'connector_number', label: 'Connector' }, { key: 'status', label: 'Status' }, { key: 'error_code', label: 'Error' }]} />
      <h2>Alerts</h2>
      <ApiTable title="Alerts" path="/alerts" params={{ chargePointId: id }} columns={[{ key: 'openedAt', label: 'Opened' }, { key: 'kind', label: 'Kind' }, { key: 'severity', label: 'Severity' }, { key: 'message', label: 'Message' }, { key: 'closedAt', label: 'Closed' }, { key: 'acknowledgedAt', label: 'Acknowledged' }]} />
      <h2>Configuration</h2>
      <ApiTable title="Configuration" paged={false} path={`/chargers/${encodeURIComponent(id)}/configuration`} columns={[{ key: 'key', label: 'Key' }, { key: 'value', label: 'Value' }, { key: 'readonly', label: 'Read-only' }, { key: 'confirmedAt', label: 'Confirmed' }]} />
    </main>
  );
}
