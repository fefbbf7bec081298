// The simple pages of the dashboard: paginated tables over the admin API's lists, some with filters.
import { useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { ApiTable, type Column } from '../shared/table.tsx';
import { onLinkClick } from '../shared/router.ts';

const chargerLink: Column['render'] = (r) => <a href={`/dashboard/chargers/${encodeURIComponent(r.chargePointId)}`} onClick={onLinkClick}>{r.chargePointId}</a>;

export function SessionsPage() {
  const [status, setStatus] = useState('');
  const [chargePointId, setChargePointId] = useState('');
  return (
    <main>
      <h1>Sessions</h1>
      <div class="row">
        <label><span>Status</span><select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
          {['', 'ACTIVE', 'COMPLETED', 'INVALID', 'PENDING', 'RESERVATION'].map((s) => <option value={s}>{s || 'any'}</option>)}
        </select></label>
        <label><span>Charger</span><input value={chargePointId} onChange={(e) => setChargePointId((e.target as HTMLInputElement).value)} /></label>
      </div>
      <ApiTable title="Sessions" path="/sessions" params={{ status: status || undefined, chargePointId: chargePointId || undefined }} csv="sessions.csv" columns={[
        { key: 'id', label: 'Id' }, { key: 'chargePointId', label: 'Charger', render: chargerLink }, { key: 'connectorNumber', label: 'Connector' }, { key: 'idTag', label: 'idTag' },
        { key: 'status', label: 'Status' }, { key: 'kwh', label: 'kWh' }, { key: 'startAt', label: 'Start' }, { key: 'stopAt', label: 'Stop' }, { key: 'currency', label: 'Currency' }, { key: 'totalCostInclVat', label: 'Cost incl. VAT' },
      ]} />
    </main>
  );
}

export function CdrsPage() {
  return (
    <main>
      <h1>CDRs</h1>
      <ApiTable title="CDRs" path="/cdrs" csv="cdrs.csv" columns={[
        { key: 'cdrId', label: 'CDR' }, { key: 'sessionFk', label: 'Session' }, { key: 'kwh', label: 'kWh' }, { key: 'totalTimeHours', label: 'Hours' },
        { key: 'currency', label: 'Currency' }, { key: 'totalCostExclVat', label: 'Excl. VAT' }, { key: 'totalCostInclVat', label: 'Incl. VAT' }, { key: 'credit', label: 'Credit' }, { key: 'createdAt', label: 'Created' },
      ]} />
    </main>
  );
}

/** A page with one table of `path`'s items, columns named by their keys. */
export function SimpleList({ title, path, keys, paged, link }: { title: string; path: string; keys: string[]; paged?: boolean; link?: string }) {
  return (
    <main>
      <h1>{title}</h1>
      <ApiTable title={title} path={path} paged={paged} columns={keys.map((key) => ({ key, label: key, render: link && key === 'id' ? (r: any) => <a href={`${link}/${r.id}`} onClick={onLinkClick}>{r.id}</a> : undefined }))} />
    </main>
  );
}

export const SIMPLE_PAGES: Record<string, { title: string; path: string; keys: string[]; paged?: boolean; link?: string }> = {
  tickets: { title: 'Maintenance tickets', path: '/tickets', keys: ['id', 'chargePointId', 'title', 'status', 'assignee', 'alertId', 'createdAt'] },
  audit: { title: 'Audit log', path: '/audit', keys: ['at', 'source', 'actorLabel', 'action', 'entityType', 'entityId'] },
  operators: { title: 'Operators', path: '/operators', keys: ['id', 'email', 'name', 'role', 'disabledAt', 'lockedUntil'] },
  drivers: { title: 'Drivers', path: '/drivers', keys: ['id', 'name', 'email', 'createdAt'] },
  groups: { title: 'Driver groups', path: '/groups', keys: ['id', 'name', 'createdAt'], link: '/dashboard/groups' },
  partners: { title: 'OCPI partners', path: '/partners', keys: ['id', 'countryCode', 'partyId', 'role', 'name', 'status', 'version', 'registeredAt'], paged: false },
};

/** Alerts, open ones first by default; network roles acknowledge them (POST /alerts/{id}/ack). */
export function AlertsPage({ canAck }: { canAck: boolean }) {
  const [status, setStatus] = useState('open');
  const [version, setVersion] = useState(0);
  const [error, setError] = useState('');
  const ack = (id: number) => api('POST', `/alerts/${id}/ack`, {}).then(() => setVersion(version + 1), (e: Error) => setError(e.message));
  return (
    <main>
      <h1>Alerts</h1>
      <label><span>Status</span><select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
        {['open', 'closed', ''].map((s) => <option value={s}>{s || 'any'}</option>)}
      </select></label>
      {error && <p class="error" role="alert">{error}</p>}
      <ApiTable title="Alerts" path="/alerts" params={{ status: status || undefined }} version={version} columns={[
        { key: 'openedAt', label: 'Opened' }, { key: 'chargePointId', label: 'Charger', render: (r) => (r.chargePointId ? chargerLink!(r) : '') }, { key: 'kind', label: 'Kind' },
        { key: 'severity', label: 'Severity' }, { key: 'message', label: 'Message' }, { key: 'closedAt', label: 'Closed' },
        { key: 'acknowledgedAt', label: 'Acknowledged', render: (r) => r.acknowledgedAt ? `${r.acknowledgedAt} by ${r.acknowledgedBy}` : canAck ? <button type="button" onClick={() => ack(r.id)}>Acknowledge</button> : '' },
      ]} />
    </main>
  );
}
