// Command buttons of the charger page (OCPP 1.6 §5 via POST /chargers/{id}/commands/{action}), each showing the charger's answer.
import { useState } from 'preact/hooks';
import { api } from '../shared/api.ts';

export function Commands({ chargerId, activeSessionId }: { chargerId: string; activeSessionId: number | null }) {
  const [answer, setAnswer] = useState('');
  const [connectorId, setConnectorId] = useState('1');
  const [idTag, setIdTag] = useState('');
  const send = async (action: string, body: object) => {
    setAnswer(`${action}: waiting for the charger…`);
    try {
      const r = await api('POST', `/chargers/${encodeURIComponent(chargerId)}/commands/${action}`, body);
      setAnswer(`${action}: ${r.response?.status ?? JSON.stringify(r.response)}`);
    } catch (e) {
      setAnswer(`${action} failed: ${(e as Error).message}`);
    }
  };
  const connector = Number(connectorId);
  return (
    <section aria-label="Commands">
      <h2>Commands</h2>
      <div class="row">
        <label><span>Connector</span><input type="number" min="1" value={connectorId} onInput={(e) => setConnectorId((e.target as HTMLInputElement).value)} /></label>
        <label><span>idTag for a remote start</span><input value={idTag} onInput={(e) => setIdTag((e.target as HTMLInputElement).value)} /></label>
      </div>
      <div class="row">
        <button type="button" disabled={!idTag} onClick={() => send('RemoteStartTransaction', { connectorId: connector, idTag })}>Remote start</button>
        <button type="button" disabled={activeSessionId === null} onClick={() => send('RemoteStopTransaction', { transactionId: activeSessionId })}>Remote stop</button>
        <button type="button" onClick={() => send('Reset', { type: 'Soft' })}>Soft reset</button>
        <button type="button" class="danger" onClick={() => confirm('Hard reset the charger?') && send('Reset', { type: 'Hard' })}>Hard reset</button>
        <button type="button" onClick={() => send('UnlockConnector', { connectorId: connector })}>Unlock</button>
        <button type="button" onClick={() => send('ChangeAvailability', { connectorId: connector, type: 'Inoperative' })}>Make inoperative</button>
        <button type="button" onClick={() => send('ChangeAvailability', { connectorId: connector, type: 'Operative' })}>Make operative</button>
      </div>
      <p class="answer" role="status" aria-live="polite" data-testid="command-answer">{answer || 'No command sent yet.'}</p>
    </section>
  );
}
