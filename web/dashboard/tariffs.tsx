// The tariff editor: an OCPI 2.2.1 Tariff as JSON, previewed on a sample session with the pricing engine
// (POST /tariffs/price, nothing stored), saved with PUT /tariffs/{id}.
import { useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { sampleCdr } from '../shared/sample-cdr.ts';
import { ApiTable } from '../shared/table.tsx';
import type { Me } from './login.tsx';

const EXAMPLE = { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.35, vat: 21, step_size: 1 }] }, { price_components: [{ type: 'PARKING_TIME', price: 2, vat: 21, step_size: 60 }], restrictions: { min_duration: 7200 } }] };

export function TariffsPage({ me }: { me: Me }) {
  const [id, setId] = useState('');
  const [text, setText] = useState(JSON.stringify(EXAMPLE, null, 2));
  const [sample, setSample] = useState({ kWh: 20, chargingMin: 90, parkingMin: 60 });
  const [result, setResult] = useState('');
  const canEdit = me.role === 'admin' || me.role === 'operator';
  const parsed = (): any => JSON.parse(text);
  const load = async () => {
    try {
      const t = await api('GET', `/tariffs/${encodeURIComponent(id)}`);
      setText(JSON.stringify({ currency: t.currency, type: t.type, elements: t.elements, min_price: t.min_price, max_price: t.max_price }, null, 2));
      setResult('');
    } catch (e) { setResult((e as Error).message); }
  };
  const preview = async () => {
    try {
      const cdr = sampleCdr({ startIso: new Date().toISOString(), timeZone: 'UTC', ...sample });
      const priced = await api('POST', '/tariffs/price', { tariff: { country_code: 'XX', party_id: 'XXX', id: id || 'PREVIEW', last_updated: new Date().toISOString(), ...parsed() }, cdr });
      setResult(`Total: ${priced.total_cost.excl_vat} excl. VAT, ${priced.total_cost.incl_vat ?? priced.total_cost.excl_vat} incl. VAT (${priced.currency ?? parsed().currency})`);
    } catch (e) { setResult(`Preview failed: ${(e as Error).message}`); }
  };
  const save = async () => {
    try {
      await api('PUT', `/tariffs/${encodeURIComponent(id)}`, parsed());
      setResult(`Saved tariff ${id}.`);
    } catch (e) { setResult(`Not saved: ${(e as Error).message}`); }
  };
  const num = (key: keyof typeof sample) => (e: Event) => setSample({ ...sample, [key]: Number((e.target as HTMLInputElement).value) });
  return (
    <main>
      <h1>Tariffs</h1>
      <ApiTable title="Tariffs" path="/tariffs" columns={[{ key: 'id', label: 'Id' }, { key: 'currency', label: 'Currency' }, { key: 'type', label: 'Type' }, { key: 'last_updated', label: 'Last updated' }]} />
      <h2>Editor</h2>
      <div class="row">
        <label><span>Tariff id</span><input value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} /></label>
        <button type="button" disabled={!id} onClick={load}>Load</button>
      </div>
      <label><span>Tariff (OCPI 2.2.1 JSON)</span><textarea rows={14} cols={80} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} /></label>
      <div class="row">
        <label><span>Sample kWh</span><input type="number" min="0" value={sample.kWh} onInput={num('kWh')} /></label>
        <label><span>Charging minutes</span><input type="number" min="0" value={sample.chargingMin} onInput={num('chargingMin')} /></label>
        <label><span>Parking minutes</span><input type="number" min="0" value={sample.parkingMin} onInput={num('parkingMin')} /></label>
        <button type="button" onClick={preview}>Preview price</button>
        {canEdit && <button type="button" class="primary" disabled={!id} onClick={save}>Save</button>}
      </div>
      <p class="answer" role="status" aria-live="polite" data-testid="tariff-result">{result || 'Preview a price for the sample session.'}</p>
    </main>
  );
}
